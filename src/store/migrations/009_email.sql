-- The mail service's settings: one row. relay_host NULL: postfix delivers
-- to each recipient's own server; else through this relay (smarthost),
-- logging in with relay_username/relay_password when set. The password is
-- kept as given: postfix must present it.
CREATE TABLE email_settings (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	relay_host TEXT,
	relay_port INTEGER NOT NULL,
	relay_username TEXT NOT NULL,
	relay_password TEXT NOT NULL
);
