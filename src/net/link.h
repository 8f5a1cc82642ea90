/* Links, addresses and routes over rtnetlink (libnl-route-3): the bridge,
 * the veth pairs and what is inside each service's namespace. A netlink
 * socket acts on the network namespace it was created in, so a socket
 * opened inside a service's namespace (see net.c) configures that
 * namespace without picd staying in it.
 *
 * Every `ensure` is idempotent: when the system already matches, nothing
 * is sent but the queries. Addresses are IPv4, host byte order. */
#pragma once

#include <stdint.h>

#include "common/cleanup.h"

struct nl_sock;

/* A NETLINK_ROUTE socket in the calling thread's network namespace. */
int link_socket_open(struct nl_sock **ret_sk);
void link_socket_close(struct nl_sock *sk);
DEFINE_PTR_CLEANUP(struct nl_sock, link_socket_close)

/* Bridge `name` exists (created if missing; -EEXIST if a link of that
 * name is not a bridge), is up, and carries exactly `addr`/`prefix`. */
int link_bridge_ensure(struct nl_sock *sk, const char *name, uint32_t addr, uint8_t prefix,
		       int *ret_ifindex);

/* A veth pair `host` (in `sk`'s namespace) / `peer` (in the namespace
 * `ns_fd`, seen through `ns_sk`) exists; a half-pair or a stale link of
 * either name is replaced. `host` is up and, if `master_ifindex` > 0, a
 * port of that bridge. */
int link_veth_ensure(struct nl_sock *sk, const char *host, int master_ifindex,
		     struct nl_sock *ns_sk, int ns_fd, const char *peer);

/* Inside a service's namespace (`ns_sk`): lo up, `ifname` up with exactly
 * `addrs` (the first is the primary address) on `prefix`, and a default
 * route via `gateway` (replacing any other default route). */
int link_ns_configure(struct nl_sock *ns_sk, const char *ifname, const uint32_t *addrs,
		      unsigned n_addrs, uint8_t prefix, uint32_t gateway);

/* Link `ifindex` carries exactly `addrs`/`prefix` as IPv4 addresses, the
 * first as the primary. IPv6 addresses are left alone. */
int link_addrs_sync(struct nl_sock *sk, int ifindex, const uint32_t *addrs, unsigned n_addrs,
		    uint8_t prefix);

/* Link `name` is up. */
int link_up(struct nl_sock *sk, const char *name, int *ret_ifindex);

/* The kernel's WireGuard interface `name` (`ip link add NAME type
 * wireguard`), created down if missing: 0 when it is there, -EOPNOTSUPP
 * when this kernel has no WireGuard, -EEXIST when `name` is a link of
 * another kind (wireguard-go's TUN device). */
int link_wireguard_add(struct nl_sock *sk, const char *name);

/* Deletes link `name`; 0 if absent. With `kind` ("bridge", "veth"), a
 * link of another kind is left alone: -EEXIST. */
int link_delete(struct nl_sock *sk, const char *name, const char *kind);

/* Deletes every port of bridge `bridge` whose name starts with `prefix`;
 * 0 if the bridge is absent. */
int link_delete_ports(struct nl_sock *sk, const char *bridge, const char *prefix);
