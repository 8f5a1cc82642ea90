/* The certs table. */
#include "store_cert.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

int store_cert_insert(struct store *s, const char *serial, const char *kind, const char *cert_pem,
		      int64_t not_after, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO certs(serial, kind, cert_pem, not_after, created_at) "
					 "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, serial, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, cert_pem, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, not_after);
	sqlite3_bind_int64(st, 5, now);
	int r = store_step_done(s, st);
	return r < 0 ? r : 0;
}

void store_cert_rows_free(struct cert_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++)
		free(rows[i].cert_pem);
	free(rows);
}

int store_cert_list(struct store *s, struct cert_row **ret, size_t *ret_n)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT serial, kind, cert_pem, not_after, created_at, "
					 "coalesce(revoked_at, 0), coalesce(superseded_at, 0) FROM certs ORDER BY created_at DESC, serial LIMIT ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_int(st, 1, CERTS_MAX);
	size_t n = 0, cap = 16;
	struct cert_row *rows = calloc(cap, sizeof(*rows));
	int r = rows ? 0 : -ENOMEM;
	while (r == 0 && sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			struct cert_row *more = realloc(rows, cap * 2 * sizeof(*rows));
			if (!more) {
				r = -ENOMEM;
				break;
			}
			rows = more;
			cap *= 2;
		}
		struct cert_row *c = &rows[n];
		*c = (struct cert_row){ .not_after = sqlite3_column_int64(st, 3),
					.created_at = sqlite3_column_int64(st, 4),
					.revoked_at = sqlite3_column_int64(st, 5),
					.superseded_at = sqlite3_column_int64(st, 6) };
		snprintf(c->serial, sizeof(c->serial), "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(c->kind, sizeof(c->kind), "%s", (const char *)sqlite3_column_text(st, 1));
		c->cert_pem = strdup((const char *)sqlite3_column_text(st, 2));
		if (!c->cert_pem)
			r = -ENOMEM;
		n++;
	}
	sqlite3_reset(st);
	if (r < 0) {
		store_cert_rows_free(rows, n);
		return r;
	}
	*ret = rows;
	*ret_n = n;
	return 0;
}

int store_cert_revoke(struct store *s, const char *serial, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE certs SET revoked_at = ?2 WHERE serial = ?1 AND revoked_at IS NULL");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, serial, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	int n = store_step_done(s, st);
	if (n < 0)
		return n;
	if (n == 1)
		return 0;
	st = store_stmt(s, "SELECT 1 FROM certs WHERE serial = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, serial, -1, SQLITE_TRANSIENT);
	int found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found ? -EALREADY : -ENOENT;
}

int store_cert_supersede_all(struct store *s, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE certs SET superseded_at = ?1 WHERE superseded_at IS NULL");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, now);
	return store_step_done(s, st);
}
