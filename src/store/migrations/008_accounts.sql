-- Cell accounts: the people of the cell, with one name and password for
-- mail, calendar, files and webmail. Each is a users row with role 'user'
-- (sessions and password changes work alike for the admin and them); its
-- password_hash is bcrypt, which dovecot, radicale and apache all read.
-- services: comma-separated names, in a fixed order.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'user'));

CREATE TABLE accounts (
	user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	display_name TEXT NOT NULL,
	services TEXT NOT NULL,
	mail_quota_mb INTEGER NOT NULL,
	disabled INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

-- Other local parts that deliver to an account; `position` keeps the
-- order they were given in.
CREATE TABLE account_aliases (
	alias TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES accounts(user_id) ON DELETE CASCADE,
	position INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX account_aliases_by_user ON account_aliases(user_id, position);
