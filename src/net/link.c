/* rtnetlink plumbing for the cell network (see link.h). libnl's -NLE_*
 * codes are turned into -errno at this boundary. */
#include "link.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>
#include <stdbool.h>
#include <string.h>

#include "common/cleanup.h"
#include "model/cidr.h"
#include "nl_errno.h"
#include "common/banned.h"

/* More addresses than a link may be asked to carry. */
#define LINK_MAX_ADDRS 32

DEFINE_PTR_CLEANUP(struct rtnl_link, rtnl_link_put)
DEFINE_PTR_CLEANUP(struct rtnl_addr, rtnl_addr_put)
DEFINE_PTR_CLEANUP(struct rtnl_route, rtnl_route_put)
DEFINE_PTR_CLEANUP(struct nl_addr, nl_addr_put)
DEFINE_PTR_CLEANUP(struct nl_cache, nl_cache_free)

int link_socket_open(struct nl_sock **ret_sk)
{
	struct nl_sock *sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	int r = nl_errno(nl_connect(sk, NETLINK_ROUTE));
	if (r < 0) {
		nl_socket_free(sk);
		return r;
	}
	*ret_sk = sk;
	return 0;
}

void link_socket_close(struct nl_sock *sk)
{
	if (sk)
		nl_socket_free(sk);
}

/* -ENODEV when there is no link `name`. */
static int link_get(struct nl_sock *sk, const char *name, struct rtnl_link **ret)
{
	if (!name || !*name || strlen(name) >= IFNAMSIZ)
		return -EINVAL;
	int r = rtnl_link_get_kernel(sk, 0, name, ret);
	if (r == -NLE_OBJ_NOTFOUND || r == -NLE_NODEV)
		return -ENODEV;
	return nl_errno(r);
}

static bool link_is(struct rtnl_link *l, const char *kind)
{
	const char *t = rtnl_link_get_type(l);
	return t && strcmp(t, kind) == 0;
}

/* Up, and a port of `master` when `master` > 0; one request if either
 * differs. */
static int link_set_up(struct nl_sock *sk, struct rtnl_link *l, int master)
{
	bool up = rtnl_link_get_flags(l) & IFF_UP;
	bool master_ok = master <= 0 || rtnl_link_get_master(l) == master;
	if (up && master_ok)
		return 0;
	_cleanup_(rtnl_link_putp) struct rtnl_link *c = rtnl_link_alloc();
	if (!c)
		return -ENOMEM;
	if (!up)
		rtnl_link_set_flags(c, IFF_UP);
	if (!master_ok)
		rtnl_link_set_master(c, master);
	return nl_errno(rtnl_link_change(sk, l, c, 0));
}

int link_up(struct nl_sock *sk, const char *name, int *ret_ifindex)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *l = NULL;
	int r = link_get(sk, name, &l);
	if (r < 0)
		return r;
	r = link_set_up(sk, l, 0);
	if (r < 0)
		return r;
	if (ret_ifindex)
		*ret_ifindex = rtnl_link_get_ifindex(l);
	return 0;
}

static int ipv4_nl_addr(uint32_t a, uint8_t prefix, struct nl_addr **ret)
{
	uint32_t be = htonl(a);
	struct nl_addr *n = nl_addr_build(AF_INET, &be, sizeof(be));
	if (!n)
		return -ENOMEM;
	nl_addr_set_prefixlen(n, prefix);
	*ret = n;
	return 0;
}

static int addr_add(struct nl_sock *sk, int ifindex, uint32_t a, uint8_t prefix)
{
	_cleanup_(rtnl_addr_putp) struct rtnl_addr *ra = rtnl_addr_alloc();
	_cleanup_(nl_addr_putp) struct nl_addr *local = NULL;
	_cleanup_(nl_addr_putp) struct nl_addr *bcast = NULL;
	if (!ra)
		return -ENOMEM;
	int r = ipv4_nl_addr(a, prefix, &local);
	if (r < 0)
		return r;
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, AF_INET);
	r = nl_errno(rtnl_addr_set_local(ra, local));
	if (r < 0)
		return r;
	rtnl_addr_set_prefixlen(ra, prefix);
	/* What `ip addr add ... brd +` sets; /31 and /32 have none. */
	if (prefix < 31) {
		r = ipv4_nl_addr(a | ~cidr_mask(prefix), 32, &bcast);
		if (r < 0)
			return r;
		r = nl_errno(rtnl_addr_set_broadcast(ra, bcast));
		if (r < 0)
			return r;
	}
	r = rtnl_addr_add(sk, ra, 0);
	return r == -NLE_EXIST ? 0 : nl_errno(r);
}

struct addr_scan {
	int ifindex;
	const uint32_t *want;
	unsigned n_want;
	uint8_t prefix;
	bool have[LINK_MAX_ADDRS];
	bool any_have;
	bool extra;           /* an address that is not wanted */
	bool primary_misplaced; /* want[0] present, but as a secondary */
};

static bool addr_of(struct rtnl_addr *a, int ifindex, uint32_t *ret_ip)
{
	if (rtnl_addr_get_ifindex(a) != ifindex || rtnl_addr_get_family(a) != AF_INET)
		return false;
	struct nl_addr *local = rtnl_addr_get_local(a);
	if (!local || nl_addr_get_len(local) != 4)
		return false;
	uint32_t be;
	memcpy(&be, nl_addr_get_binary_addr(local), sizeof(be));
	*ret_ip = ntohl(be);
	return true;
}

static void addr_scan_one(struct nl_object *o, void *arg)
{
	struct addr_scan *s = arg;
	struct rtnl_addr *a = (struct rtnl_addr *)o;
	uint32_t ip;
	if (!addr_of(a, s->ifindex, &ip))
		return;
	for (unsigned i = 0; i < s->n_want; i++) {
		if (s->want[i] != ip || rtnl_addr_get_prefixlen(a) != s->prefix)
			continue;
		s->have[i] = true;
		s->any_have = true;
		if (i == 0 && (rtnl_addr_get_flags(a) & IFA_F_SECONDARY))
			s->primary_misplaced = true;
		return;
	}
	s->extra = true;
}

struct addr_flush {
	struct nl_sock *sk;
	int ifindex;
	int r;
};

static void addr_flush_one(struct nl_object *o, void *arg)
{
	struct addr_flush *f = arg;
	struct rtnl_addr *a = (struct rtnl_addr *)o;
	uint32_t ip;
	if (!addr_of(a, f->ifindex, &ip))
		return;
	int r = rtnl_addr_delete(f->sk, a, 0);
	/* Deleting a primary address takes its secondaries with it. */
	if (r < 0 && r != -NLE_NOADDR && r != -NLE_OBJ_NOTFOUND && f->r == 0)
		f->r = nl_errno(r);
}

int link_addrs_sync(struct nl_sock *sk, int ifindex, const uint32_t *addrs, unsigned n_addrs,
		    uint8_t prefix)
{
	if (n_addrs > LINK_MAX_ADDRS || prefix > 32)
		return -EINVAL;
	_cleanup_(nl_cache_freep) struct nl_cache *cache = NULL;
	int r = nl_errno(rtnl_addr_alloc_cache(sk, &cache));
	if (r < 0)
		return r;
	struct addr_scan s = { .ifindex = ifindex, .want = addrs, .n_want = n_addrs, .prefix = prefix };
	nl_cache_foreach(cache, addr_scan_one, &s);

	/* Anything unwanted, or the primary address out of place: start
	 * over, so that the first address is the primary one (the source
	 * of what the link sends). Otherwise only add what is missing. */
	if (s.extra || s.primary_misplaced || (n_addrs > 0 && !s.have[0] && s.any_have)) {
		struct addr_flush f = { .sk = sk, .ifindex = ifindex };
		nl_cache_foreach(cache, addr_flush_one, &f);
		if (f.r < 0)
			return f.r;
		memset(s.have, 0, sizeof(s.have));
	}
	for (unsigned i = 0; i < n_addrs; i++) {
		if (s.have[i])
			continue;
		r = addr_add(sk, ifindex, addrs[i], prefix);
		if (r < 0)
			return r;
	}
	return 0;
}

int link_bridge_ensure(struct nl_sock *sk, const char *name, uint32_t addr, uint8_t prefix,
		       int *ret_ifindex)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *l = NULL;
	int r = link_get(sk, name, &l);
	if (r == -ENODEV) {
		_cleanup_(rtnl_link_putp) struct rtnl_link *n = rtnl_link_bridge_alloc();
		if (!n)
			return -ENOMEM;
		rtnl_link_set_name(n, name);
		/* A fixed address: a bridge otherwise takes the lowest of its
		 * ports' addresses, so it changes when a port joins and every
		 * neighbour's ARP entry for the host goes stale. Locally
		 * administered, derived from the host address. */
		unsigned char mac[6] = { 0x02, 0x50, (unsigned char)(addr >> 24), (unsigned char)(addr >> 16),
					 (unsigned char)(addr >> 8), (unsigned char)addr };
		_cleanup_(nl_addr_putp) struct nl_addr *lladdr = nl_addr_build(AF_LLC, mac, sizeof(mac));
		if (!lladdr)
			return -ENOMEM;
		rtnl_link_set_addr(n, lladdr);
		r = nl_errno(rtnl_link_add(sk, n, NLM_F_CREATE | NLM_F_EXCL));
		if (r < 0)
			return r;
		r = link_get(sk, name, &l);
	}
	if (r < 0)
		return r;
	if (!link_is(l, "bridge"))
		return -EEXIST;
	r = link_set_up(sk, l, 0);
	if (r < 0)
		return r;
	int ifindex = rtnl_link_get_ifindex(l);
	r = link_addrs_sync(sk, ifindex, &addr, 1, prefix);
	if (r < 0)
		return r;
	if (ret_ifindex)
		*ret_ifindex = ifindex;
	return 0;
}

static int veth_create(struct nl_sock *sk, const char *host, int ns_fd, const char *peer)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *v = rtnl_link_veth_alloc();
	if (!v)
		return -ENOMEM;
	rtnl_link_set_name(v, host);
	/* The peer is born in the service's namespace under its final name:
	 * no temporary name in picd's namespace, nothing to move. */
	struct rtnl_link *p = rtnl_link_veth_get_peer(v);
	if (!p)
		return -ENOMEM;
	rtnl_link_set_name(p, peer);
	rtnl_link_set_ns_fd(p, ns_fd);
	rtnl_link_put(p);
	return nl_errno(rtnl_link_add(sk, v, NLM_F_CREATE | NLM_F_EXCL));
}

int link_veth_ensure(struct nl_sock *sk, const char *host, int master_ifindex,
		     struct nl_sock *ns_sk, int ns_fd, const char *peer)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *h = NULL;
	_cleanup_(rtnl_link_putp) struct rtnl_link *p = NULL;
	int r = link_get(sk, host, &h);
	if (r < 0 && r != -ENODEV)
		return r;
	r = link_get(ns_sk, peer, &p);
	if (r < 0 && r != -ENODEV)
		return r;

	/* A veth's IFLA_LINK is its peer's ifindex, here one in picd's
	 * namespace: the pair is ours when the peer points at `host`. */
	bool paired = h && p && link_is(h, "veth") && link_is(p, "veth") &&
		      rtnl_link_get_link(p) == rtnl_link_get_ifindex(h);
	if (!paired) {
		if (h && !link_is(h, "veth"))
			return -EEXIST;
		/* Deleting one end of a veth deletes the other. */
		r = h ? link_delete(sk, host, "veth") : 0;
		if (r == 0 && p)
			r = link_delete(ns_sk, peer, NULL);
		if (r == 0)
			r = veth_create(sk, host, ns_fd, peer);
		if (r < 0)
			return r;
		if (h)
			rtnl_link_put(h);
		h = NULL;
		r = link_get(sk, host, &h);
		if (r < 0)
			return r;
	}
	return link_set_up(sk, h, master_ifindex);
}

/* Replacing a route with an identical one is a no-op for the kernel: it
 * announces nothing, so this is idempotent as it stands. */
static int route_default_replace(struct nl_sock *sk, int ifindex, uint32_t gateway)
{
	_cleanup_(rtnl_route_putp) struct rtnl_route *rt = rtnl_route_alloc();
	_cleanup_(nl_addr_putp) struct nl_addr *dst = NULL;
	_cleanup_(nl_addr_putp) struct nl_addr *gw = NULL;
	if (!rt)
		return -ENOMEM;
	int r = ipv4_nl_addr(0, 0, &dst);
	if (r == 0)
		r = ipv4_nl_addr(gateway, 32, &gw);
	if (r < 0)
		return r;
	rtnl_route_set_family(rt, AF_INET);
	rtnl_route_set_table(rt, RT_TABLE_MAIN);
	rtnl_route_set_protocol(rt, RTPROT_STATIC);
	rtnl_route_set_scope(rt, RT_SCOPE_UNIVERSE);
	rtnl_route_set_type(rt, RTN_UNICAST);
	r = nl_errno(rtnl_route_set_dst(rt, dst));
	if (r < 0)
		return r;
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	if (!nh)
		return -ENOMEM;
	rtnl_route_nh_set_ifindex(nh, ifindex);
	rtnl_route_nh_set_gateway(nh, gw);
	rtnl_route_add_nexthop(rt, nh); /* the route owns it now */
	return nl_errno(rtnl_route_add(sk, rt, NLM_F_REPLACE));
}

int link_ns_configure(struct nl_sock *ns_sk, const char *ifname, const uint32_t *addrs,
		      unsigned n_addrs, uint8_t prefix, uint32_t gateway)
{
	int ifindex;
	int r = link_up(ns_sk, "lo", NULL);
	if (r < 0)
		return r;
	r = link_up(ns_sk, ifname, &ifindex);
	if (r < 0)
		return r;
	r = link_addrs_sync(ns_sk, ifindex, addrs, n_addrs, prefix);
	if (r < 0)
		return r;
	return route_default_replace(ns_sk, ifindex, gateway);
}

int link_wireguard_add(struct nl_sock *sk, const char *name)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *l = NULL;
	int r = link_get(sk, name, &l);
	if (r == 0)
		return link_is(l, "wireguard") ? 0 : -EEXIST;
	if (r != -ENODEV)
		return r;
	l = rtnl_link_alloc();
	if (!l)
		return -ENOMEM;
	rtnl_link_set_name(l, name);
	r = nl_errno(rtnl_link_set_type(l, "wireguard"));
	if (r == 0)
		r = nl_errno(rtnl_link_add(sk, l, NLM_F_CREATE | NLM_F_EXCL));
	return r;
}

int link_delete(struct nl_sock *sk, const char *name, const char *kind)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *l = NULL;
	int r = link_get(sk, name, &l);
	if (r == -ENODEV)
		return 0;
	if (r < 0)
		return r;
	if (kind && !link_is(l, kind))
		return -EEXIST;
	r = rtnl_link_delete(sk, l);
	return r == -NLE_OBJ_NOTFOUND || r == -NLE_NODEV ? 0 : nl_errno(r);
}

int link_delete_ports(struct nl_sock *sk, const char *bridge, const char *prefix)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *br = NULL;
	int r = link_get(sk, bridge, &br);
	if (r == -ENODEV)
		return 0;
	if (r < 0)
		return r;
	int br_index = rtnl_link_get_ifindex(br);

	_cleanup_(nl_cache_freep) struct nl_cache *cache = NULL;
	r = nl_errno(rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache));
	if (r < 0)
		return r;
	size_t plen = strlen(prefix);
	int first = 0;
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;
		const char *name = rtnl_link_get_name(l);
		if (rtnl_link_get_master(l) != br_index || !name || strncmp(name, prefix, plen) != 0)
			continue;
		r = rtnl_link_delete(sk, l);
		if (r < 0 && r != -NLE_OBJ_NOTFOUND && r != -NLE_NODEV && first == 0)
			first = nl_errno(r);
	}
	return first;
}
