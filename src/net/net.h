/* The cell network applied to the system: bridge, one namespace and veth
 * pair per service, addresses, routes, IP forwarding and the nftables
 * table, from a plan (netplan.h). Idempotent: applying the plan in force
 * changes nothing; applying a new plan (a new ip_range) re-addresses the
 * links in place while services keep running in their namespaces.
 *
 * Acts on picd's network namespace (the host's, in production). On
 * failure `err` (may be NULL) says which step failed and why. */
#pragma once

#include <stddef.h>

#include "net/netplan.h"

struct nft_session;

/* `nft`: the nftables session to use (nft.h; may be NULL). */
int net_apply(const struct netplan *p, struct nft_session *nft, char *err, size_t errlen);

/* Removes what net_apply() made: every veth NETPLAN_VETH_PREFIX* on
 * `bridge`, the bridge, every namespace pinned under
 * <run_dir>/NETPLAN_NETNS_DIR (and the directory), and the nftables table.
 * Leaves ip_forward alone (other things may rely on it). 0 when all of it
 * is already gone; otherwise goes on past errors and returns the first. */
int net_teardown(const char *bridge, const char *run_dir, char *err, size_t errlen);
