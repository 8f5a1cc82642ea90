-- Certificates the cell's CA issued: for its own services ('service') and
-- on request through the API ('issued'). Subject, names and dates are
-- read from the certificate itself; the key is never stored for 'issued'.
CREATE TABLE certs (
	serial TEXT PRIMARY KEY,
	kind TEXT NOT NULL,
	cert_pem TEXT NOT NULL,
	not_after INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	revoked_at INTEGER
) WITHOUT ROWID;
