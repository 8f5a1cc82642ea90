/* The ntp_servers table. */
#include "store_ntp.h"

#include <errno.h>
#include <stdio.h>

#include "common/banned.h"

int store_ntp_load(struct store *s, struct ntp_settings *ret)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT value FROM meta WHERE key = 'ntp_configured'");
	if (!st)
		return -EIO;
	bool configured = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (!configured) {
		ntp_defaults(ret);
		return 0;
	}
	st = store_stmt(s, "SELECT host FROM ntp_servers ORDER BY position");
	if (!st)
		return -EIO;
	struct ntp_settings n = { 0 };
	while (n.n_servers < NTP_MAX_SERVERS && sqlite3_step(st) == SQLITE_ROW)
		snprintf(n.servers[n.n_servers++], sizeof(n.servers[0]), "%s",
			 (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	*ret = n;
	return 0;
}

int store_ntp_save(struct store *s, const struct ntp_settings *n)
{
	int r = store_step_done(s, store_stmt(s, "DELETE FROM ntp_servers"));
	if (r >= 0)
		r = store_step_done(s, store_stmt(s, "INSERT OR IGNORE INTO meta(key, value) "
						     "VALUES ('ntp_configured', '1')"));
	for (size_t i = 0; r >= 0 && i < n->n_servers; i++) {
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO ntp_servers(position, host) VALUES (?1, ?2)");
		if (!st)
			return -EIO;
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
		sqlite3_bind_text(st, 2, n->servers[i], -1, SQLITE_TRANSIENT);
		r = store_step_done(s, st);
	}
	return r < 0 ? r : 0;
}
