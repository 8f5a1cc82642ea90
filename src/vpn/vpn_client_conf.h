/* A peer's WireGuard client config, as wg-quick and the mobile apps read
 * it: its address, the cell's DNS (and the cell zone as search domain),
 * the server's key and endpoint, the preshared key, AllowedIPs by tunnel
 * mode (split: the cell's two networks; full: everything) and a
 * keepalive, so that a phone behind NAT stays reachable. */
#pragma once

#include <stdint.h>

#include "common/buf.h"
#include "model/cidr.h"
#include "model/vpn_peer.h"

#define VPN_CLIENT_KEEPALIVE_S 25

struct vpn_client_conf_input {
	const struct vpn_peer *peer;
	const char *server_public_key; /* base64 */
	const char *endpoint;          /* "host:port" */
	uint32_t dns;                  /* the cell's DNS service address */
	const char *zone;              /* the cell zone, for DNS search */
	struct ipv4_net ip_range, vpn_subnet;
};

/* Appends the config. A peer that brought its own key gets a commented
 * PrivateKey line to fill in on the device. */
int vpn_client_conf(const struct vpn_client_conf_input *in, struct buf *out);
