/* IPv4 parsing and network arithmetic. */
#include "cidr.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/banned.h"

/* Parses up to 3 digits at *p into a number <= max; advances *p. */
static int parse_small(const char **p, unsigned max, unsigned *ret)
{
	const char *s = *p;
	unsigned v = 0;
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9') {
		if (n == 3)
			return -EINVAL;
		v = v * 10 + (unsigned)(s[n] - '0');
		n++;
	}
	if (n == 0 || (n > 1 && s[0] == '0') || v > max)
		return -EINVAL;
	*p = s + n;
	*ret = v;
	return 0;
}

static int parse_quad(const char **p, uint32_t *ret_addr)
{
	uint32_t addr = 0;
	for (int i = 0; i < 4; i++) {
		unsigned octet;
		if (i > 0) {
			if (**p != '.')
				return -EINVAL;
			(*p)++;
		}
		if (parse_small(p, 255, &octet) < 0)
			return -EINVAL;
		addr = (addr << 8) | octet;
	}
	*ret_addr = addr;
	return 0;
}

int ipv4_parse(const char *s, uint32_t *ret_addr)
{
	uint32_t a;
	if (parse_quad(&s, &a) < 0 || *s != '\0')
		return -EINVAL;
	*ret_addr = a;
	return 0;
}

int cidr_parse(const char *s, struct ipv4_net *ret_net)
{
	uint32_t a;
	unsigned prefix;
	if (parse_quad(&s, &a) < 0 || *s != '/')
		return -EINVAL;
	s++;
	if (parse_small(&s, 32, &prefix) < 0 || *s != '\0')
		return -EINVAL;
	*ret_net = (struct ipv4_net){ .addr = a, .prefix = (uint8_t)prefix };
	return 0;
}

void ipv4_format(uint32_t a, char out[IPV4_STR_MAX])
{
	snprintf(out, IPV4_STR_MAX, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

void cidr_format(const struct ipv4_net *n, char out[CIDR_STR_MAX])
{
	char ip[IPV4_STR_MAX];
	ipv4_format(n->addr, ip);
	snprintf(out, CIDR_STR_MAX, "%s/%u", ip, n->prefix);
}

uint32_t cidr_mask(uint8_t prefix)
{
	return prefix == 0 ? 0 : (uint32_t)(0xffffffffu << (32 - prefix));
}

uint64_t cidr_size(const struct ipv4_net *n)
{
	return (uint64_t)1 << (32 - n->prefix);
}

bool cidr_host_bits_zero(const struct ipv4_net *n)
{
	return (n->addr & ~cidr_mask(n->prefix)) == 0;
}

bool cidr_contains(const struct ipv4_net *outer, const struct ipv4_net *inner)
{
	return inner->prefix >= outer->prefix &&
	       (inner->addr & cidr_mask(outer->prefix)) == (outer->addr & cidr_mask(outer->prefix));
}

bool cidr_overlaps(const struct ipv4_net *a, const struct ipv4_net *b)
{
	return cidr_contains(a, b) || cidr_contains(b, a);
}

bool cidr_is_rfc1918(const struct ipv4_net *n)
{
	static const struct ipv4_net private_nets[] = {
		{ 0x0a000000u, 8 },  /* 10.0.0.0/8 */
		{ 0xac100000u, 12 }, /* 172.16.0.0/12 */
		{ 0xc0a80000u, 16 }, /* 192.168.0.0/16 */
	};
	for (size_t i = 0; i < sizeof(private_nets) / sizeof(private_nets[0]); i++)
		if (cidr_contains(&private_nets[i], n))
			return true;
	return false;
}
