-- NTP upstream servers, in order. No row at all (see ntp_configured)
-- means the embedded defaults; an explicit empty list is stored as the
-- meta key 'ntp_configured' with no rows.
CREATE TABLE ntp_servers (
	position INTEGER PRIMARY KEY,
	host TEXT NOT NULL
);
