/* The accounts and account_aliases tables (see store_account.h). */
#include "store_account.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

#define ACCOUNT_COLUMNS                                                                            \
	"u.id, u.name, u.password_hash, u.created_at, a.display_name, a.services, a.mail_quota_mb, " \
	"a.disabled, a.updated_at FROM users u JOIN accounts a ON a.user_id = u.id"

static void services_from(const char *text, struct account *a)
{
	a->services = 0;
	for (const char *p = text; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char name[16];
		unsigned bit;
		if (len < sizeof(name)) {
			memcpy(name, p, len);
			name[len] = '\0';
			if (account_service_parse(name, &bit) == 0)
				a->services |= bit;
		}
		p = end ? end + 1 : NULL;
	}
}

static void services_to(unsigned services, char *out, size_t outlen)
{
	const char *names[ACCOUNT_SERVICES_N];
	size_t n = account_service_names(services, names), used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && used < outlen; i++)
		used += (size_t)snprintf(out + used, outlen - used, "%s%s", i ? "," : "", names[i]);
}

static void row_to(sqlite3_stmt *st, struct account *a)
{
	*a = (struct account){ .id = sqlite3_column_int64(st, 0) };
	snprintf(a->name, sizeof(a->name), "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(a->password_hash, sizeof(a->password_hash), "%s", (const char *)sqlite3_column_text(st, 2));
	a->created_at = sqlite3_column_int64(st, 3);
	snprintf(a->display_name, sizeof(a->display_name), "%s", (const char *)sqlite3_column_text(st, 4));
	services_from((const char *)sqlite3_column_text(st, 5), a);
	a->mail_quota_mb = (uint32_t)sqlite3_column_int64(st, 6);
	a->disabled = sqlite3_column_int(st, 7) != 0;
	a->updated_at = sqlite3_column_int64(st, 8);
}

static int aliases_load(struct store *s, struct account *a)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT alias FROM account_aliases WHERE user_id = ?1 ORDER BY position");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, a->id);
	int rc;
	a->n_aliases = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (a->n_aliases < ACCOUNT_ALIASES_MAX)
			snprintf(a->aliases[a->n_aliases++], sizeof(a->aliases[0]), "%s",
				 (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_errno(rc) ? store_errno(rc) : -EIO;
}

int store_account_get(struct store *s, const char *name, struct account *ret)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " ACCOUNT_COLUMNS " WHERE u.name = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : store_errno(rc);
	if (rc == SQLITE_ROW)
		row_to(st, ret);
	sqlite3_reset(st);
	return r == 0 ? aliases_load(s, ret) : r;
}

int store_account_list(struct store *s, struct account **ret, size_t *ret_n)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " ACCOUNT_COLUMNS " ORDER BY u.name");
	if (!st)
		return -EIO;
	struct account *list = NULL;
	size_t n = 0, cap = 0;
	int rc, r = 0;
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t want = cap ? cap * 2 : 16;
			struct account *grown = realloc(list, want * sizeof(*list));
			if (!grown) {
				r = -ENOMEM;
				break;
			}
			list = grown;
			cap = want;
		}
		row_to(st, &list[n++]);
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = store_errno(rc) ? store_errno(rc) : -EIO;
	sqlite3_reset(st);
	for (size_t i = 0; r == 0 && i < n; i++)
		r = aliases_load(s, &list[i]);
	if (r < 0) {
		free(list);
		return r;
	}
	*ret = list;
	*ret_n = n;
	return 0;
}

static int aliases_store(struct store *s, const struct account *a)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM account_aliases WHERE user_id = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, a->id);
	int r = store_step_done(s, st);
	for (size_t i = 0; r >= 0 && i < a->n_aliases; i++) {
		st = store_stmt(s, "INSERT INTO account_aliases(alias, user_id, position) VALUES (?1, ?2, ?3)");
		if (!st)
			return -EIO;
		sqlite3_bind_text(st, 1, a->aliases[i], -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, a->id);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
		r = store_step_done(s, st);
	}
	return r < 0 ? r : 0;
}

static int fields_store(struct store *s, const struct account *a, bool insert)
{
	sqlite3_stmt *st = store_stmt(
		s, insert ? "INSERT INTO accounts(user_id, display_name, services, mail_quota_mb, disabled, updated_at) "
			    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
			  : "UPDATE accounts SET display_name = ?2, services = ?3, mail_quota_mb = ?4, disabled = ?5, "
			    "updated_at = ?6 WHERE user_id = ?1");
	if (!st)
		return -EIO;
	char services[64];
	services_to(a->services, services, sizeof(services));
	sqlite3_bind_int64(st, 1, a->id);
	sqlite3_bind_text(st, 2, a->display_name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, services, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, a->mail_quota_mb);
	sqlite3_bind_int(st, 5, a->disabled);
	sqlite3_bind_int64(st, 6, a->updated_at);
	int r = store_step_done(s, st);
	return r < 0 ? r : r == 0 ? -ENOENT : aliases_store(s, a);
}

int store_account_create(struct store *s, struct account *a, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO users(name, password_hash, created_at, password_changed_at, role) "
					 "VALUES (?1, ?2, ?3, ?3, 'user') ON CONFLICT(name) DO NOTHING RETURNING id");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, a->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, a->password_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, now);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -EEXIST : store_errno(rc) ? store_errno(rc) : -EIO;
	if (rc == SQLITE_ROW)
		a->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (r < 0)
		return r;
	a->created_at = a->updated_at = now;
	return fields_store(s, a, true);
}

int store_account_update(struct store *s, struct account *a, int64_t now)
{
	a->updated_at = now;
	return fields_store(s, a, false);
}

int store_account_delete(struct store *s, int64_t id)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM users WHERE id = ?1 AND role = 'user'");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	int r = store_step_done(s, st);
	return r < 0 ? r : r == 0 ? -ENOENT : 0;
}

int store_account_local_part_owner(struct store *s, const char *local_part, int64_t *ret_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM users WHERE name = ?1 "
					 "UNION ALL SELECT user_id FROM account_aliases WHERE alias = ?1 LIMIT 1");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, local_part, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : store_errno(rc);
	if (rc == SQLITE_ROW)
		*ret_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return r;
}

int store_account_mail_owner(struct store *s, const char *local_part, struct account_owner *ret)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT u.name, 0, a.services FROM users u JOIN accounts a ON a.user_id = u.id "
					 "WHERE u.name = ?1 UNION ALL "
					 "SELECT u.name, 1, a.services FROM account_aliases al JOIN users u ON u.id = al.user_id "
					 "JOIN accounts a ON a.user_id = al.user_id WHERE al.alias = ?1 LIMIT 1");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, local_part, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : store_errno(rc);
	if (rc == SQLITE_ROW) {
		struct account a;
		services_from((const char *)sqlite3_column_text(st, 2), &a);
		*ret = (struct account_owner){ .alias = sqlite3_column_int(st, 1) != 0, .services = a.services };
		snprintf(ret->name, sizeof(ret->name), "%s", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	return r;
}
