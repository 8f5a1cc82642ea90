-- Mail domains besides the cell zone: every account with mail receives
-- at <name>@<domain> (and its aliases) for each of them too.
CREATE TABLE email_domains (
	domain TEXT PRIMARY KEY,
	created_at INTEGER NOT NULL
) WITHOUT ROWID;
