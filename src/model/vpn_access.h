/* One policy for what a VPN peer may reach, compiled from its services
 * for every enforcement point (the firewall's sets, and later the DNS
 * views). A grant is a destination in the cell, a protocol and a port;
 * `internet` and `peers` are flags (egress through the cell, traffic to
 * other peers that have `peers` too). DNS is always granted: a peer
 * resolves through the cell. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cidr.h"
#include "vpn_peer.h"

#define VPN_ACCESS_MAX 32
#define VPN_PROTO_TCP 6
#define VPN_PROTO_UDP 17

struct vpn_grant {
	const char *service; /* "dns", "calendar", ... */
	uint32_t daddr;      /* host order */
	uint8_t proto;       /* VPN_PROTO_TCP or VPN_PROTO_UDP */
	uint16_t port;
};

struct vpn_access {
	struct vpn_grant grants[VPN_ACCESS_MAX];
	size_t n_grants;
	bool internet;
	bool peers;
};

/* What `p` may reach in a cell on `ip_range`. */
void vpn_access_of(const struct vpn_peer *p, const struct ipv4_net *ip_range, struct vpn_access *ret);
