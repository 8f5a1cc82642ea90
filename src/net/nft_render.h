/* The cell's nftables ruleset as text: a pure function of the network
 * plan, golden-tested. It is the whole `table inet pic { ... }`; the
 * applier (nft.c) wraps it in the commands that replace the table. */
#pragma once

#include "common/buf.h"
#include "net/netplan.h"

#define NFT_TABLE_FAMILY "inet"
#define NFT_TABLE_NAME "pic"
/* The VPN's sets in the table (filled by picd: vpn_nft.h). */
#define NFT_VPN_GRANTS "vpn_grants"
#define NFT_VPN_PING "vpn_ping"
#define NFT_VPN_INTERNET "vpn_internet"
#define NFT_VPN_PEERS "vpn_peers"

/* Appends the ruleset to `out`. -EINVAL if the bridge name in the plan is
 * not a plain interface name; -E2BIG if it does not fit under the
 * buffer's limit (`out` is then left as it was). */
int nft_render(const struct netplan *p, struct buf *out);
