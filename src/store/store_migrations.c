/* Migration SQL files embedded into the binary. To add one: write
 * migrations/NNN_name.sql, add an INCBIN line and a table entry. */
#include "store_migrations.h"

#include "common/incbin.h"
#include "common/banned.h"

INCBIN(migration_001, "src/store/migrations/001_initial.sql");
INCBIN(migration_002, "src/store/migrations/002_ntp.sql");
INCBIN(migration_003, "src/store/migrations/003_dns_dhcp.sql");
INCBIN(migration_004, "src/store/migrations/004_certs.sql");
INCBIN(migration_005, "src/store/migrations/005_proxy.sql");
INCBIN(migration_006, "src/store/migrations/006_cert_superseded.sql");
INCBIN(migration_007, "src/store/migrations/007_vpn.sql");
INCBIN(migration_008, "src/store/migrations/008_accounts.sql");
INCBIN(migration_009, "src/store/migrations/009_email.sql");
INCBIN(migration_010, "src/store/migrations/010_email_domains.sql");

const struct store_migration store_migrations[] = {
	{ "001_initial", migration_001 },
	{ "002_ntp", migration_002 },
	{ "003_dns_dhcp", migration_003 },
	{ "004_certs", migration_004 },
	{ "005_proxy", migration_005 },
	{ "006_cert_superseded", migration_006 },
	{ "007_vpn", migration_007 },
	{ "008_accounts", migration_008 },
	{ "009_email", migration_009 },
	{ "010_email_domains", migration_010 },
};
const size_t store_migrations_len = sizeof(store_migrations) / sizeof(store_migrations[0]);
