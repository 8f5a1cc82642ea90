-- DNS records of the cell zone, forward zones, resolver settings; DHCP
-- settings and reservations.

CREATE TABLE dns_records (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	name TEXT NOT NULL,
	type TEXT NOT NULL,
	ttl INTEGER NOT NULL,
	value TEXT NOT NULL,
	priority INTEGER NOT NULL DEFAULT 0,
	weight INTEGER NOT NULL DEFAULT 0,
	port INTEGER NOT NULL DEFAULT 0,
	flags INTEGER NOT NULL DEFAULT 0,
	tag TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
-- The same data twice is refused; the TTL does not make it different.
CREATE UNIQUE INDEX dns_records_data ON dns_records(name, type, value, priority, weight, port, flags, tag);
CREATE INDEX dns_records_by_type ON dns_records(type, name);

CREATE TABLE dns_forwards (
	zone TEXT PRIMARY KEY,
	servers TEXT NOT NULL -- space separated
) WITHOUT ROWID;

CREATE TABLE dns_settings (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	upstreams TEXT NOT NULL, -- space separated
	recursion INTEGER NOT NULL,
	dnssec INTEGER NOT NULL,
	cache_mb INTEGER NOT NULL
);

CREATE TABLE dhcp_settings (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	interface TEXT NOT NULL,
	range_start INTEGER NOT NULL,
	range_end INTEGER NOT NULL,
	lease_s INTEGER NOT NULL,
	gateway INTEGER NOT NULL
);

CREATE TABLE dhcp_reservations (
	mac TEXT PRIMARY KEY,
	ip INTEGER NOT NULL UNIQUE,
	hostname TEXT NOT NULL
) WITHOUT ROWID;
