/* The cell network as it should be: a pure function of the configuration
 * and the list of services, computed without touching the machine (and
 * unit-tested without root), then applied by net_apply().
 *
 * Layout: bridge `bridge` in picd's network namespace carries `ip_range`
 * and holds the host address (plan offset "host"). Each service runs in a
 * network namespace of its own, pinned as a file `netns_path` under the
 * run directory (so two cells with different state directories never
 * collide), joined to the bridge by a veth pair: `veth_host` on the bridge,
 * `veth_peer` inside the namespace with the service's address(es) and a
 * default route via the host address. */
#pragma once

#include <limits.h>
#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "model/cidr.h"
#include "model/config.h"

#define NETPLAN_MAX_SERVICES 16
#define NETPLAN_MAX_ADDRS 6
#define NETPLAN_BRIDGE "pic0"
#define NETPLAN_PEER_IFNAME "eth0"
#define NETPLAN_VETH_PREFIX "pic-" /* veth_host is this + the service name */
#define NETPLAN_NETNS_DIR "netns"  /* under run_dir: the pinned namespaces */
/* The VPN's WireGuard interface, in picd's namespace beside the bridge;
 * it holds the first host address of vpn_subnet (ipplan_vpn_server). */
#define NETPLAN_VPN_IFNAME "picwg0"

struct netplan_service {
	char name[16];
	char netns_path[PATH_MAX];
	char veth_host[IFNAMSIZ];
	char veth_peer[IFNAMSIZ];
	unsigned n_addrs;
	uint32_t addrs[NETPLAN_MAX_ADDRS]; /* first: the service's own address */
	uint8_t prefix;                    /* of ip_range */
	uint32_t gateway;                  /* the host address */
};

struct netplan {
	char bridge[IFNAMSIZ];
	uint32_t host_addr;
	struct ipv4_net ip_range;
	struct ipv4_net vpn_subnet;
	size_t n_services;
	struct netplan_service services[NETPLAN_MAX_SERVICES];
};

/* Builds the plan for `services` (names from the address plan, e.g.
 * "ntp"); `run_dir` (absolute) is where namespace files live
 * (<run_dir>/netns/<name>). -EINVAL for a name that is not a service of
 * the address plan, is listed twice or is too long for "pic-<name>" to be
 * an interface name, and for a relative or too-long run_dir; -E2BIG for
 * more than NETPLAN_MAX_SERVICES services. `ret` is written only on
 * success. */
int netplan_build(const struct cell_config *c, const char *run_dir, const char *const *services,
		  size_t n_services, struct netplan *ret);

const struct netplan_service *netplan_find(const struct netplan *p, const char *name);
