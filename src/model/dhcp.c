/* DHCP settings and reservations: their validation against the LAN subnet,
 * MAC addresses in text, and reading dnsmasq's lease file. Nothing here
 * touches the system; the LAN subnet and the host's address come in as
 * values. */
#include "dhcp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/strparse.h"
#include "common/banned.h"

/* The longest lease file line read: a client id is at most 255 bytes, in
 * hex with colons 765 characters; the other fields add under 100. */
#define LEASE_LINE_MAX 1024
#define LEASE_FIELDS 5

/* ---- names ---- */

static bool ifname_valid(const char *s)
{
	size_t len = strnlen(s, IFNAMSIZ);
	if (len == 0 || len >= IFNAMSIZ)
		return false;
	if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != len)
		return false;
	/* The kernel refuses these two; DHCP on loopback is meaningless. */
	return strcmp(s, ".") != 0 && strcmp(s, "..") != 0 && strcmp(s, "lo") != 0;
}

bool dhcp_hostname_valid(const char *s)
{
	size_t len = strnlen(s, DHCP_HOSTNAME_MAX + 1);
	if (len == 0 || len > DHCP_HOSTNAME_MAX)
		return false;
	if (strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") != len)
		return false;
	return s[0] != '-' && s[len - 1] != '-';
}

/* ---- addresses ---- */

static uint32_t net_first(const struct ipv4_net *lan)
{
	return lan->addr & cidr_mask(lan->prefix);
}

static uint32_t net_last(const struct ipv4_net *lan)
{
	return net_first(lan) | ~cidr_mask(lan->prefix);
}

/* Inside `lan` and neither its network nor its broadcast address; "" when
 * so, else what is wrong, for a message. */
static const char *host_addr_problem(const struct ipv4_net *lan, uint32_t a)
{
	if ((a & cidr_mask(lan->prefix)) != net_first(lan))
		return "is outside the LAN subnet";
	if (a == net_first(lan))
		return "is the LAN's network address";
	if (a == net_last(lan))
		return "is the LAN's broadcast address";
	return "";
}

static int check_host_addr(const char *field, const struct ipv4_net *lan, uint32_t a,
			   struct field_error *e)
{
	const char *problem = host_addr_problem(lan, a);
	if (!*problem)
		return 0;
	char ip[IPV4_STR_MAX], net[CIDR_STR_MAX];
	struct ipv4_net n = { net_first(lan), lan->prefix };
	ipv4_format(a, ip);
	cidr_format(&n, net);
	field_error_set(e, field, "%s %s %s (%s)", field, ip, problem, net);
	return -EINVAL;
}

/* ---- settings ---- */

int dhcp_settings_validate(const struct dhcp_settings *s, const struct ipv4_net *lan,
			   uint32_t host_addr, struct field_error *e)
{
	if (s->interface[0] && !ifname_valid(s->interface)) {
		field_error_set(e, "interface",
				"interface must be a network interface name: 1..%d letters, digits, '.', '_' or '-' (not \"lo\")",
				IFNAMSIZ - 1);
		return -EINVAL;
	}
	if (s->lease_s < DHCP_LEASE_MIN_S || s->lease_s > DHCP_LEASE_MAX_S) {
		field_error_set(e, "lease_time", "lease_time must be %d..%d seconds", DHCP_LEASE_MIN_S,
				DHCP_LEASE_MAX_S);
		return -EINVAL;
	}
	if (!s->enabled)
		return 0;

	if (!s->interface[0]) {
		field_error_set(e, "interface", "interface must be set to serve DHCP");
		return -EINVAL;
	}
	if (!lan) {
		field_error_set(e, "interface", "interface '%s' has no IPv4 subnet", s->interface);
		return -EINVAL;
	}
	if (lan->prefix > 30) {
		field_error_set(e, "interface", "the subnet of interface '%s' (/%u) is too small for DHCP (/30 at most)",
				s->interface, lan->prefix);
		return -EINVAL;
	}

	if (check_host_addr("range_start", lan, s->range_start, e) < 0 ||
	    check_host_addr("range_end", lan, s->range_end, e) < 0)
		return -EINVAL;
	if (s->range_end < s->range_start) {
		field_error_set(e, "range_end", "range_end must not come before range_start");
		return -EINVAL;
	}
	if (host_addr >= s->range_start && host_addr <= s->range_end) {
		char ip[IPV4_STR_MAX];
		ipv4_format(host_addr, ip);
		field_error_set(e, "range_start", "range_start..range_end contains the host's own address %s", ip);
		return -EINVAL;
	}

	if (s->gateway != 0) {
		if (check_host_addr("gateway", lan, s->gateway, e) < 0)
			return -EINVAL;
		if (s->gateway >= s->range_start && s->gateway <= s->range_end) {
			field_error_set(e, "gateway", "gateway must be outside the range it is announced to");
			return -EINVAL;
		}
	}
	return 0;
}

/* ---- MAC addresses ---- */

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool dhcp_mac_valid(const uint8_t mac[6])
{
	static const uint8_t zero[6];
	return (mac[0] & 1) == 0 && memcmp(mac, zero, 6) != 0;
}

int dhcp_mac_parse(const char *s, uint8_t ret[6])
{
	if (!s || strnlen(s, DHCP_MAC_STR_MAX) != DHCP_MAC_STR_MAX - 1)
		return -EINVAL;
	char sep = s[2];
	if (sep != ':' && sep != '-')
		return -EINVAL;
	uint8_t mac[6];
	for (int i = 0; i < 6; i++) {
		const char *p = s + 3 * i;
		int hi = hex_digit(p[0]), lo = hex_digit(p[1]);
		if (hi < 0 || lo < 0 || (i < 5 && p[2] != sep))
			return -EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	if (!dhcp_mac_valid(mac))
		return -EINVAL;
	memcpy(ret, mac, 6);
	return 0;
}

void dhcp_mac_format(const uint8_t mac[6], char out[DHCP_MAC_STR_MAX])
{
	snprintf(out, DHCP_MAC_STR_MAX, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
}

/* ---- reservations ---- */

int dhcp_reservation_validate(const struct dhcp_reservation *r, const struct dhcp_settings *s,
			      const struct ipv4_net *lan, uint32_t host_addr, struct field_error *e)
{
	if (!dhcp_mac_valid(r->mac)) {
		field_error_set(e, "mac", "mac must be a unicast address, not all zero");
		return -EINVAL;
	}
	if (!lan) {
		field_error_set(e, "ip", "ip cannot be checked: DHCP has no LAN subnet");
		return -EINVAL;
	}
	if (check_host_addr("ip", lan, r->ip, e) < 0)
		return -EINVAL;
	if (r->ip == host_addr) {
		field_error_set(e, "ip", "ip is the host's own address");
		return -EINVAL;
	}
	if (s && s->gateway != 0 && r->ip == s->gateway) {
		field_error_set(e, "ip", "ip is the gateway's address");
		return -EINVAL;
	}
	if (memchr(r->hostname, '\0', sizeof(r->hostname)) == NULL ||
	    (r->hostname[0] && !dhcp_hostname_valid(r->hostname))) {
		field_error_set(e, "hostname",
				"hostname must be a single DNS label: 1..%d lower-case letters, digits or hyphens, not starting or ending with a hyphen",
				DHCP_HOSTNAME_MAX);
		return -EINVAL;
	}
	return 0;
}

/* ---- the lease file ---- */

/* An index from MAC to position in the result, so a later line for the
 * same MAC replaces the earlier one without a quadratic search (a client
 * can make dnsmasq hand out a lease for every address in the range). */
struct mac_index {
	int *slot; /* result position + 1; 0 = empty */
	size_t mask;
};

static size_t mac_hash(const uint8_t mac[6])
{
	/* FNV-1a */
	uint32_t h = 2166136261u;
	for (int i = 0; i < 6; i++)
		h = (h ^ mac[i]) * 16777619u;
	return h;
}

/* The slot for `mac`: the one holding it, or the empty one to fill. */
static int *mac_index_slot(const struct mac_index *x, const struct dhcp_lease *leases, const uint8_t mac[6])
{
	for (size_t i = mac_hash(mac) & x->mask;; i = (i + 1) & x->mask) {
		int *p = &x->slot[i];
		if (*p == 0 || memcmp(leases[*p - 1].mac, mac, 6) == 0)
			return p;
	}
}

/* Splits `line` in place on runs of spaces or tabs; returns the number of
 * fields, or LEASE_FIELDS + 1 if there are more. */
static int split_fields(char *line, char *field[LEASE_FIELDS])
{
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == LEASE_FIELDS)
			return LEASE_FIELDS + 1;
		field[n++] = t;
	}
	return n;
}

/* One line (NUL-terminated, no line ending) → a lease; -EINVAL to skip. */
static int lease_parse_line(char *line, struct dhcp_lease *ret)
{
	char *f[LEASE_FIELDS];
	int n = split_fields(line, f);
	if (n < 3 || n > LEASE_FIELDS)
		return -EINVAL;

	struct dhcp_lease l = { 0 };
	uint64_t expiry;
	if (parse_u64(f[0], 0, INT64_MAX, &expiry) < 0 || dhcp_mac_parse(f[1], l.mac) < 0 ||
	    f[1][2] != ':' || ipv4_parse(f[2], &l.ip) < 0 || l.ip == 0)
		return -EINVAL;
	l.expiry = (int64_t)expiry;

	if (n >= 4 && strlen(f[3]) <= DHCP_HOSTNAME_MAX) {
		char name[DHCP_HOSTNAME_MAX + 1];
		size_t i = 0;
		for (; f[3][i]; i++) {
			char c = f[3][i];
			name[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
		name[i] = '\0';
		if (dhcp_hostname_valid(name))
			memcpy(l.hostname, name, i + 1);
	}
	*ret = l;
	return 0;
}

int dhcp_leases_parse(const char *text, struct dhcp_lease *ret, int max)
{
	if (!text || max < 0)
		return -EINVAL;
	if (max == 0)
		return 0;

	size_t size = 2;
	while (size < 2 * (size_t)max)
		size *= 2;
	_cleanup_free_ int *slot = calloc(size, sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	struct mac_index index = { slot, size - 1 };

	int n = 0;
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		const char *next = p[len] ? p + len + 1 : p + len;
		if (len > 0 && p[len - 1] == '\r')
			len--;
		char line[LEASE_LINE_MAX + 1];
		struct dhcp_lease l;
		if (len <= LEASE_LINE_MAX) {
			memcpy(line, p, len);
			line[len] = '\0';
			if (lease_parse_line(line, &l) == 0) {
				int *s = mac_index_slot(&index, ret, l.mac);
				if (*s)
					ret[*s - 1] = l;
				else if (n < max) {
					ret[n++] = l;
					*s = n;
				}
			}
		}
		p = next;
	}
	return n;
}
