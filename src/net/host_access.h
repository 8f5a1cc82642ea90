/* Where the host itself serves the web interface over HTTPS: the host
 * publishes port 443 (and 80, which redirects) to the proxy, which answers
 * for the host's LAN addresses and host names with the cell's leaf. The
 * leaf can name only what the cell's root vouches for (pki_ca.h), so this
 * is split into what is covered and what is not, with why.
 *
 * Addresses are the host's IPv4 addresses on interfaces that are up,
 * less loopback, link-local and the cell's own networks (the bridge, the
 * VPN). Names are the host name (gethostname), its first label and
 * "<first label>.local" (multicast DNS). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/cidr.h"
#include "pki/pki_names.h"

struct pki_ca;

#define HOST_ACCESS_MAX_IPS 8
#define HOST_ACCESS_MAX_NAMES 3
#define HOST_ACCESS_MAX_UNCOVERED (HOST_ACCESS_MAX_IPS + HOST_ACCESS_MAX_NAMES)

struct host_access {
	uint32_t ips[HOST_ACCESS_MAX_IPS]; /* covered, in the order found */
	size_t n_ips;
	char names[HOST_ACCESS_MAX_NAMES][PKI_NAME_MAX + 1]; /* covered, lower case */
	size_t n_names;
	struct {
		char host[PKI_NAME_MAX + 1]; /* an address or a name */
		const char *reason;          /* a sentence, static */
	} uncovered[HOST_ACCESS_MAX_UNCOVERED];
	size_t n_uncovered;
};

/* From the host's name (NULL or "": none) and addresses: what `ca` (NULL:
 * no CA, nothing covered) vouches for. Addresses in `cell_nets` and
 * loopback/link-local ones are left out; past the limits the rest is
 * dropped. */
void host_access_build(const char *host_name, const uint32_t *addrs, size_t n_addrs,
		       const struct ipv4_net *cell_nets, size_t n_cell_nets, const struct pki_ca *ca,
		       struct host_access *out);

/* host_access_build for this host now (gethostname, getifaddrs). */
int host_access_lookup(const struct ipv4_net *cell_nets, size_t n_cell_nets, const struct pki_ca *ca,
		       struct host_access *out);

/* The host's name as gethostname() gives it: 0, or -ENOENT when it has
 * none that is a valid DNS name. */
int host_access_name(char out[PKI_NAME_MAX + 1]);

bool host_access_equal(const struct host_access *a, const struct host_access *b);

/* The covered hosts as text, the addresses (dotted quads) first, then the
 * names: h->n_ips + h->n_names of them (at most HOST_ACCESS_MAX_HOSTS). */
#define HOST_ACCESS_MAX_HOSTS (HOST_ACCESS_MAX_IPS + HOST_ACCESS_MAX_NAMES)
size_t host_access_hosts(const struct host_access *h, char (*out)[PKI_NAME_MAX + 1]);
