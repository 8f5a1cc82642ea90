/* Cell configuration fields and their rules. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/strparse.h"
#include "ipplan.h"
#include "common/banned.h"

const struct config_field config_fields[] = {
	{ "cell_name", CONFIG_STRING, false, "Name of this cell, the first label of its domain" },
	{ "domain", CONFIG_STRING, false, "DNS domain under which the cell's names live" },
	{ "ip_range", CONFIG_STRING, true, "Private IPv4 network of the cell's services (CIDR)" },
	{ "vpn_subnet", CONFIG_STRING, true, "Private IPv4 network for VPN peers (CIDR)" },
	{ "wireguard_port", CONFIG_PORT, false, "UDP port of the WireGuard endpoint" },
	{ "endpoint", CONFIG_OPTIONAL_STRING, false, "host[:port] advertised to VPN clients" },
};
const size_t config_fields_len = sizeof(config_fields) / sizeof(config_fields[0]);

const struct config_field *config_field_find(const char *name)
{
	for (size_t i = 0; i < config_fields_len; i++)
		if (strcmp(config_fields[i].name, name) == 0)
			return &config_fields[i];
	return NULL;
}

void config_defaults(struct cell_config *ret_c)
{
	*ret_c = (struct cell_config){
		.cell_name = "mycell",
		.domain = "cell",
		.ip_range = { 0xac140000u, 16 },  /* 172.20.0.0/16 */
		.vpn_subnet = { 0x0a000000u, 24 }, /* 10.0.0.0/24 */
		.wireguard_port = 51820,
	};
}

static int network_parse(const char *field, const char *text, uint8_t max_prefix,
			 struct ipv4_net *ret_net, struct field_error *e)
{
	struct ipv4_net n;
	if (strchr(text, ':')) {
		field_error_set(e, field, "%s must be an IPv4 network; IPv6 is not supported here", field);
		return -EINVAL;
	}
	if (!strchr(text, '/')) {
		field_error_set(e, field,
				"%s must be a network with an explicit prefix, such as 172.20.0.0/16", field);
		return -EINVAL;
	}
	if (cidr_parse(text, &n) < 0) {
		field_error_set(e, field, "%s is not an IPv4 network in CIDR form (a.b.c.d/n)", field);
		return -EINVAL;
	}
	if (!cidr_host_bits_zero(&n)) {
		char fixed[CIDR_STR_MAX];
		struct ipv4_net base = { n.addr & cidr_mask(n.prefix), n.prefix };
		cidr_format(&base, fixed);
		field_error_set(e, field, "%s has host bits set; did you mean %s?", field, fixed);
		return -EINVAL;
	}
	if (!cidr_is_rfc1918(&n)) {
		field_error_set(e, field,
				"%s must lie inside a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)",
				field);
		return -EINVAL;
	}
	if (n.prefix < CONFIG_NET_MIN_PREFIX) {
		field_error_set(e, field, "%s is too large: the prefix must be /%d or longer", field,
				CONFIG_NET_MIN_PREFIX);
		return -EINVAL;
	}
	if (n.prefix > max_prefix) {
		field_error_set(e, field, "%s is too small for the cell's address plan: the prefix must be /%u or shorter",
				field, max_prefix);
		return -EINVAL;
	}
	*ret_net = n;
	return 0;
}

static int endpoint_validate(const char *field, const char *text, struct field_error *e)
{
	if (strnlen(text, CONFIG_ENDPOINT_MAX + 1) > CONFIG_ENDPOINT_MAX) {
		field_error_set(e, field, "%s is longer than %d characters", field, CONFIG_ENDPOINT_MAX);
		return -EINVAL;
	}
	char host[CONFIG_ENDPOINT_MAX + 1];
	snprintf(host, sizeof(host), "%s", text);
	char *colon = strchr(host, ':');
	if (colon) {
		uint32_t port;
		*colon = '\0';
		if (parse_u32(colon + 1, 1, 65535, &port) < 0) {
			field_error_set(e, field, "%s has a port that is not a number from 1 to 65535", field);
			return -EINVAL;
		}
	}
	uint32_t addr;
	if (ipv4_parse(host, &addr) == 0)
		return 0;
	/* No top-level domain is all digits: such a host is a malformed IPv4
	 * address ("256.1.1.1", "010.0.0.1" — which resolvers read as octal),
	 * never a name. */
	const char *last = strrchr(host, '.');
	last = last ? last + 1 : host;
	if (*last && strspn(last, "0123456789") == strlen(last)) {
		field_error_set(e, field, "%s is not a valid IPv4 address (four numbers 0-255 without leading zeros)",
				field);
		return -EINVAL;
	}
	struct field_error name_err;
	if (name_validate(field, host, &name_err) < 0) {
		field_error_set(e, field, "%s must be a host name or IPv4 address, optionally with :port (%s)",
				field, name_err.message);
		return -EINVAL;
	}
	return 0;
}

int config_field_set(struct cell_config *c, const struct config_field *f, const char *text,
		     struct field_error *e)
{
	const char *n = f->name;
	if (!text) {
		if (f->type != CONFIG_OPTIONAL_STRING) {
			field_error_set(e, n, "%s must not be null", n);
			return -EINVAL;
		}
		c->has_endpoint = false;
		c->endpoint[0] = '\0';
		return 0;
	}

	if (strcmp(n, "cell_name") == 0 || strcmp(n, "domain") == 0) {
		if (name_validate(n, text, e) < 0)
			return -EINVAL;
		char *dst = strcmp(n, "cell_name") == 0 ? c->cell_name : c->domain;
		snprintf(dst, NAME_MAX_LEN + 1, "%s", text);
		return 0;
	}
	if (strcmp(n, "ip_range") == 0)
		return network_parse(n, text, ipplan_max_prefix(), &c->ip_range, e);
	if (strcmp(n, "vpn_subnet") == 0)
		return network_parse(n, text, CONFIG_VPN_MAX_PREFIX, &c->vpn_subnet, e);
	if (strcmp(n, "wireguard_port") == 0) {
		uint32_t port;
		if (parse_u32(text, 1, 65535, &port) < 0) {
			field_error_set(e, n, "%s must be a number from 1 to 65535", n);
			return -EINVAL;
		}
		c->wireguard_port = (uint16_t)port;
		return 0;
	}
	if (strcmp(n, "endpoint") == 0) {
		if (endpoint_validate(n, text, e) < 0)
			return -EINVAL;
		c->has_endpoint = true;
		snprintf(c->endpoint, sizeof(c->endpoint), "%s", text);
		return 0;
	}
	field_error_set(e, n, "unknown field %s", n);
	return -EINVAL;
}

int config_field_get(const struct cell_config *c, const struct config_field *f, char *out,
		     size_t outlen)
{
	const char *n = f->name;
	int r;
	out[0] = '\0';
	if (strcmp(n, "cell_name") == 0)
		r = snprintf(out, outlen, "%s", c->cell_name);
	else if (strcmp(n, "domain") == 0)
		r = snprintf(out, outlen, "%s", c->domain);
	else if (strcmp(n, "ip_range") == 0) {
		char s[CIDR_STR_MAX];
		cidr_format(&c->ip_range, s);
		r = snprintf(out, outlen, "%s", s);
	} else if (strcmp(n, "vpn_subnet") == 0) {
		char s[CIDR_STR_MAX];
		cidr_format(&c->vpn_subnet, s);
		r = snprintf(out, outlen, "%s", s);
	} else if (strcmp(n, "wireguard_port") == 0)
		r = snprintf(out, outlen, "%u", c->wireguard_port);
	else if (strcmp(n, "endpoint") == 0) {
		if (!c->has_endpoint)
			return 1;
		r = snprintf(out, outlen, "%s", c->endpoint);
	} else
		return -EINVAL;
	if (r < 0 || (size_t)r >= outlen)
		return -ENOBUFS;
	return 0;
}

int config_zone(const struct cell_config *c, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "%s.%s", c->cell_name, c->domain);
	if (n < 0 || (size_t)n >= outlen || n > CONFIG_ZONE_MAX)
		return -ENAMETOOLONG;
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return 0;
}

int config_validate(const struct cell_config *c, const char *blame_field, struct field_error *e)
{
	char zone[NAME_MAX_LEN * 2 + 2];
	if (config_zone(c, zone, sizeof(zone)) < 0) {
		field_error_set(e, "cell_name", "the cell's zone (cell_name.domain) must be at most %d characters",
				CONFIG_ZONE_MAX);
		return -EINVAL;
	}
	const char *field = blame_field ? blame_field : "vpn_subnet";
	if (cidr_overlaps(&c->ip_range, &c->vpn_subnet)) {
		char a[CIDR_STR_MAX], b[CIDR_STR_MAX];
		cidr_format(&c->ip_range, a);
		cidr_format(&c->vpn_subnet, b);
		field_error_set(e, field, "ip_range %s and vpn_subnet %s overlap", a, b);
		return -EINVAL;
	}
	return 0;
}
