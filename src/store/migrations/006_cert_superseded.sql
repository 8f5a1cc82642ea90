-- Certificates issued under a root that the user replaced: still valid
-- for the devices that trust the old root, but no longer the cell's. Set
-- once, when the root is replaced; NULL for certificates of the current
-- root.
ALTER TABLE certs ADD COLUMN superseded_at INTEGER;
