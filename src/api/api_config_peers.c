/* VPN peers following vpn_subnet (see api_config_peers.h). */
#include "api_config_peers.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "daemon.h"
#include "store/store_vpn.h"
#include "common/banned.h"

static int reply_too_small(struct http_response *res, const struct ipv4_net *to, size_t n_peers)
{
	char net[CIDR_STR_MAX];
	cidr_format(to, net);
	uint64_t room = vpn_address_capacity(to);
	http_error(res, 409, "subnet_full", "vpn_subnet",
		   "vpn_subnet %s has %" PRIu64 " address%s for peers, but there are %zu peers: choose a larger "
		   "subnet or remove peers first", net, room, room == 1 ? "" : "es", n_peers);
	return -ENOSPC;
}

int api_config_peers_fit(struct daemon *d, const struct ipv4_net *to, struct http_response *res)
{
	uint32_t *used = NULL;
	struct vpn_freed *freed = NULL;
	size_t n_used = 0, n_freed = 0;
	int r = store_vpn_addresses(d->store, &used, &n_used, &freed, &n_freed);
	free(used);
	free(freed);
	if (r < 0)
		return r;
	return n_used > vpn_address_capacity(to) ? reply_too_small(res, to, n_used) : 0;
}

static json_t *move_json(const char *name, uint32_t old, uint32_t new)
{
	char a[IPV4_STR_MAX], b[IPV4_STR_MAX];
	ipv4_format(old, a);
	ipv4_format(new, b);
	return json_pack("{s:s, s:s, s:s}", "name", name, "old", a, "new", b);
}

int api_config_peers_move(struct daemon *d, const struct ipv4_net *to, int64_t now, json_t **ret_moved,
			  struct http_response *res)
{
	struct vpn_peer *peers = NULL;
	struct vpn_freed *freed = NULL;
	uint32_t *used = NULL;
	size_t n = 0, n_used = 0, n_freed = 0;
	int r = store_vpn_peer_list(d->store, &peers, &n);
	if (r < 0)
		return r;
	r = store_vpn_addresses(d->store, &used, &n_used, &freed, &n_freed);
	uint32_t *old = r == 0 ? calloc(n + 1, sizeof(*old)) : NULL;
	uint32_t *new = r == 0 ? calloc(n + 1, sizeof(*new)) : NULL;
	int64_t *ids = r == 0 ? calloc(n + 1, sizeof(*ids)) : NULL;
	json_t *moved = r == 0 ? json_array() : NULL;
	if (r == 0 && (!old || !new || !ids || !moved))
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < n; i++)
		old[i] = peers[i].address;
	if (r == 0)
		r = vpn_address_move(&d->config.vpn_subnet, to, old, n, freed, n_freed, now, new);
	if (r == -ENOSPC)
		reply_too_small(res, to, n);
	/* Only the peers that change address are written. */
	size_t n_moved = 0;
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (new[i] == old[i])
			continue;
		if (json_array_append_new(moved, move_json(peers[i].name, old[i], new[i])) < 0)
			r = -ENOMEM;
		ids[n_moved] = peers[i].id;
		new[n_moved++] = new[i];
	}
	if (r == 0)
		r = store_vpn_readdress(d->store, ids, new, n_moved, to, now);
	if (r == 0)
		*ret_moved = json_incref(moved);
	json_decref(moved);
	free(ids);
	free(new);
	free(old);
	free(used);
	free(freed);
	store_vpn_peers_free(peers, n);
	return r;
}
