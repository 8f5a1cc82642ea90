/* The proxy_routes_off table. */
#include "store_proxy.h"

#include <errno.h>
#include <stdio.h>

#include "common/banned.h"

int store_proxy_load(struct store *s, struct proxy_settings *ret)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT vip FROM proxy_routes_off ORDER BY vip");
	if (!st)
		return -EIO;
	struct proxy_settings p = { 0 };
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && p.n_off < PROXY_ROUTES_MAX)
		snprintf(p.off[p.n_off++], sizeof(p.off[0]), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return -EIO;
	*ret = p;
	return 0;
}

int store_proxy_save(struct store *s, const struct proxy_settings *p)
{
	int r = store_step_done(s, store_stmt(s, "DELETE FROM proxy_routes_off"));
	for (size_t i = 0; r >= 0 && i < p->n_off; i++) {
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO proxy_routes_off(vip) VALUES (?1)");
		if (!st)
			return -EIO;
		sqlite3_bind_text(st, 1, p->off[i], -1, SQLITE_TRANSIENT);
		r = store_step_done(s, st);
	}
	return r < 0 ? r : 0;
}
