/* The VPN's firewall sets (nft_render.h: vpn_grants, vpn_ping,
 * vpn_internet, vpn_peers) as commands that make them hold exactly the
 * grants of the peers active now: flushed and refilled in one
 * transaction, so no packet ever sees a half-changed policy. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "model/cidr.h"
#include "model/vpn_peer.h"

int vpn_nft_commands(const struct vpn_peer *peers, size_t n, const struct ipv4_net *ip_range, int64_t now,
		     struct buf *out);

/* The commands for one peer's change: its old elements deleted (when
 * `before` was active), its new ones added (when `after` is); either may
 * be NULL (added, deleted). Nothing else in the sets is touched. */
int vpn_nft_peer_commands(const struct vpn_peer *before, const struct vpn_peer *after,
			  const struct ipv4_net *ip_range, int64_t now, struct buf *out);
