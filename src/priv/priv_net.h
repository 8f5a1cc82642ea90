/* The privileged boundary of the cell network (see priv.h): the rest of
 * picd changes links, namespaces and nftables only through these. Each
 * takes values that picd built itself (a plan from netplan_build()) and
 * checks their shape again before acting as root. */
#pragma once

#include <stddef.h>

#include "net/netplan.h"

struct nft_session;

/* Applies the plan (net_apply(), through nftables session `nft`, which
 * may be NULL). -EINVAL for a malformed plan. */
int priv_net_apply(const struct netplan *p, struct nft_session *nft, char *err, size_t errlen);

/* Removes the cell network of the cell whose run directory is `run_dir`
 * (net_teardown() on bridge NETPLAN_BRIDGE). */
int priv_net_teardown(const char *run_dir, char *err, size_t errlen);

/* Opens the network namespace of service `s` for a child to join
 * (setns) before it executes the service. */
int priv_netns_open(const struct netplan_service *s, int *ret_fd);

/* Pins `ns_fd`, the namespace a running daemon of service `s` is in, as
 * that service's namespace, where nothing is pinned (netns_pin()). */
int priv_netns_adopt(const struct netplan_service *s, int ns_fd);
