/* Privileged network operations (see priv_net.h). The checks here repeat
 * what netplan_build() guarantees: they are what stands between a plan
 * and root-owned netlink, mount and nftables calls once the privileged
 * side runs as a process of its own. */
#include "priv_net.h"

#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "model/cidr.h"
#include "net/net.h"
#include "net/netns.h"
#include "common/banned.h"

static bool str_ends_within(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

/* [a-z0-9-], 1..15 characters: what interface names picd makes look like. */
static bool ifname_ok(const char *s, size_t size)
{
	if (!str_ends_within(s, size) || s[0] == '\0' || strlen(s) >= IFNAMSIZ)
		return false;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
			return false;
	return true;
}

/* Absolute, no "." or ".." component, no empty component. */
static bool path_ok(const char *s, size_t size)
{
	if (!str_ends_within(s, size) || s[0] != '/')
		return false;
	for (const char *c = s; *c;) {
		const char *comp = c + 1;
		const char *end = strchr(comp, '/');
		size_t len = end ? (size_t)(end - comp) : strlen(comp);
		if (len == 0 || (len == 1 && comp[0] == '.') || (len == 2 && comp[0] == '.' && comp[1] == '.'))
			return false;
		c = comp + len;
	}
	return true;
}

static bool in_range(const struct ipv4_net *range, uint32_t a)
{
	struct ipv4_net host = { a, 32 };
	return cidr_contains(range, &host);
}

static bool service_ok(const struct netplan_service *s, const struct netplan *p)
{
	if (!ifname_ok(s->name, sizeof(s->name)) || !ifname_ok(s->veth_host, sizeof(s->veth_host)) ||
	    !ifname_ok(s->veth_peer, sizeof(s->veth_peer)) || !path_ok(s->netns_path, sizeof(s->netns_path)))
		return false;
	if (strncmp(s->veth_host, NETPLAN_VETH_PREFIX, strlen(NETPLAN_VETH_PREFIX)) != 0)
		return false;
	if (s->n_addrs == 0 || s->n_addrs > NETPLAN_MAX_ADDRS || s->prefix != p->ip_range.prefix ||
	    s->gateway != p->host_addr)
		return false;
	for (unsigned i = 0; i < s->n_addrs; i++)
		if (!in_range(&p->ip_range, s->addrs[i]) || s->addrs[i] == p->host_addr)
			return false;
	return true;
}

static bool plan_ok(const struct netplan *p)
{
	if (!p || !ifname_ok(p->bridge, sizeof(p->bridge)) || strcmp(p->bridge, NETPLAN_BRIDGE) != 0)
		return false;
	if (p->ip_range.prefix > 32 || p->n_services > NETPLAN_MAX_SERVICES ||
	    !in_range(&p->ip_range, p->host_addr))
		return false;
	for (size_t i = 0; i < p->n_services; i++)
		if (!service_ok(&p->services[i], p))
			return false;
	return true;
}

int priv_net_apply(const struct netplan *p, struct nft_session *nft, char *err, size_t errlen)
{
	if (!plan_ok(p))
		return -EINVAL;
	return net_apply(p, nft, err, errlen);
}

int priv_net_teardown(const char *run_dir, char *err, size_t errlen)
{
	if (!run_dir || !path_ok(run_dir, strlen(run_dir) + 1)) {
		snprintf(err, errlen, "'%s' is not an absolute, normalised path", run_dir ? run_dir : "(none)");
		return -EINVAL;
	}
	return net_teardown(NETPLAN_BRIDGE, run_dir, err, errlen);
}

int priv_netns_open(const struct netplan_service *s, int *ret_fd)
{
	if (!s || !ifname_ok(s->name, sizeof(s->name)) || !path_ok(s->netns_path, sizeof(s->netns_path)))
		return -EINVAL;
	return netns_open(s->netns_path, ret_fd);
}

int priv_netns_adopt(const struct netplan_service *s, int ns_fd)
{
	if (!s || !ifname_ok(s->name, sizeof(s->name)) || !path_ok(s->netns_path, sizeof(s->netns_path)) || ns_fd < 0)
		return -EINVAL;
	return netns_pin(s->netns_path, ns_fd);
}
