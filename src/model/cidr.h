/* IPv4 addresses and networks, parsed strictly. Addresses are kept in host
 * byte order. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define IPV4_STR_MAX 16 /* "255.255.255.255" + NUL */
#define CIDR_STR_MAX 24 /* "255.255.255.255/32" + NUL, rounded up */

struct ipv4_net {
	uint32_t addr;
	uint8_t prefix;
};

/* Dotted quad, each part 0..255 without leading zeros. */
int ipv4_parse(const char *s, uint32_t *ret_addr);
/* "a.b.c.d/n" with an explicit prefix 0..32. A bare address, an IPv6
 * network or trailing text is -EINVAL. Host bits are not checked here. */
int cidr_parse(const char *s, struct ipv4_net *ret_net);

void ipv4_format(uint32_t addr, char out[IPV4_STR_MAX]);
void cidr_format(const struct ipv4_net *n, char out[CIDR_STR_MAX]);

uint32_t cidr_mask(uint8_t prefix);
uint64_t cidr_size(const struct ipv4_net *n);
bool cidr_host_bits_zero(const struct ipv4_net *n);
bool cidr_contains(const struct ipv4_net *outer, const struct ipv4_net *inner);
bool cidr_overlaps(const struct ipv4_net *a, const struct ipv4_net *b);
/* Inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16. */
bool cidr_is_rfc1918(const struct ipv4_net *n);
