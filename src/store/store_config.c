/* Configuration rows, revision counter and pending changes. */
#include "store_config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/strparse.h"
#include "common/banned.h"

int store_config_load(struct store *s, struct cell_config *ret_c, struct field_error *e)
{
	struct cell_config c;
	config_defaults(&c);
	sqlite3_stmt *st = store_stmt(s, "SELECT key, value FROM config");
	if (!st)
		return -EIO;
	int rc, r = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		const char *value = (const char *)sqlite3_column_text(st, 1);
		const struct config_field *f = config_field_find(key);
		if (!f || config_field_set(&c, f, value, e) < 0) {
			if (!f)
				field_error_set(e, key, "unknown configuration key in the store");
			r = -EIO;
			break;
		}
	}
	sqlite3_reset(st);
	if (r < 0)
		return r;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_errno(rc);
	*ret_c = c;
	return 0;
}

int store_config_revision(struct store *s, uint64_t *ret_rev)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT value FROM meta WHERE key = 'config_revision'");
	if (!st)
		return -EIO;
	int r = -EIO;
	if (sqlite3_step(st) == SQLITE_ROW) {
		uint64_t v;
		if (parse_u64((const char *)sqlite3_column_text(st, 0), 0, UINT64_MAX, &v) == 0) {
			*ret_rev = v;
			r = 0;
		}
	}
	sqlite3_reset(st);
	return r;
}

int store_config_bump_revision(struct store *s, uint64_t *ret_rev)
{
	uint64_t rev;
	int r = store_config_revision(s, &rev);
	if (r < 0)
		return r;
	char text[24];
	snprintf(text, sizeof(text), "%" PRIu64, rev + 1);
	sqlite3_stmt *st = store_stmt(s, "UPDATE meta SET value = ?1 WHERE key = 'config_revision'");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
	r = store_step_done(s, st);
	if (r < 0)
		return r;
	*ret_rev = rev + 1;
	return 0;
}

int store_config_set(struct store *s, const char *field, const char *text_or_null)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO config(key, value) VALUES (?1, ?2) "
					 "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, field, -1, SQLITE_TRANSIENT);
	if (text_or_null)
		sqlite3_bind_text(st, 2, text_or_null, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 2);
	int r = store_step_done(s, st);
	return r < 0 ? r : 0;
}

int store_pending_list(struct store *s, struct pending_change *ret, int max)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT field, value, requested_at FROM pending_changes "
					 "ORDER BY requested_at, field");
	if (!st)
		return -EIO;
	int n = 0, rc;
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pending_change *p = &ret[n++];
		const char *value = (const char *)sqlite3_column_text(st, 1);
		snprintf(p->field, sizeof(p->field), "%s", (const char *)sqlite3_column_text(st, 0));
		p->is_null = value == NULL;
		snprintf(p->value, sizeof(p->value), "%s", value ? value : "");
		p->requested_at = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	return n;
}

int store_pending_set(struct store *s, const char *field, const char *text_or_null, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO pending_changes(field, value, requested_at) "
					 "VALUES (?1, ?2, ?3) ON CONFLICT(field) DO UPDATE SET "
					 "value = excluded.value, requested_at = excluded.requested_at");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, field, -1, SQLITE_TRANSIENT);
	if (text_or_null)
		sqlite3_bind_text(st, 2, text_or_null, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, now);
	int r = store_step_done(s, st);
	return r < 0 ? r : 0;
}

int store_pending_delete(struct store *s, const char *field)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM pending_changes WHERE field = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, field, -1, SQLITE_TRANSIENT);
	int r = store_step_done(s, st);
	return r < 0 ? r : 0;
}

int store_pending_clear(struct store *s)
{
	int r = store_step_done(s, store_stmt(s, "DELETE FROM pending_changes"));
	return r < 0 ? r : 0;
}
