-- VPN peers. services: comma-separated grantable service names, sorted.
-- private_key only when the cell made the device's key pair (to provision
-- it by QR); keys are standard base64. address: IPv4 in host order.
CREATE TABLE vpn_peers (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	public_key TEXT NOT NULL UNIQUE,
	private_key TEXT,
	preshared_key TEXT,
	address INTEGER NOT NULL UNIQUE,
	services TEXT NOT NULL,
	tunnel TEXT NOT NULL,
	expires_at INTEGER,
	enabled INTEGER NOT NULL,
	created_at INTEGER NOT NULL
);
-- Addresses of deleted peers and when they were freed: a new peer gets a
-- never-used address first.
CREATE TABLE vpn_addresses_freed (
	address INTEGER PRIMARY KEY,
	freed_at INTEGER NOT NULL
) WITHOUT ROWID;
