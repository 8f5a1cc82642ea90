/* The vpn_peers and vpn_addresses_freed tables. */
#include "store_vpn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/banned.h"

#define PEER_COLUMNS                                                                                      \
	"id, name, public_key, private_key, preshared_key, address, services, tunnel, expires_at, enabled, " \
	"created_at"

static void text_column(sqlite3_stmt *st, int col, char *out, size_t outlen)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(out, outlen, "%s", t ? (const char *)t : "");
}

/* "a,b,c" into the sorted list (the store holds it sorted already). */
static void services_from(const char *text, struct vpn_peer *p)
{
	p->n_services = 0;
	for (const char *s = text; *s && p->n_services < VPN_PEER_SERVICES_MAX;) {
		size_t len = strcspn(s, ",");
		if (len > 0 && len <= VPN_SERVICE_MAX_LEN) {
			memcpy(p->services[p->n_services], s, len);
			p->services[p->n_services++][len] = '\0';
		}
		s += len + (s[len] == ',');
	}
}

static void services_to(const struct vpn_peer *p, char *out, size_t outlen)
{
	out[0] = '\0';
	for (size_t i = 0; i < p->n_services; i++) {
		size_t used = strlen(out);
		snprintf(out + used, outlen - used, "%s%s", i ? "," : "", p->services[i]);
	}
}

static void peer_from_row(sqlite3_stmt *st, struct vpn_peer *p)
{
	*p = (struct vpn_peer){ .id = sqlite3_column_int64(st, 0) };
	text_column(st, 1, p->name, sizeof(p->name));
	text_column(st, 2, p->public_key, sizeof(p->public_key));
	text_column(st, 3, p->private_key, sizeof(p->private_key));
	text_column(st, 4, p->preshared_key, sizeof(p->preshared_key));
	p->address = (uint32_t)sqlite3_column_int64(st, 5);
	const unsigned char *services = sqlite3_column_text(st, 6);
	services_from(services ? (const char *)services : "", p);
	const unsigned char *tunnel = sqlite3_column_text(st, 7);
	if (!tunnel || vpn_tunnel_parse((const char *)tunnel, &p->tunnel) < 0)
		p->tunnel = VPN_TUNNEL_SPLIT;
	p->expires_at = sqlite3_column_int64(st, 8);
	p->enabled = sqlite3_column_int(st, 9) != 0;
	p->created_at = sqlite3_column_int64(st, 10);
}

void store_vpn_peers_free(struct vpn_peer *peers, size_t n)
{
	if (peers)
		sodium_memzero(peers, n * sizeof(*peers));
	free(peers);
}

int store_vpn_peer_list(struct store *s, struct vpn_peer **ret, size_t *ret_n)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " PEER_COLUMNS " FROM vpn_peers ORDER BY name");
	if (!st)
		return -EIO;
	struct vpn_peer *peers = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t more = cap ? cap * 2 : 64;
			struct vpn_peer *bigger = calloc(more, sizeof(*bigger));
			if (!bigger) {
				sqlite3_reset(st);
				store_vpn_peers_free(peers, n);
				return -ENOMEM;
			}
			if (peers)
				memcpy(bigger, peers, n * sizeof(*peers));
			store_vpn_peers_free(peers, n);
			peers = bigger;
			cap = more;
		}
		peer_from_row(st, &peers[n++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_vpn_peers_free(peers, n);
		return store_errno(rc);
	}
	*ret = peers;
	*ret_n = n;
	return 0;
}

int store_vpn_peer_get(struct store *s, const char *name, struct vpn_peer *ret)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " PEER_COLUMNS " FROM vpn_peers WHERE name = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		peer_from_row(st, ret);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : store_errno(rc);
}

int store_vpn_key_taken(struct store *s, const char *public_key, int64_t except_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM vpn_peers WHERE public_key = ?1 AND id != ?2");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, public_key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, except_id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : store_errno(rc);
}

static void bind_peer(sqlite3_stmt *st, const struct vpn_peer *p)
{
	char services[VPN_PEER_SERVICES_MAX * (VPN_SERVICE_MAX_LEN + 1) + 1];
	services_to(p, services, sizeof(services));
	sqlite3_bind_text(st, 1, p->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, p->public_key, -1, SQLITE_TRANSIENT);
	if (p->private_key[0])
		sqlite3_bind_text(st, 3, p->private_key, -1, SQLITE_TRANSIENT);
	if (p->preshared_key[0])
		sqlite3_bind_text(st, 4, p->preshared_key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, p->address);
	sqlite3_bind_text(st, 6, services, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, vpn_tunnel_name(p->tunnel), -1, SQLITE_STATIC);
	if (p->expires_at)
		sqlite3_bind_int64(st, 8, p->expires_at);
	sqlite3_bind_int(st, 9, p->enabled);
	sqlite3_bind_int64(st, 10, p->created_at);
}

int store_vpn_peer_add(struct store *s, struct vpn_peer *p)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO vpn_peers(name, public_key, private_key, preshared_key, address, "
					 "services, tunnel, expires_at, enabled, created_at) "
					 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (!st)
		return -EIO;
	bind_peer(st, p);
	int n = store_step_done(s, st);
	if (n < 0)
		return n;
	p->id = sqlite3_last_insert_rowid(sqlite3_db_handle(st));
	st = store_stmt(s, "DELETE FROM vpn_addresses_freed WHERE address = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, p->address);
	n = store_step_done(s, st);
	return n < 0 ? n : 0;
}

int store_vpn_peer_update(struct store *s, const struct vpn_peer *p)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE vpn_peers SET name = ?1, public_key = ?2, private_key = ?3, "
					 "preshared_key = ?4, address = ?5, services = ?6, tunnel = ?7, "
					 "expires_at = ?8, enabled = ?9, created_at = ?10 WHERE id = ?11");
	if (!st)
		return -EIO;
	bind_peer(st, p);
	sqlite3_bind_int64(st, 11, p->id);
	int n = store_step_done(s, st);
	return n < 0 ? n : n == 0 ? -ENOENT : 0;
}

int store_vpn_peer_delete(struct store *s, const char *name, int64_t now)
{
	struct vpn_peer p;
	int r = store_vpn_peer_get(s, name, &p);
	sodium_memzero(&p.private_key, sizeof(p.private_key));
	sodium_memzero(&p.preshared_key, sizeof(p.preshared_key));
	if (r < 0)
		return r;
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM vpn_peers WHERE id = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, p.id);
	int n = store_step_done(s, st);
	if (n < 0)
		return n;
	st = store_stmt(s, "INSERT OR REPLACE INTO vpn_addresses_freed(address, freed_at) VALUES (?1, ?2)");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, p.address);
	sqlite3_bind_int64(st, 2, now);
	n = store_step_done(s, st);
	return n < 0 ? n : 0;
}

/* One statement per peer, binding ?1 to its id and ?2 (when there is
 * one) to the address; -ENOENT when a peer is missing. */
static int each_peer(struct store *s, const char *sql, const int64_t *ids, const uint32_t *addresses, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *st = store_stmt(s, sql);
		if (!st)
			return -EIO;
		sqlite3_bind_int64(st, 1, ids[i]);
		if (addresses)
			sqlite3_bind_int64(st, 2, addresses[i]);
		int r = store_step_done(s, st);
		if (r <= 0)
			return r < 0 ? r : -ENOENT;
	}
	return 0;
}

int store_vpn_readdress(struct store *s, const int64_t *ids, const uint32_t *addresses, size_t n,
			const struct ipv4_net *subnet, int64_t now)
{
	/* Every held address as freed now; those still held are taken out
	 * again below, leaving the ones the peers left. */
	sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO vpn_addresses_freed(address, freed_at) "
					 "SELECT address, ?1 FROM vpn_peers");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, now);
	int r = store_step_done(s, st);
	if (r < 0)
		return r;
	/* Addresses are unique: each peer steps aside (to -id, never an
	 * address) before any takes its new one. */
	r = each_peer(s, "UPDATE vpn_peers SET address = -id WHERE id = ?1", ids, NULL, n);
	if (r == 0)
		r = each_peer(s, "UPDATE vpn_peers SET address = ?2 WHERE id = ?1", ids, addresses, n);
	if (r < 0)
		return r;
	uint32_t first = subnet->addr & cidr_mask(subnet->prefix);
	st = store_stmt(s, "DELETE FROM vpn_addresses_freed WHERE address IN (SELECT address FROM vpn_peers) "
			   "OR address < ?1 OR address > ?2");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, first);
	sqlite3_bind_int64(st, 2, (int64_t)first + (int64_t)cidr_size(subnet) - 1);
	r = store_step_done(s, st);
	return r < 0 ? r : 0;
}

/* Appends column 0 (and 1) of every row to a growing array. */
static int collect(sqlite3_stmt *st, size_t elem, void **ret, size_t *ret_n,
		   void (*fill)(sqlite3_stmt *st, void *slot))
{
	unsigned char *items = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t more = cap ? cap * 2 : 256;
			unsigned char *bigger = realloc(items, more * elem);
			if (!bigger) {
				sqlite3_reset(st);
				free(items);
				return -ENOMEM;
			}
			items = bigger;
			cap = more;
		}
		fill(st, items + n++ * elem);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(items);
		return store_errno(rc);
	}
	*ret = items;
	*ret_n = n;
	return 0;
}

static void fill_address(sqlite3_stmt *st, void *slot)
{
	*(uint32_t *)slot = (uint32_t)sqlite3_column_int64(st, 0);
}

static void fill_freed(sqlite3_stmt *st, void *slot)
{
	*(struct vpn_freed *)slot = (struct vpn_freed){ .address = (uint32_t)sqlite3_column_int64(st, 0),
							.freed_at = sqlite3_column_int64(st, 1) };
}

int store_vpn_addresses(struct store *s, uint32_t **ret_used, size_t *ret_n_used, struct vpn_freed **ret_freed,
			size_t *ret_n_freed)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT address FROM vpn_peers");
	if (!st)
		return -EIO;
	void *used = NULL, *freed = NULL;
	int r = collect(st, sizeof(uint32_t), &used, ret_n_used, fill_address);
	if (r < 0)
		return r;
	st = store_stmt(s, "SELECT address, freed_at FROM vpn_addresses_freed");
	r = st ? collect(st, sizeof(struct vpn_freed), &freed, ret_n_freed, fill_freed) : -EIO;
	if (r < 0) {
		free(used);
		return r;
	}
	*ret_used = used;
	*ret_freed = freed;
	return 0;
}
