-- The proxy routes the owner switched off, by virtual IP name (no row:
-- the route is on).
CREATE TABLE proxy_routes_off (
	vip TEXT PRIMARY KEY
) WITHOUT ROWID;
