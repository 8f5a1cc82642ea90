/* The dns_records, dns_forwards and dns_settings tables. */
#include "store_dns.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

#define RECORD_COLUMNS "id, name, type, ttl, value, priority, weight, port, flags, tag"

static void record_from_row(sqlite3_stmt *st, struct dns_record *r)
{
	*r = (struct dns_record){ .id = sqlite3_column_int64(st, 0) };
	snprintf(r->name, sizeof(r->name), "%s", (const char *)sqlite3_column_text(st, 1));
	if (dns_type_parse((const char *)sqlite3_column_text(st, 2), &r->type) < 0)
		r->type = DNS_TXT;
	r->ttl = (uint32_t)sqlite3_column_int64(st, 3);
	snprintf(r->value, sizeof(r->value), "%s", (const char *)sqlite3_column_text(st, 4));
	r->priority = (uint16_t)sqlite3_column_int(st, 5);
	r->weight = (uint16_t)sqlite3_column_int(st, 6);
	r->port = (uint16_t)sqlite3_column_int(st, 7);
	r->flags = (uint8_t)sqlite3_column_int(st, 8);
	snprintf(r->tag, sizeof(r->tag), "%s", (const char *)sqlite3_column_text(st, 9));
}

/* Binds the data columns as ?2..?10 (name .. tag). */
static void bind_record(sqlite3_stmt *st, const struct dns_record *r)
{
	sqlite3_bind_text(st, 2, r->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, dns_type_name(r->type), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, r->ttl);
	sqlite3_bind_text(st, 5, r->value, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 6, r->priority);
	sqlite3_bind_int(st, 7, r->weight);
	sqlite3_bind_int(st, 8, r->port);
	sqlite3_bind_int(st, 9, r->flags);
	sqlite3_bind_text(st, 10, r->tag, -1, SQLITE_TRANSIENT);
}

int store_dns_record_insert(struct store *s, struct dns_record *r, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO dns_records(name, type, ttl, value, priority, weight, port, "
					 "flags, tag, created_at, updated_at) "
					 "VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?1, ?1) RETURNING id");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, now);
	bind_record(st, r);
	int rc = sqlite3_step(st);
	int ret = rc == SQLITE_ROW ? 0 : store_errno(rc) ? store_errno(rc) : -EIO;
	if (rc == SQLITE_ROW)
		r->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return ret;
}

int store_dns_record_restore(struct store *s, const struct dns_record *r, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO dns_records(id, name, type, ttl, value, priority, weight, "
					 "port, flags, tag, created_at, updated_at) "
					 "VALUES (?11, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?1, ?1)");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, now);
	bind_record(st, r);
	sqlite3_bind_int64(st, 11, r->id);
	int n = store_step_done(s, st);
	return n < 0 ? n : 0;
}

int store_dns_record_update(struct store *s, const struct dns_record *r, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE dns_records SET name = ?2, type = ?3, ttl = ?4, value = ?5, "
					 "priority = ?6, weight = ?7, port = ?8, flags = ?9, tag = ?10, "
					 "updated_at = ?11 WHERE id = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, r->id);
	bind_record(st, r);
	sqlite3_bind_int64(st, 11, now);
	int n = store_step_done(s, st);
	return n < 0 ? n : n == 0 ? -ENOENT : 0;
}

int store_dns_record_delete(struct store *s, int64_t id)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM dns_records WHERE id = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	int n = store_step_done(s, st);
	return n < 0 ? n : n == 0 ? -ENOENT : 0;
}

int store_dns_record_get(struct store *s, int64_t id, struct dns_record *ret)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " RECORD_COLUMNS " FROM dns_records WHERE id = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : store_errno(rc);
	if (rc == SQLITE_ROW)
		record_from_row(st, ret);
	sqlite3_reset(st);
	return r;
}

/* ?1 name or NULL, ?2 type or NULL */
static void bind_filter(sqlite3_stmt *st, const struct dns_record_filter *f)
{
	if (f && f->name)
		sqlite3_bind_text(st, 1, f->name, -1, SQLITE_TRANSIENT);
	if (f && f->type >= 0)
		sqlite3_bind_text(st, 2, dns_type_name((enum dns_type)f->type), -1, SQLITE_STATIC);
}

/* With a name, the statements use the name index ("?1 IS NULL OR ..." in
 * one statement would make SQLite scan the table). */
int store_dns_record_count(struct store *s, const struct dns_record_filter *f)
{
	sqlite3_stmt *st = f && f->name
				   ? store_stmt(s, "SELECT count(*) FROM dns_records WHERE name = ?1 "
						   "AND (?2 IS NULL OR type = ?2)")
				   : store_stmt(s, "SELECT count(*) FROM dns_records WHERE (?2 IS NULL OR type = ?2)");
	if (!st)
		return -EIO;
	bind_filter(st, f);
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -EIO;
	sqlite3_reset(st);
	return n;
}

int store_dns_record_list(struct store *s, const struct dns_record_filter *f, int offset, int limit,
			  struct dns_record *ret)
{
	sqlite3_stmt *st = f && f->name
				   ? store_stmt(s, "SELECT " RECORD_COLUMNS " FROM dns_records WHERE name = ?1 "
						   "AND (?2 IS NULL OR type = ?2) ORDER BY name, type, id LIMIT ?3 OFFSET ?4")
				   : store_stmt(s, "SELECT " RECORD_COLUMNS " FROM dns_records WHERE (?2 IS NULL OR type = ?2) "
						   "ORDER BY name, type, id LIMIT ?3 OFFSET ?4");
	if (!st)
		return -EIO;
	bind_filter(st, f);
	sqlite3_bind_int(st, 3, limit);
	sqlite3_bind_int(st, 4, offset);
	int n = 0;
	while (n < limit && sqlite3_step(st) == SQLITE_ROW)
		record_from_row(st, &ret[n++]);
	sqlite3_reset(st);
	return n;
}

/* Space-separated address lists. */
static size_t split_servers(const char *text, char (*out)[DNS_ADDR_MAX], size_t max)
{
	size_t n = 0;
	for (const char *p = text; *p && n < max;) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (len == 0)
			break;
		if (len < DNS_ADDR_MAX) {
			memcpy(out[n], p, len);
			out[n][len] = '\0';
			n++;
		}
		p += len;
	}
	return n;
}

static int join_servers(const char (*list)[DNS_ADDR_MAX], size_t n, char *out, size_t outlen)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(out + used, outlen - used, "%s%s", i ? " " : "", list[i]);
		if (w < 0 || (size_t)w >= outlen - used)
			return -ENOBUFS;
		used += (size_t)w;
	}
	return 0;
}

int store_dns_records_rezone(struct store *s, const char *old_zone, const char *new_zone)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE dns_records SET name = substr(name, 1, length(name) - length(?1)) || ?2 "
					 "WHERE name = ?1 OR name LIKE '%.' || ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, old_zone, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, new_zone, -1, SQLITE_TRANSIENT);
	int r = store_step_done(s, st);
	if (r < 0)
		return r;
	/* Targets inside the cell move along (mail-svc.<zone> and such). */
	st = store_stmt(s, "UPDATE dns_records SET value = substr(value, 1, length(value) - length(?1)) || ?2 "
			   "WHERE type IN ('CNAME', 'MX', 'SRV') AND (value = ?1 OR value LIKE '%.' || ?1)");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, old_zone, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, new_zone, -1, SQLITE_TRANSIENT);
	r = store_step_done(s, st);
	return r < 0 ? r : 0;
}

static int foreach_row(sqlite3_stmt *st, int (*fn)(const struct dns_record *r, void *ctx), void *ctx)
{
	struct dns_record *r = malloc(sizeof(*r)); /* a TXT's worth: not on the stack */
	int ret = r ? 0 : -ENOMEM, rc;
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		record_from_row(st, r);
		ret = fn(r, ctx);
	}
	sqlite3_reset(st);
	free(r);
	return ret;
}

int store_dns_record_foreach(struct store *s, int (*fn)(const struct dns_record *r, void *ctx), void *ctx)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " RECORD_COLUMNS " FROM dns_records ORDER BY name, type, id");
	return st ? foreach_row(st, fn, ctx) : -EIO;
}

int store_dns_record_foreach_ids(struct store *s, int64_t first, int64_t end,
				 int (*fn)(const struct dns_record *r, void *ctx), void *ctx)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " RECORD_COLUMNS " FROM dns_records WHERE id >= ?1 AND id < ?2 "
					 "ORDER BY id");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, first);
	sqlite3_bind_int64(st, 2, end);
	return foreach_row(st, fn, ctx);
}

int store_dns_settings_load(struct store *s, struct dns_settings *ret)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT upstreams, recursion, dnssec, cache_mb FROM dns_settings WHERE id = 1");
	if (!st)
		return -EIO;
	dns_settings_defaults(ret);
	if (sqlite3_step(st) == SQLITE_ROW) {
		ret->n_upstreams = split_servers((const char *)sqlite3_column_text(st, 0), ret->upstreams,
						 DNS_MAX_UPSTREAMS);
		ret->recursion = sqlite3_column_int(st, 1) != 0;
		ret->dnssec = sqlite3_column_int(st, 2) != 0;
		ret->cache_mb = (uint32_t)sqlite3_column_int(st, 3);
	}
	sqlite3_reset(st);
	return 0;
}

int store_dns_settings_save(struct store *s, const struct dns_settings *d)
{
	char list[DNS_MAX_UPSTREAMS * DNS_ADDR_MAX];
	int r = join_servers(d->upstreams, d->n_upstreams, list, sizeof(list));
	if (r < 0)
		return r;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO dns_settings(id, upstreams, recursion, dnssec, cache_mb) "
					 "VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT(id) DO UPDATE SET "
					 "upstreams = excluded.upstreams, recursion = excluded.recursion, "
					 "dnssec = excluded.dnssec, cache_mb = excluded.cache_mb");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, list, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, d->recursion);
	sqlite3_bind_int(st, 3, d->dnssec);
	sqlite3_bind_int(st, 4, (int)d->cache_mb);
	r = store_step_done(s, st);
	return r < 0 ? r : 0;
}

int store_dns_forward_list(struct store *s, struct dns_forward *ret, int max)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT zone, servers FROM dns_forwards ORDER BY zone");
	if (!st)
		return -EIO;
	int n = 0;
	while (n < max && sqlite3_step(st) == SQLITE_ROW) {
		struct dns_forward *f = &ret[n++];
		*f = (struct dns_forward){ 0 };
		snprintf(f->zone, sizeof(f->zone), "%s", (const char *)sqlite3_column_text(st, 0));
		f->n_servers = split_servers((const char *)sqlite3_column_text(st, 1), f->servers,
					     DNS_MAX_FORWARD_SERVERS);
	}
	sqlite3_reset(st);
	return n;
}

int store_dns_forward_put(struct store *s, const struct dns_forward *f)
{
	char list[DNS_MAX_FORWARD_SERVERS * DNS_ADDR_MAX];
	int r = join_servers(f->servers, f->n_servers, list, sizeof(list));
	if (r < 0)
		return r;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO dns_forwards(zone, servers) VALUES (?1, ?2) "
					 "ON CONFLICT(zone) DO UPDATE SET servers = excluded.servers");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, f->zone, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, list, -1, SQLITE_TRANSIENT);
	r = store_step_done(s, st);
	return r < 0 ? r : 0;
}

int store_dns_forward_delete(struct store *s, const char *zone)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM dns_forwards WHERE zone = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, zone, -1, SQLITE_TRANSIENT);
	int n = store_step_done(s, st);
	return n < 0 ? n : n == 0 ? -ENOENT : 0;
}
