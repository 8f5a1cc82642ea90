/* DHCP settings and reservations (dnsmasq on a LAN interface of the host).
 * Off until an interface is set. Addresses are host-order IPv4. */
#pragma once

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "cidr.h"
#include "field_error.h"
#include "name.h"

#define DHCP_LEASE_MIN_S 120
#define DHCP_LEASE_MAX_S (90 * 24 * 3600)
#define DHCP_LEASE_DEFAULT_S (12 * 3600)
#define DHCP_HOSTNAME_MAX NAME_LABEL_MAX_LEN

struct dhcp_settings {
	bool enabled;           /* an interface is set */
	char interface[IFNAMSIZ];
	uint32_t range_start, range_end;
	uint32_t lease_s;
	uint32_t gateway;       /* 0: none announced */
};

/* The subnet of the LAN interface, read from the system when the settings
 * are validated and applied. */
int dhcp_settings_validate(const struct dhcp_settings *s, const struct ipv4_net *lan,
			   struct field_error *e);

struct dhcp_reservation {
	uint8_t mac[6];
	uint32_t ip;
	char hostname[DHCP_HOSTNAME_MAX + 1]; /* a single DNS label, lower case; may be empty */
};

/* "aa:bb:cc:dd:ee:ff" (also '-' separated, any case) → 6 bytes; the
 * multicast bit must be clear and the address not all zero. */
int dhcp_mac_parse(const char *s, uint8_t ret[6]);
void dhcp_mac_format(const uint8_t mac[6], char out[18]);

/* Inside `lan`, not its network/broadcast address, not the gateway, not
 * the host's own LAN address; the hostname a valid label. */
int dhcp_reservation_validate(const struct dhcp_reservation *r, const struct dhcp_settings *s,
			      const struct ipv4_net *lan, uint32_t host_addr, struct field_error *e);

struct dhcp_lease {
	int64_t expiry; /* unix time; 0 = infinite */
	uint8_t mac[6];
	uint32_t ip;
	char hostname[DHCP_HOSTNAME_MAX + 1];
};

/* Parses dnsmasq's lease file text ("expiry MAC IP hostname clientid"
 * per line; hostname "*" = none). Malformed lines are skipped. Fills up to
 * `max`; returns the count. */
int dhcp_leases_parse(const char *text, struct dhcp_lease *ret, int max);
