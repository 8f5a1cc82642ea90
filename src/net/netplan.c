/* The cell network plan (see netplan.h): names, paths and addresses for
 * the bridge and each service, derived from the configuration and the
 * address plan alone. Nothing here touches the system. */
#include "netplan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "model/ipplan.h"
#include "common/banned.h"

/* Adds the virtual IPs carried by service `name` (today only the proxy
 * carries any). */
static int add_virtual_ips(const struct ipv4_net *net, const char *name,
			   struct netplan_service *s)
{
	for (size_t i = 0; i < ipplan_table_len; i++) {
		const struct ipplan_entry *e = &ipplan_table[i];
		if (e->kind != IPPLAN_VIRTUAL_IP || !e->carrier || strcmp(e->carrier, name) != 0)
			continue;
		if (s->n_addrs >= NETPLAN_MAX_ADDRS)
			return -E2BIG;
		s->addrs[s->n_addrs++] = ipplan_address(net, e);
	}
	return 0;
}

static int service_build(const struct cell_config *c, const char *run_dir, const char *name,
			 uint32_t host_addr, struct netplan_service *ret)
{
	struct netplan_service s = { 0 };
	int n;

	/* "pic-" + name must fit an interface name (15 characters). */
	if (!name || strlen(name) + strlen(NETPLAN_VETH_PREFIX) >= sizeof(s.veth_host))
		return -EINVAL;
	const struct ipplan_entry *e = ipplan_find(name);
	if (!e || e->kind != IPPLAN_SERVICE)
		return -EINVAL;

	n = snprintf(s.name, sizeof(s.name), "%s", name);
	if (n < 0 || (size_t)n >= sizeof(s.name))
		return -EINVAL;
	n = snprintf(s.netns_path, sizeof(s.netns_path), "%s/" NETPLAN_NETNS_DIR "/%s", run_dir, name);
	if (n < 0 || (size_t)n >= sizeof(s.netns_path))
		return -EINVAL;
	n = snprintf(s.veth_host, sizeof(s.veth_host), NETPLAN_VETH_PREFIX "%s", name);
	if (n < 0 || (size_t)n >= sizeof(s.veth_host))
		return -EINVAL;
	n = snprintf(s.veth_peer, sizeof(s.veth_peer), "%s", NETPLAN_PEER_IFNAME);
	if (n < 0 || (size_t)n >= sizeof(s.veth_peer))
		return -EINVAL;

	s.addrs[s.n_addrs++] = ipplan_address(&c->ip_range, e);
	int r = add_virtual_ips(&c->ip_range, name, &s);
	if (r < 0)
		return r;
	s.prefix = c->ip_range.prefix;
	s.gateway = host_addr;
	*ret = s;
	return 0;
}

int netplan_build(const struct cell_config *c, const char *run_dir, const char *const *services,
		  size_t n_services, struct netplan *ret)
{
	if (!c || !run_dir || run_dir[0] != '/' || !ret || (n_services > 0 && !services))
		return -EINVAL;
	if (n_services > NETPLAN_MAX_SERVICES)
		return -E2BIG;
	const struct ipplan_entry *host = ipplan_find("host");
	if (!host)
		return -EINVAL;

	/* Built aside (a plan is ~70 KB: PATH_MAX per service) so that `ret`
	 * is written only on success. */
	_cleanup_free_ struct netplan *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	int n = snprintf(p->bridge, sizeof(p->bridge), "%s", NETPLAN_BRIDGE);
	if (n < 0 || (size_t)n >= sizeof(p->bridge))
		return -EINVAL;
	p->ip_range = (struct ipv4_net){ c->ip_range.addr & cidr_mask(c->ip_range.prefix),
					 c->ip_range.prefix };
	p->vpn_subnet = c->vpn_subnet;
	p->host_addr = ipplan_address(&c->ip_range, host);

	for (size_t i = 0; i < n_services; i++) {
		int r = service_build(c, run_dir, services[i], p->host_addr, &p->services[i]);
		if (r < 0)
			return r;
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->services[j].name, p->services[i].name) == 0)
				return -EINVAL;
		p->n_services = i + 1;
	}
	*ret = *p;
	return 0;
}

const struct netplan_service *netplan_find(const struct netplan *p, const char *name)
{
	for (size_t i = 0; i < p->n_services; i++)
		if (strcmp(p->services[i].name, name) == 0)
			return &p->services[i];
	return NULL;
}
