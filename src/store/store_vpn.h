/* VPN peers in the store. Private and preshared keys are secrets: lists
 * are wiped before they are freed (store_vpn_peers_free). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "model/vpn_peer.h"
#include "store.h"

/* Every peer, by name. */
int store_vpn_peer_list(struct store *s, struct vpn_peer **ret, size_t *ret_n);
void store_vpn_peers_free(struct vpn_peer *peers, size_t n);
/* -ENOENT if there is none of that name. */
int store_vpn_peer_get(struct store *s, const char *name, struct vpn_peer *ret);
/* Whether a peer other than `except_id` has this public key. */
int store_vpn_key_taken(struct store *s, const char *public_key, int64_t except_id);
/* Inserts `p` (its id is set); -EEXIST for a name, key or address
 * already held. The address is no longer "freed". */
int store_vpn_peer_add(struct store *s, struct vpn_peer *p);
/* Replaces the peer with p->id; -ENOENT, -EEXIST as above. */
int store_vpn_peer_update(struct store *s, const struct vpn_peer *p);
/* Deletes the peer and records its address as freed at `now`. */
int store_vpn_peer_delete(struct store *s, const char *name, int64_t now);
/* Gives the peer ids[i] the address addresses[i], all in one go (no two
 * peers hold one address at any step), and keeps the freed addresses
 * those of `subnet`: the ones the peers left are freed at `now`, the ones
 * a peer holds are not, and any outside `subnet` are forgotten. Run in
 * the caller's transaction; -ENOENT when a peer is missing. */
int store_vpn_readdress(struct store *s, const int64_t *ids, const uint32_t *addresses, size_t n,
			const struct ipv4_net *subnet, int64_t now);
/* The addresses peers hold, and the freed ones (malloc'd; free both). */
int store_vpn_addresses(struct store *s, uint32_t **ret_used, size_t *ret_n_used, struct vpn_freed **ret_freed,
			size_t *ret_n_freed);
