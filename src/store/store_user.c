/* The users table. */
#include "store_user.h"

#include <errno.h>
#include <stdio.h>

#include "common/banned.h"

int store_user_get(struct store *s, const char *name, struct user *ret_user)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT u.id, u.name, u.password_hash, u.role = 'admin', COALESCE(a.disabled, 0) "
					 "FROM users u LEFT JOIN accounts a ON a.user_id = u.id WHERE u.name = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : store_errno(rc);
	if (rc == SQLITE_ROW) {
		ret_user->id = sqlite3_column_int64(st, 0);
		snprintf(ret_user->name, sizeof(ret_user->name), "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(ret_user->password_hash, sizeof(ret_user->password_hash), "%s",
			 (const char *)sqlite3_column_text(st, 2));
		ret_user->admin = sqlite3_column_int(st, 3) != 0;
		ret_user->disabled = sqlite3_column_int(st, 4) != 0;
	}
	sqlite3_reset(st);
	return r;
}

int store_user_create(struct store *s, const char *name, const char *password_hash, int64_t now,
		      int64_t *ret_id)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO users(name, password_hash, created_at, password_changed_at) "
					 "VALUES (?1, ?2, ?3, ?3) RETURNING id");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, password_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, now);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? 0 : store_errno(rc) ? store_errno(rc) : -EIO;
	if (rc == SQLITE_ROW)
		*ret_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return r;
}

int store_user_set_password(struct store *s, int64_t id, const char *password_hash, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE users SET password_hash = ?2, password_changed_at = ?3 "
					 "WHERE id = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, password_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, now);
	int r = store_step_done(s, st);
	return r < 0 ? r : r == 0 ? -ENOENT : 0;
}
