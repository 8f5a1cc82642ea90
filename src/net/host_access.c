/* The host's own HTTPS addresses (see host_access.h). */
#include "host_access.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pki/pki_ca.h"
#include "common/banned.h"

static const char NO_CA[] = "the cell's certificate authority is not available";
static const char OLD_ROOT_IP[] =
	"the cell's root CA does not vouch for this address (it was made before roots covered LAN addresses); "
	"`pic ca replace` makes one that does";
static const char PUBLIC_IP[] =
	"not a private (RFC 1918) address, and the cell's root CA vouches only for private ones";
static const char OLD_ROOT_NAME[] =
	"the cell's root CA does not vouch for this name (the host was renamed since, or the root predates "
	"LAN names); `pic ca replace` makes one that does";

/* Addresses no other machine reaches the host at. */
static bool is_local_only(uint32_t ip)
{
	return ip == 0 || (ip >> 24) == 127 || (ip >> 16) == 0xa9fe || (ip >> 28) >= 0xe;
}

static void add_uncovered(struct host_access *out, const char *host, const char *reason)
{
	if (out->n_uncovered >= HOST_ACCESS_MAX_UNCOVERED)
		return;
	snprintf(out->uncovered[out->n_uncovered].host, sizeof(out->uncovered[0].host), "%s", host);
	out->uncovered[out->n_uncovered++].reason = reason;
}

static bool seen_ip(const uint32_t *addrs, size_t n, uint32_t ip)
{
	for (size_t i = 0; i < n; i++)
		if (addrs[i] == ip)
			return true;
	return false;
}

static void add_ip(struct host_access *out, uint32_t ip, const struct pki_ca *ca)
{
	if (ca && pki_ca_covers_ip(ca, ip)) {
		if (out->n_ips < HOST_ACCESS_MAX_IPS)
			out->ips[out->n_ips++] = ip;
		return;
	}
	char text[IPV4_STR_MAX];
	ipv4_format(ip, text);
	add_uncovered(out, text, !ca ? NO_CA : pki_ca_ip_private(ip) ? OLD_ROOT_IP : PUBLIC_IP);
}

static void add_name(struct host_access *out, const char *name, const struct pki_ca *ca)
{
	for (size_t i = 0; i < out->n_names; i++)
		if (strcmp(out->names[i], name) == 0)
			return;
	for (size_t i = 0; i < out->n_uncovered; i++)
		if (strcmp(out->uncovered[i].host, name) == 0)
			return;
	if (pki_names_check_host(name, NULL) < 0)
		return;
	if (!ca || !pki_ca_covers_name(ca, name)) {
		add_uncovered(out, name, ca ? OLD_ROOT_NAME : NO_CA);
		return;
	}
	if (out->n_names < HOST_ACCESS_MAX_NAMES)
		snprintf(out->names[out->n_names++], sizeof(out->names[0]), "%s", name);
}

void host_access_build(const char *host_name, const uint32_t *addrs, size_t n_addrs,
		       const struct ipv4_net *cell_nets, size_t n_cell_nets, const struct pki_ca *ca,
		       struct host_access *out)
{
	*out = (struct host_access){ 0 };
	for (size_t i = 0; i < n_addrs; i++) {
		struct ipv4_net host = { .addr = addrs[i], .prefix = 32 };
		bool cell = false;
		for (size_t k = 0; k < n_cell_nets; k++)
			cell = cell || cidr_contains(&cell_nets[k], &host);
		if (!cell && !is_local_only(addrs[i]) && !seen_ip(addrs, i, addrs[i]))
			add_ip(out, addrs[i], ca);
	}
	if (!host_name || !host_name[0] || strlen(host_name) > PKI_NAME_MAX)
		return;
	char full[PKI_NAME_MAX + 1], first[PKI_NAME_MAX + 1], mdns[PKI_NAME_MAX + 8];
	snprintf(full, sizeof(full), "%s", host_name);
	pki_names_lower(full);
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(full, "."), full);
	snprintf(mdns, sizeof(mdns), "%s.local", first);
	add_name(out, full, ca);
	add_name(out, first, ca);
	if (strlen(mdns) <= PKI_NAME_MAX)
		add_name(out, mdns, ca);
}

int host_access_name(char out[PKI_NAME_MAX + 1])
{
	char name[PKI_NAME_MAX + 2] = "";
	if (gethostname(name, sizeof(name)) < 0 || !memchr(name, '\0', sizeof(name)) ||
	    pki_names_check_host(name, NULL) < 0)
		return -ENOENT;
	memcpy(out, name, strlen(name) + 1);
	return 0;
}

int host_access_lookup(const struct ipv4_net *cell_nets, size_t n_cell_nets, const struct pki_ca *ca,
		       struct host_access *out)
{
	struct ifaddrs *ifs = NULL;
	if (getifaddrs(&ifs) < 0)
		return -errno;
	uint32_t addrs[64];
	size_t n = 0;
	for (struct ifaddrs *i = ifs; i && n < sizeof(addrs) / sizeof(addrs[0]); i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !(i->ifa_flags & IFF_UP) ||
		    (i->ifa_flags & IFF_LOOPBACK))
			continue;
		const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)i->ifa_addr;
		addrs[n++] = ntohl(sin->sin_addr.s_addr);
	}
	freeifaddrs(ifs);
	char name[PKI_NAME_MAX + 1];
	host_access_build(host_access_name(name) == 0 ? name : NULL, addrs, n, cell_nets, n_cell_nets, ca, out);
	return 0;
}

bool host_access_equal(const struct host_access *a, const struct host_access *b)
{
	if (a->n_ips != b->n_ips || a->n_names != b->n_names || a->n_uncovered != b->n_uncovered)
		return false;
	if (memcmp(a->ips, b->ips, a->n_ips * sizeof(a->ips[0])) != 0)
		return false;
	for (size_t i = 0; i < a->n_names; i++)
		if (strcmp(a->names[i], b->names[i]) != 0)
			return false;
	for (size_t i = 0; i < a->n_uncovered; i++)
		if (strcmp(a->uncovered[i].host, b->uncovered[i].host) != 0 ||
		    a->uncovered[i].reason != b->uncovered[i].reason)
			return false;
	return true;
}

size_t host_access_hosts(const struct host_access *h, char (*out)[PKI_NAME_MAX + 1])
{
	size_t n = 0;
	for (size_t i = 0; i < h->n_ips; i++)
		ipv4_format(h->ips[i], out[n++]);
	for (size_t i = 0; i < h->n_names; i++)
		memcpy(out[n++], h->names[i], PKI_NAME_MAX + 1);
	return n;
}
