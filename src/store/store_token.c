/* The api_tokens table. */
#include "store_token.h"

#include <errno.h>
#include <stdio.h>

#include "common/banned.h"

int store_token_create(struct store *s, const char *name, const char *token_hash, int64_t user_id,
		       int64_t now, int64_t *ret_id)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO api_tokens(name, token_hash, user_id, created_at) "
					 "VALUES (?1, ?2, ?3, ?4) RETURNING id");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, token_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, user_id);
	sqlite3_bind_int64(st, 4, now);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? 0 : store_errno(rc) ? store_errno(rc) : -EIO;
	if (rc == SQLITE_ROW)
		*ret_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return r;
}

static void token_from_row(sqlite3_stmt *st, struct api_token *t)
{
	t->id = sqlite3_column_int64(st, 0);
	snprintf(t->name, sizeof(t->name), "%s", (const char *)sqlite3_column_text(st, 1));
	t->user_id = sqlite3_column_int64(st, 2);
	snprintf(t->username, sizeof(t->username), "%s", (const char *)sqlite3_column_text(st, 3));
	t->created_at = sqlite3_column_int64(st, 4);
	t->last_used_at = sqlite3_column_int64(st, 5);
}

int store_token_get_by_hash(struct store *s, const char *token_hash, struct api_token *ret)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT t.id, t.name, t.user_id, u.name, t.created_at, "
					 "coalesce(t.last_used_at, 0) FROM api_tokens t "
					 "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : store_errno(rc);
	if (rc == SQLITE_ROW)
		token_from_row(st, ret);
	sqlite3_reset(st);
	return r;
}

int store_token_touch(struct store *s, int64_t id, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	int r = store_step_done(s, st);
	return r < 0 ? r : 0;
}

int store_token_list(struct store *s, int64_t user_id, struct api_token *ret, int max)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT t.id, t.name, t.user_id, u.name, t.created_at, "
					 "coalesce(t.last_used_at, 0) FROM api_tokens t "
					 "JOIN users u ON u.id = t.user_id WHERE t.user_id = ?1 ORDER BY t.id");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, user_id);
	int n = 0;
	while (n < max && sqlite3_step(st) == SQLITE_ROW)
		token_from_row(st, &ret[n++]);
	sqlite3_reset(st);
	return n;
}

int store_token_count(struct store *s, int64_t user_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM api_tokens WHERE user_id = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, user_id);
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -EIO;
	sqlite3_reset(st);
	return n;
}

int store_token_delete(struct store *s, int64_t user_id, int64_t id)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM api_tokens WHERE id = ?1 AND user_id = ?2");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, user_id);
	int r = store_step_done(s, st);
	return r < 0 ? r : r == 0 ? -ENOENT : 0;
}
