/* The sessions table. */
#include "store_session.h"

#include <errno.h>
#include <stdio.h>

#include "common/banned.h"

int store_session_create(struct store *s, const struct session *sess, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO sessions(id_hash, user_id, csrf_token, created_at, "
					 "last_seen, expires_at) VALUES (?1, ?2, ?3, ?4, ?4, ?5)");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, sess->id_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, sess->user_id);
	sqlite3_bind_text(st, 3, sess->csrf_token, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, sess->expires_at);
	int r = store_step_done(s, st);
	return r < 0 ? r : 0;
}

int store_session_get(struct store *s, const char *id_hash, int64_t now, struct session *ret)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT s.user_id, u.name, s.csrf_token, s.last_seen, s.expires_at, "
					 "u.role = 'admin' FROM sessions s JOIN users u ON u.id = s.user_id "
					 "LEFT JOIN accounts a ON a.user_id = u.id "
					 "WHERE s.id_hash = ?1 AND s.expires_at > ?2 AND NOT COALESCE(a.disabled, 0)");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, id_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : store_errno(rc);
	if (rc == SQLITE_ROW) {
		snprintf(ret->id_hash, sizeof(ret->id_hash), "%s", id_hash);
		ret->user_id = sqlite3_column_int64(st, 0);
		snprintf(ret->username, sizeof(ret->username), "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(ret->csrf_token, sizeof(ret->csrf_token), "%s", (const char *)sqlite3_column_text(st, 2));
		ret->last_seen = sqlite3_column_int64(st, 3);
		ret->expires_at = sqlite3_column_int64(st, 4);
		ret->admin = sqlite3_column_int(st, 5) != 0;
	}
	sqlite3_reset(st);
	return r;
}

int store_session_touch(struct store *s, const char *id_hash, int64_t now, int64_t expires_at)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE sessions SET last_seen = ?2, expires_at = ?3 WHERE id_hash = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, id_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, expires_at);
	int r = store_step_done(s, st);
	return r < 0 ? r : 0;
}

int store_session_delete(struct store *s, const char *id_hash)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM sessions WHERE id_hash = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, id_hash, -1, SQLITE_TRANSIENT);
	int r = store_step_done(s, st);
	return r < 0 ? r : 0;
}

int store_session_delete_user(struct store *s, int64_t user_id, const char *keep_hash)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM sessions WHERE user_id = ?1 AND id_hash IS NOT ?2");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, user_id);
	if (keep_hash)
		sqlite3_bind_text(st, 2, keep_hash, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 2);
	int r = store_step_done(s, st);
	return r < 0 ? r : 0;
}

int store_session_purge(struct store *s, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM sessions WHERE expires_at <= ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, now);
	return store_step_done(s, st);
}
