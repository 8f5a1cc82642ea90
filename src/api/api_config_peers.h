/* What a new vpn_subnet does to the VPN peers (api_config.c): they all
 * move into it in the store transaction that applies it, each keeping its
 * host offset where it can (vpn_address_move); a subnet too small for
 * them is refused with 409 `subnet_full`, field vpn_subnet, before
 * anything changes. The interface, the firewall and the DNS views follow
 * the store when the network is re-applied (apply_cell_readdress). */
#pragma once

#include <jansson.h>
#include <stdint.h>

#include "http.h"
#include "model/cidr.h"

struct daemon;

/* 0 when `to` has a peer address for every peer; else -ENOSPC with the
 * 409 in `res`. */
int api_config_peers_fit(struct daemon *d, const struct ipv4_net *to, struct http_response *res);

/* In the caller's open transaction: every peer moves from
 * d->config.vpn_subnet into `to`. *ret_moved is [{"name","old","new"}],
 * by name, for each peer whose address changed. -ENOSPC with the 409 in
 * `res` when they do not fit (nothing written). */
int api_config_peers_move(struct daemon *d, const struct ipv4_net *to, int64_t now, json_t **ret_moved,
			  struct http_response *res);
