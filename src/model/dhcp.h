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

/* `lan` is the subnet of the LAN interface and `host_addr` the host's own
 * address on it, both read from the system when the settings are validated
 * and applied. Enabled settings need an interface (1..15 of [A-Za-z0-9._-],
 * not "lo"), a `lan` of /30 or larger, a range inside it that is ordered,
 * avoids the network and broadcast addresses and does not contain
 * host_addr, and a gateway (if any) inside `lan` and outside the range;
 * the gateway may be host_addr. Disabled settings (no interface) only have
 * their lease time and the interface name's syntax checked, and `lan` may
 * be NULL. 0, or -EINVAL with `e`
 * naming "interface", "range_start", "range_end", "lease_time" or
 * "gateway". */
int dhcp_settings_validate(const struct dhcp_settings *s, const struct ipv4_net *lan,
			   uint32_t host_addr, struct field_error *e);

struct dhcp_reservation {
	uint8_t mac[6];
	uint32_t ip;
	char hostname[DHCP_HOSTNAME_MAX + 1]; /* a single DNS label, lower case; may be empty */
};

#define DHCP_MAC_STR_MAX 18 /* "aa:bb:cc:dd:ee:ff" + NUL */

/* "aa:bb:cc:dd:ee:ff" (or all '-' separated, any case: six groups of two
 * hex digits, one separator throughout) → 6 bytes; the multicast bit must
 * be clear and the address not all zero. -EINVAL otherwise (also for
 * NULL); `ret` is written only on success. */
int dhcp_mac_parse(const char *s, uint8_t ret[6]);
/* Lower case, colon separated. */
void dhcp_mac_format(const uint8_t mac[6], char out[DHCP_MAC_STR_MAX]);
/* A MAC dhcp_mac_parse would accept: unicast and not all zero. */
bool dhcp_mac_valid(const uint8_t mac[6]);
/* A single DNS label of 1..DHCP_HOSTNAME_MAX lower-case letters, digits or
 * hyphens, neither starting nor ending with a hyphen. */
bool dhcp_hostname_valid(const char *s);

/* The MAC valid (see dhcp_mac_valid); the IP inside `lan` (inside or
 * outside the dynamic range), not its network/broadcast address, not the
 * gateway (`s` may be NULL: no gateway), not the host's own LAN address;
 * the hostname empty or a valid label (dhcp_hostname_valid: upper case is
 * refused, not folded). `lan` NULL (no LAN subnet known) refuses every
 * IP. 0, or -EINVAL with `e` naming "mac", "ip" or "hostname". Duplicates
 * among reservations are the store's to refuse. */
int dhcp_reservation_validate(const struct dhcp_reservation *r, const struct dhcp_settings *s,
			      const struct ipv4_net *lan, uint32_t host_addr, struct field_error *e);

struct dhcp_lease {
	int64_t expiry; /* unix time; 0 = infinite */
	uint8_t mac[6];
	uint32_t ip;
	char hostname[DHCP_HOSTNAME_MAX + 1];
};

/* Parses dnsmasq's lease file text ("expiry MAC IP hostname clientid"
 * per line, LF or CRLF). Lines without a valid expiry, Ethernet MAC and
 * IPv4 address are skipped (so are DHCPv6 lines and lines of more than
 * five fields); the hostname and client id may be missing. A hostname that
 * is "*", missing or not a valid label becomes "" (none); a valid one is
 * lower-cased. When a MAC appears twice the later line wins, in the place
 * of the earlier. Fills up to `max` (later new MACs are dropped); returns
 * the count, or -EINVAL (text NULL, max < 0), -ENOMEM. */
int dhcp_leases_parse(const char *text, struct dhcp_lease *ret, int max);
