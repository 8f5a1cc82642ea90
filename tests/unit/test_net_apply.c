/* The cell network applied for real, as root, inside throwaway network and
 * mount namespaces (nothing reaches the machine's own network or mount
 * table; skipped when not root or when namespaces cannot be made).
 *
 * With services ntp and dns: the bridge is up with exactly the host
 * address; each service has a pinned namespace, its veth is a port of the
 * bridge and eth0 inside has exactly its address and a default route via
 * the host; lo is up; the nftables table is there; ip_forward is on. UDP
 * from the ntp namespace reaches a socket on the bridge address, and one
 * in the dns namespace (bridged, through the forward chain's drop
 * policy). Through a "world" namespace behind a second veth: ntp's traffic
 * leaves masqueraded and the reply comes back, while a new flow from the
 * world to ntp is dropped. Applying again sends no rtnetlink change at all
 * and keeps every link; applying a new ip_range re-addresses the same
 * links; teardown removes links, namespace files, their directory and the
 * table, and a second teardown is a no-op. Links, addresses, namespace
 * files and the table removed or changed behind picd's back are put back
 * by the next apply. Pinned namespaces: a leftover placeholder is reused,
 * a second create is the same namespace, anything else at the path is
 * refused; entering and restoring. nft: a refused ruleset reports nft's
 * message and leaves the table in force; a dry run commits nothing. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/buf.h"
#include "model/cidr.h"
#include "model/config.h"
#include "net/link.h"
#include "net/net.h"
#include "net/netns.h"
#include "net/netplan.h"
#include "net/nft.h"
#include "priv/priv_net.h"
#include "common/banned.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
#define WAIT_MS 2000
#define DROP_WAIT_MS 300
#define PORT_A 12345
#define PORT_B 12346
#define WORLD_HOST IP(198, 51, 100, 1)
#define WORLD_PEER IP(198, 51, 100, 2)

struct env {
	char run_dir[PATH_MAX];
	char world_dir[PATH_MAX];
	struct netplan *plan;
};

static bool mount_ns_ready;
/* One nftables session for the whole run, as picd keeps one: each test
 * unshares a fresh namespace, so every test also checks that the session
 * follows the process into it. */
static struct nft_session *session;

static void path_join(char *out, size_t size, const char *dir, const char *name)
{
	int n = snprintf(out, size, "%s/%s", dir, name);
	assert_true(n > 0 && (size_t)n < size);
}

static int env_setup(void **state)
{
	*state = NULL;
	if (geteuid() != 0)
		return 0;
	if (!mount_ns_ready) {
		/* Mounts made here (namespace files) stay here. */
		if (unshare(CLONE_NEWNS) < 0)
			return 0;
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			return -1;
		mount_ns_ready = true;
	}
	/* A fresh network namespace per test: only lo, no table, no bridge. */
	if (unshare(CLONE_NEWNET) < 0)
		return 0;
	struct env *e = calloc(1, sizeof(*e));
	e->plan = calloc(1, sizeof(*e->plan));
	if (!e || !e->plan)
		return -1;
	snprintf(e->run_dir, sizeof(e->run_dir), "/tmp/test-net-XXXXXX");
	if (!mkdtemp(e->run_dir))
		return -1;
	path_join(e->world_dir, sizeof(e->world_dir), e->run_dir, "world");
	*state = e;
	return 0;
}

static int env_teardown(void **state)
{
	struct env *e = *state;
	if (!e)
		return 0;
	char err[256] = "";
	net_teardown(NETPLAN_BRIDGE, e->run_dir, err, sizeof(err));
	netns_delete_all(e->world_dir);
	rmdir(e->run_dir);
	free(e->plan);
	free(e);
	return 0;
}

static struct env *env_of(void **state)
{
	if (!*state)
		skip(); /* not root, or no namespaces here */
	return *state;
}

static void build_plan(struct env *e, const struct ipv4_net *range)
{
	struct cell_config c;
	config_defaults(&c);
	if (range)
		c.ip_range = *range;
	const char *names[] = { "ntp", "dns" };
	assert_int_equal(netplan_build(&c, e->run_dir, names, 2, e->plan), 0);
}

static void apply_ok(const struct netplan *p)
{
	char err[512] = "";
	int r = priv_net_apply(p, session, err, sizeof(err));
	if (r < 0)
		fail_msg("net apply: %s (%s)", strerror(-r), err);
}

/* --- looking at the system ------------------------------------------ */

static struct nl_sock *sock_here(void)
{
	struct nl_sock *sk = NULL;
	assert_int_equal(link_socket_open(&sk), 0);
	return sk;
}

static struct nl_sock *sock_in(const char *nspath)
{
	int fd, saved;
	assert_int_equal(netns_open(nspath, &fd), 0);
	assert_int_equal(netns_enter(fd, &saved), 0);
	struct nl_sock *sk = sock_here();
	assert_int_equal(netns_restore(saved), 0);
	close(fd);
	return sk;
}

/* The link's ifindex, 0 if absent; its master, flags and kind. */
static int link_info(struct nl_sock *sk, const char *name, int *ret_master, unsigned *ret_flags,
		     char *kind, size_t kindlen)
{
	struct rtnl_link *l = NULL;
	if (rtnl_link_get_kernel(sk, 0, name, &l) < 0)
		return 0;
	int ifindex = rtnl_link_get_ifindex(l);
	if (ret_master)
		*ret_master = rtnl_link_get_master(l);
	if (ret_flags)
		*ret_flags = rtnl_link_get_flags(l);
	if (kind)
		snprintf(kind, kindlen, "%s", rtnl_link_get_type(l) ? rtnl_link_get_type(l) : "");
	rtnl_link_put(l);
	return ifindex;
}

struct addr_list {
	int ifindex;
	unsigned n;
	uint32_t addr[16];
	uint8_t prefix[16];
};

static void addr_collect(struct nl_object *o, void *arg)
{
	struct addr_list *l = arg;
	struct rtnl_addr *a = (struct rtnl_addr *)o;
	if (rtnl_addr_get_ifindex(a) != l->ifindex || rtnl_addr_get_family(a) != AF_INET || l->n >= 16)
		return;
	uint32_t be;
	memcpy(&be, nl_addr_get_binary_addr(rtnl_addr_get_local(a)), 4);
	l->addr[l->n] = ntohl(be);
	l->prefix[l->n] = (uint8_t)rtnl_addr_get_prefixlen(a);
	l->n++;
}

static void addrs_of(struct nl_sock *sk, int ifindex, struct addr_list *ret)
{
	struct nl_cache *cache = NULL;
	assert_int_equal(rtnl_addr_alloc_cache(sk, &cache), 0);
	*ret = (struct addr_list){ .ifindex = ifindex };
	nl_cache_foreach(cache, addr_collect, ret);
	nl_cache_free(cache);
}

/* Asserts the link carries exactly `want` (any order) on `prefix`. */
static void assert_addrs(struct nl_sock *sk, int ifindex, const uint32_t *want, unsigned n,
			 uint8_t prefix)
{
	struct addr_list l;
	addrs_of(sk, ifindex, &l);
	if (l.n != n)
		fail_msg("link %d has %u IPv4 addresses, want %u", ifindex, l.n, n);
	for (unsigned i = 0; i < n; i++) {
		bool found = false;
		for (unsigned j = 0; j < l.n; j++)
			found = found || (l.addr[j] == want[i] && l.prefix[j] == prefix);
		if (!found) {
			char s[IPV4_STR_MAX];
			ipv4_format(want[i], s);
			fail_msg("link %d lacks %s/%u", ifindex, s, prefix);
		}
	}
}

struct route_find {
	bool found;
	uint32_t gateway;
	int oif;
};

static void route_collect(struct nl_object *o, void *arg)
{
	struct route_find *f = arg;
	struct rtnl_route *rt = (struct rtnl_route *)o;
	struct nl_addr *dst = rtnl_route_get_dst(rt);
	if (rtnl_route_get_table(rt) != RT_TABLE_MAIN || (dst && nl_addr_get_prefixlen(dst) != 0) ||
	    rtnl_route_get_nnexthops(rt) != 1)
		return;
	struct rtnl_nexthop *nh = rtnl_route_nexthop_n(rt, 0);
	struct nl_addr *gw = rtnl_route_nh_get_gateway(nh);
	if (!gw)
		return;
	uint32_t be;
	memcpy(&be, nl_addr_get_binary_addr(gw), 4);
	f->found = true;
	f->gateway = ntohl(be);
	f->oif = rtnl_route_nh_get_ifindex(nh);
}

static void assert_default_route(struct nl_sock *sk, uint32_t gateway, int oif)
{
	struct nl_cache *cache = NULL;
	assert_int_equal(rtnl_route_alloc_cache(sk, AF_INET, 0, &cache), 0);
	struct route_find f = { 0 };
	nl_cache_foreach(cache, route_collect, &f);
	nl_cache_free(cache);
	assert_true(f.found);
	assert_int_equal(f.gateway, gateway);
	assert_int_equal(f.oif, oif);
}

static bool is_nsfs(const char *path)
{
	struct statfs sf;
	return statfs(path, &sf) == 0 && sf.f_type == NSFS_MAGIC;
}

static char *table_text(void)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	char err[512] = "";
	int r = nft_list_table(session, &b, err, sizeof(err));
	if (r < 0)
		fail_msg("nft list: %s (%s)", strerror(-r), err);
	return buf_steal(&b);
}

/* Everything the plan says, checked against the system. */
static void assert_plan_applied(const struct netplan *p)
{
	struct nl_sock *sk = sock_here();
	int master;
	unsigned flags;
	char kind[32];

	int br = link_info(sk, p->bridge, &master, &flags, kind, sizeof(kind));
	assert_true(br > 0);
	assert_string_equal(kind, "bridge");
	assert_true(flags & IFF_UP);
	assert_addrs(sk, br, &p->host_addr, 1, p->ip_range.prefix);

	for (size_t i = 0; i < p->n_services; i++) {
		const struct netplan_service *s = &p->services[i];
		int h = link_info(sk, s->veth_host, &master, &flags, kind, sizeof(kind));
		assert_true(h > 0);
		assert_string_equal(kind, "veth");
		assert_int_equal(master, br);
		assert_true(flags & IFF_UP);
		assert_true(is_nsfs(s->netns_path));

		struct nl_sock *ns = sock_in(s->netns_path);
		int lo = link_info(ns, "lo", NULL, &flags, NULL, 0);
		assert_true(lo > 0);
		assert_true(flags & IFF_UP);
		int eth = link_info(ns, s->veth_peer, NULL, &flags, kind, sizeof(kind));
		assert_true(eth > 0);
		assert_string_equal(kind, "veth");
		assert_true(flags & IFF_UP);
		assert_addrs(ns, eth, s->addrs, s->n_addrs, s->prefix);
		assert_default_route(ns, s->gateway, eth);
		/* Nothing of the service's leaks into picd's namespace. */
		assert_int_equal(link_info(sk, s->veth_peer, NULL, NULL, NULL, 0), 0);
		link_socket_close(ns);
	}
	link_socket_close(sk);

	char net[CIDR_STR_MAX];
	cidr_format(&p->ip_range, net);
	char *t = table_text();
	assert_non_null(strstr(t, "table inet pic {"));
	assert_non_null(strstr(t, net));
	assert_non_null(strstr(t, "masquerade"));
	free(t);

	char fwd[4] = "";
	int fd = open("/proc/sys/net/ipv4/ip_forward", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_true(read(fd, fwd, sizeof(fwd) - 1) > 0);
	close(fd);
	assert_int_equal(fwd[0], '1');
}

/* --- traffic ---------------------------------------------------------- */

/* A UDP socket bound to addr:port, created inside `nspath` (NULL: here). */
static int udp_in(const char *nspath, uint32_t addr, uint16_t port)
{
	int nsfd = -1, saved = -1;
	if (nspath) {
		assert_int_equal(netns_open(nspath, &nsfd), 0);
		assert_int_equal(netns_enter(nsfd, &saved), 0);
	}
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err = errno;
	if (nspath) {
		assert_int_equal(netns_restore(saved), 0);
		close(nsfd);
	}
	if (fd < 0)
		fail_msg("socket: %s", strerror(err));
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(addr) };
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		fail_msg("bind: %s", strerror(errno));
	return fd;
}

static void udp_send(int fd, uint32_t addr, uint16_t port, const char *msg)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(addr) };
	if (sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		fail_msg("sendto: %s", strerror(errno));
}

/* Receives `msg` within `ms`; returns false on timeout. */
static bool udp_recv(int fd, int ms, const char *msg, uint32_t *ret_from, uint16_t *ret_port)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	if (poll(&pfd, 1, ms) <= 0)
		return false;
	char buf[64] = "";
	struct sockaddr_in from;
	socklen_t len = sizeof(from);
	ssize_t n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &len);
	assert_true(n >= 0);
	assert_string_equal(buf, msg);
	if (ret_from)
		*ret_from = ntohl(from.sin_addr.s_addr);
	if (ret_port)
		*ret_port = ntohs(from.sin_port);
	return true;
}

static void assert_ntp_reaches_host(const struct netplan *p)
{
	const struct netplan_service *ntp = netplan_find(p, "ntp");
	int rx = udp_in(NULL, p->host_addr, PORT_A);
	int tx = udp_in(ntp->netns_path, 0, 0);
	udp_send(tx, p->host_addr, PORT_A, "to-host");
	uint32_t from;
	assert_true(udp_recv(rx, WAIT_MS, "to-host", &from, NULL));
	assert_int_equal(from, ntp->addrs[0]);
	close(rx);
	close(tx);
}

/* --- tests -------------------------------------------------------------- */

static void test_apply(void **state)
{
	struct env *e = env_of(state);
	build_plan(e, NULL);
	apply_ok(e->plan);
	assert_plan_applied(e->plan);
	assert_ntp_reaches_host(e->plan);

	/* Service to service across the bridge: through the forward hook. */
	const struct netplan_service *ntp = netplan_find(e->plan, "ntp");
	const struct netplan_service *dns = netplan_find(e->plan, "dns");
	int rx = udp_in(dns->netns_path, dns->addrs[0], PORT_A);
	int tx = udp_in(ntp->netns_path, 0, 0);
	udp_send(tx, dns->addrs[0], PORT_A, "to-dns");
	uint32_t from;
	assert_true(udp_recv(rx, WAIT_MS, "to-dns", &from, NULL));
	assert_int_equal(from, ntp->addrs[0]);
	close(rx);
	close(tx);

	/* Netns files are opened through the privileged boundary too. */
	int fd;
	assert_int_equal(priv_netns_open(ntp, &fd), 0);
	close(fd);
	assert_int_equal(netns_open(e->run_dir, &fd), -ENOENT);
}

static void test_masquerade_and_drop(void **state)
{
	struct env *e = env_of(state);
	build_plan(e, NULL);
	apply_ok(e->plan);

	/* The world: a namespace behind veth wan0, reached by routing. */
	char world[PATH_MAX];
	path_join(world, sizeof(world), e->world_dir, "ns");
	assert_int_equal(netns_create(world), 0);
	int wfd;
	assert_int_equal(netns_open(world, &wfd), 0);
	struct nl_sock *sk = sock_here();
	struct nl_sock *wsk = sock_in(world);
	assert_int_equal(link_veth_ensure(sk, "wan0", 0, wsk, wfd, "eth0"), 0);
	int wan;
	assert_int_equal(link_up(sk, "wan0", &wan), 0);
	uint32_t host = WORLD_HOST, peer = WORLD_PEER;
	assert_int_equal(link_addrs_sync(sk, wan, &host, 1, 24), 0);
	assert_int_equal(link_ns_configure(wsk, "eth0", &peer, 1, 24, WORLD_HOST), 0);
	link_socket_close(wsk);
	link_socket_close(sk);
	close(wfd);

	/* Out: masqueraded to the host's address on wan0; the reply comes back. */
	const struct netplan_service *ntp = netplan_find(e->plan, "ntp");
	int wrx = udp_in(world, WORLD_PEER, PORT_A);
	int tx = udp_in(ntp->netns_path, 0, PORT_B);
	udp_send(tx, WORLD_PEER, PORT_A, "out");
	uint32_t from;
	uint16_t port;
	assert_true(udp_recv(wrx, WAIT_MS, "out", &from, &port));
	assert_int_equal(from, WORLD_HOST);
	udp_send(wrx, from, port, "reply");
	assert_true(udp_recv(tx, WAIT_MS, "reply", &from, NULL));
	assert_int_equal(from, WORLD_PEER);

	/* In: a flow the world starts towards a service is dropped. */
	int wtx = udp_in(world, WORLD_PEER, PORT_B);
	udp_send(wtx, ntp->addrs[0], PORT_B, "in");
	assert_false(udp_recv(tx, DROP_WAIT_MS, "in", NULL, NULL));
	close(wtx);
	close(wrx);
	close(tx);
}

/* A listener for every rtnetlink change a re-apply could make. */
static int monitor_in(const char *nspath)
{
	int nsfd = -1, saved = -1;
	if (nspath) {
		assert_int_equal(netns_open(nspath, &nsfd), 0);
		assert_int_equal(netns_enter(nsfd, &saved), 0);
	}
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (nspath) {
		assert_int_equal(netns_restore(saved), 0);
		close(nsfd);
	}
	assert_true(fd >= 0);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV4_ROUTE };
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Reads what is queued; the number of messages. */
static int monitor_drain(int fd)
{
	char buf[16384];
	int n = 0;
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		n++;
	return n;
}

/* Waits until none of `fds` has heard anything for 500 ms (carrier and
 * bridge port changes settle asynchronously after the first apply). */
static void monitors_settle(const int *fds, size_t n)
{
	for (int round = 0; round < 20; round++) {
		usleep(500 * 1000);
		int heard = 0;
		for (size_t i = 0; i < n; i++)
			heard += monitor_drain(fds[i]);
		if (heard == 0)
			return;
	}
	fail_msg("rtnetlink never settled");
}

static void test_idempotent(void **state)
{
	struct env *e = env_of(state);
	build_plan(e, NULL);
	apply_ok(e->plan);

	struct nl_sock *sk = sock_here();
	int br = link_info(sk, NETPLAN_BRIDGE, NULL, NULL, NULL, 0);
	int veth = link_info(sk, "pic-ntp", NULL, NULL, NULL, 0);
	const struct netplan_service *ntp = netplan_find(e->plan, "ntp");
	struct stat ns_before;
	assert_int_equal(stat(ntp->netns_path, &ns_before), 0);

	int mons[3] = { monitor_in(NULL), monitor_in(e->plan->services[0].netns_path),
			monitor_in(e->plan->services[1].netns_path) };
	monitors_settle(mons, 3);
	apply_ok(e->plan);
	for (size_t i = 0; i < 3; i++) {
		int n = monitor_drain(mons[i]);
		if (n != 0)
			fail_msg("re-apply made %d rtnetlink change(s) (monitor %zu)", n, i);
		close(mons[i]);
	}

	assert_int_equal(link_info(sk, NETPLAN_BRIDGE, NULL, NULL, NULL, 0), br);
	assert_int_equal(link_info(sk, "pic-ntp", NULL, NULL, NULL, 0), veth);
	struct stat ns_after;
	assert_int_equal(stat(ntp->netns_path, &ns_after), 0);
	assert_int_equal(ns_before.st_ino, ns_after.st_ino);
	assert_int_equal(ns_before.st_dev, ns_after.st_dev);
	link_socket_close(sk);
	assert_plan_applied(e->plan);
	assert_ntp_reaches_host(e->plan);
}

static void test_readdress(void **state)
{
	struct env *e = env_of(state);
	build_plan(e, NULL);
	apply_ok(e->plan);
	struct nl_sock *sk = sock_here();
	int br = link_info(sk, NETPLAN_BRIDGE, NULL, NULL, NULL, 0);
	int veth = link_info(sk, "pic-dns", NULL, NULL, NULL, 0);
	/* A socket a running service holds, open across the change. */
	int held = udp_in(netplan_find(e->plan, "ntp")->netns_path, 0, PORT_B);

	struct ipv4_net range = { IP(10, 77, 0, 0), 16 };
	build_plan(e, &range);
	apply_ok(e->plan);
	assert_plan_applied(e->plan);
	assert_int_equal(e->plan->host_addr, IP(10, 77, 0, 1));
	assert_int_equal(link_info(sk, NETPLAN_BRIDGE, NULL, NULL, NULL, 0), br);
	assert_int_equal(link_info(sk, "pic-dns", NULL, NULL, NULL, 0), veth);
	char *t = table_text();
	assert_non_null(strstr(t, "10.77.0.0/16"));
	assert_null(strstr(t, "172.20."));
	free(t);
	link_socket_close(sk);
	assert_ntp_reaches_host(e->plan);

	/* The held socket still works, from its new address. */
	int rx = udp_in(NULL, e->plan->host_addr, PORT_A);
	udp_send(held, e->plan->host_addr, PORT_A, "held");
	uint32_t from;
	assert_true(udp_recv(rx, WAIT_MS, "held", &from, NULL));
	assert_int_equal(from, IP(10, 77, 0, 4));
	close(rx);
	close(held);

	/* And back, to a /27 this time. */
	range = (struct ipv4_net){ IP(192, 168, 50, 0), 27 };
	build_plan(e, &range);
	apply_ok(e->plan);
	assert_plan_applied(e->plan);
}

static void test_teardown(void **state)
{
	struct env *e = env_of(state);
	build_plan(e, NULL);
	apply_ok(e->plan);
	const struct netplan_service *ntp = netplan_find(e->plan, "ntp");
	/* Held open, the namespace outlives its file: we can look inside. */
	int nsfd;
	assert_int_equal(netns_open(ntp->netns_path, &nsfd), 0);

	char err[256] = "";
	int r = priv_net_teardown(e->run_dir, err, sizeof(err));
	if (r < 0)
		fail_msg("teardown: %s (%s)", strerror(-r), err);

	struct nl_sock *sk = sock_here();
	assert_int_equal(link_info(sk, NETPLAN_BRIDGE, NULL, NULL, NULL, 0), 0);
	assert_int_equal(link_info(sk, "pic-ntp", NULL, NULL, NULL, 0), 0);
	assert_int_equal(link_info(sk, "pic-dns", NULL, NULL, NULL, 0), 0);
	link_socket_close(sk);
	struct stat st;
	assert_int_equal(stat(ntp->netns_path, &st), -1);
	char dir[PATH_MAX];
	path_join(dir, sizeof(dir), e->run_dir, NETPLAN_NETNS_DIR);
	assert_int_equal(stat(dir, &st), -1);
	assert_int_equal(errno, ENOENT);
	struct buf b;
	buf_init(&b, 1 << 16);
	assert_int_equal(nft_list_table(session, &b, NULL, 0), -ENOENT);
	buf_free(&b);

	/* The service's eth0 went with its veth. */
	int saved;
	assert_int_equal(netns_enter(nsfd, &saved), 0);
	struct nl_sock *ns = sock_here();
	assert_int_equal(netns_restore(saved), 0);
	assert_int_equal(link_info(ns, "eth0", NULL, NULL, NULL, 0), 0);
	link_socket_close(ns);
	close(nsfd);

	/* Nothing left: a second teardown is a no-op. */
	assert_int_equal(priv_net_teardown(e->run_dir, err, sizeof(err)), 0);
	/* And the network comes back from nothing. */
	apply_ok(e->plan);
	assert_plan_applied(e->plan);
}

static void test_refusals(void **state)
{
	struct env *e = env_of(state);
	build_plan(e, NULL);
	char err[256];
	struct netplan *p = calloc(1, sizeof(*p));
	assert_non_null(p);

	*p = *e->plan;
	snprintf(p->bridge, sizeof(p->bridge), "%s", "eth0");
	assert_int_equal(priv_net_apply(p, session, err, sizeof(err)), -EINVAL);
	*p = *e->plan;
	snprintf(p->services[0].veth_host, sizeof(p->services[0].veth_host), "%s", "eth0");
	assert_int_equal(priv_net_apply(p, session, err, sizeof(err)), -EINVAL);
	*p = *e->plan;
	snprintf(p->services[0].netns_path, sizeof(p->services[0].netns_path), "%s", "/run/../etc/x");
	assert_int_equal(priv_net_apply(p, session, err, sizeof(err)), -EINVAL);
	*p = *e->plan;
	p->services[0].n_addrs = 0;
	assert_int_equal(priv_net_apply(p, session, err, sizeof(err)), -EINVAL);
	*p = *e->plan;
	p->services[1].addrs[0] = IP(8, 8, 8, 8); /* outside ip_range */
	assert_int_equal(priv_net_apply(p, session, err, sizeof(err)), -EINVAL);
	*p = *e->plan;
	p->services[1].gateway = IP(172, 20, 0, 9);
	assert_int_equal(priv_net_apply(p, session, err, sizeof(err)), -EINVAL);
	assert_int_equal(priv_net_teardown("relative", err, sizeof(err)), -EINVAL);
	free(p);

	/* A link of the bridge's name that is not a bridge. */
	struct nl_sock *sk = sock_here();
	struct rtnl_link *l = rtnl_link_alloc();
	rtnl_link_set_name(l, NETPLAN_BRIDGE);
	rtnl_link_set_type(l, "veth");
	assert_int_equal(rtnl_link_add(sk, l, NLM_F_CREATE | NLM_F_EXCL), 0);
	rtnl_link_put(l);
	link_socket_close(sk);
	err[0] = '\0';
	assert_int_equal(priv_net_apply(e->plan, session, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "pic0"));
}

static void test_netns(void **state)
{
	struct env *e = env_of(state);
	char dir[PATH_MAX], path[PATH_MAX];
	path_join(dir, sizeof(dir), e->run_dir, "ns");
	path_join(path, sizeof(path), dir, "a");

	/* A bare placeholder (a crash between create and mount, or a
	 * reboot) is not a namespace, and is reused. */
	assert_int_equal(mkdir(dir, 0755), 0);
	int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(netns_open(path, &fd), -ENOENT);
	assert_int_equal(netns_create(path), 0);
	assert_true(is_nsfs(path));
	struct stat a, b;
	assert_int_equal(stat(path, &a), 0);
	assert_int_equal(netns_create(path), 0); /* already there: the same one */
	assert_int_equal(stat(path, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);

	/* A new namespace, not ours. */
	struct stat self;
	assert_int_equal(stat("/proc/self/ns/net", &self), 0);
	assert_true(self.st_ino != a.st_ino);

	/* Entering and leaving. */
	assert_int_equal(netns_open(path, &fd), 0);
	int saved;
	assert_int_equal(netns_enter(fd, &saved), 0);
	struct stat in;
	assert_int_equal(stat("/proc/thread-self/ns/net", &in), 0);
	assert_int_equal(in.st_ino, a.st_ino);
	assert_int_equal(netns_restore(saved), 0);
	assert_int_equal(stat("/proc/thread-self/ns/net", &in), 0);
	assert_int_equal(in.st_ino, self.st_ino);
	close(fd);

	/* Something else at the path is refused, not replaced. */
	char other[PATH_MAX];
	path_join(other, sizeof(other), dir, "d");
	assert_int_equal(mkdir(other, 0755), 0);
	assert_int_equal(netns_create(other), -EEXIST);
	assert_int_equal(rmdir(other), 0);
	path_join(other, sizeof(other), dir, "uts");
	fd = open(other, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(mount("/proc/self/ns/uts", other, "none", MS_BIND, NULL), 0);
	assert_int_equal(netns_create(other), -EEXIST);
	assert_int_equal(netns_open(other, &fd), -EINVAL);

	assert_int_equal(netns_delete(path), 0);
	assert_int_equal(netns_delete(path), 0);
	assert_int_equal(stat(path, &a), -1);
	assert_int_equal(netns_delete_all(dir), 0); /* takes "uts" too */
	assert_int_equal(stat(dir, &a), -1);
	assert_int_equal(netns_delete_all(dir), 0);
}

/* What others may do behind picd's back, and the next apply repairs. */

/* A namespace pinned in another mount namespace is a bare file here: it
 * is pinned again from a process inside it (picd restarted by systemd,
 * adopting its daemons). */
static void test_netns_pin(void **state)
{
	struct env *e = env_of(state);
	char dir[PATH_MAX], a[PATH_MAX], b[PATH_MAX];
	path_join(dir, sizeof(dir), e->run_dir, "ns");
	path_join(a, sizeof(a), dir, "a");
	path_join(b, sizeof(b), dir, "b");
	assert_int_equal(netns_create(a), 0);
	int fa;
	assert_int_equal(netns_open(a, &fa), 0);

	/* Over a bare placeholder (netns_create made the directory), and
	 * where nothing is. */
	int fd = open(b, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(netns_pin(b, fa), 0);
	int fb;
	assert_int_equal(netns_open(b, &fb), 0);
	assert_true(netns_same(fa, fb));
	close(fb);
	assert_int_equal(netns_delete(b), 0);
	assert_int_equal(netns_pin(b, fa), 0);
	assert_int_equal(netns_open(b, &fb), 0);
	assert_true(netns_same(fa, fb));

	/* A pin is never replaced, and only a network namespace is pinned. */
	assert_int_equal(netns_pin(b, fa), -EEXIST);
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(self >= 0);
	assert_false(netns_same(self, fb));
	close(self);
	int mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	assert_true(mnt >= 0);
	char c[PATH_MAX];
	path_join(c, sizeof(c), dir, "c");
	assert_int_equal(netns_pin(c, mnt), -EINVAL);
	assert_int_equal(access(c, F_OK) < 0 ? errno : 0, ENOENT);
	close(mnt);
	close(fb);
	close(fa);
	assert_int_equal(netns_delete_all(dir), 0);
}
static void test_repair(void **state)
{
	struct env *e = env_of(state);
	build_plan(e, NULL);
	apply_ok(e->plan);
	const struct netplan_service *ntp = netplan_find(e->plan, "ntp");
	const struct netplan_service *dns = netplan_find(e->plan, "dns");

	struct nl_sock *sk = sock_here();
	int br = link_info(sk, NETPLAN_BRIDGE, NULL, NULL, NULL, 0);
	uint32_t stray = IP(192, 168, 99, 1);
	assert_int_equal(link_addrs_sync(sk, br, &stray, 1, 24), 0);  /* re-addressed */
	assert_int_equal(link_delete(sk, ntp->veth_host, "veth"), 0); /* eth0 goes too */
	struct nl_sock *ns = sock_in(dns->netns_path);
	int eth = link_info(ns, "eth0", NULL, NULL, NULL, 0);
	uint32_t extra[2] = { dns->addrs[0], IP(172, 20, 9, 9) };
	assert_int_equal(link_addrs_sync(ns, eth, extra, 2, 16), 0);  /* one address too many */
	link_socket_close(ns);
	assert_int_equal(netns_delete(ntp->netns_path), 0);         /* the namespace file */
	link_socket_close(sk);
	char err[256];
	assert_int_equal(nft_delete_table(session, err, sizeof(err)), 0);

	apply_ok(e->plan);
	assert_plan_applied(e->plan);
	assert_ntp_reaches_host(e->plan);
}

/* Failures, dry runs and refusals, in session `s` (NULL: a context per
 * call). In a session each call must leave nothing behind for the next:
 * no dry-run flag, no cache of a refused batch. */
static void nft_errors_in(struct nft_session *s)
{
	char err[512] = "";
	assert_int_equal(nft_apply(s, "table inet pic { chain c { no such thing } }\n", err, sizeof(err)), -EIO);
	assert_non_null(strstr(err, "Error"));
	/* The failed batch left nothing behind, not even the empty table. */
	struct buf b;
	buf_init(&b, 1 << 16);
	assert_int_equal(nft_list_table(s, &b, NULL, 0), -ENOENT);

	const char *good = "table inet pic {\n\tchain c {\n\t}\n}\n";
	assert_int_equal(nft_check(s, good, err, sizeof(err)), 0);
	assert_int_equal(nft_list_table(s, &b, NULL, 0), -ENOENT); /* a dry run */
	assert_int_equal(nft_apply(s, good, err, sizeof(err)), 0);
	assert_int_equal(nft_list_table(s, &b, err, sizeof(err)), 0);
	assert_non_null(strstr(b.data, "chain c"));
	buf_free(&b);

	/* A refused replacement keeps the table in force. */
	assert_int_equal(nft_apply(s, "table inet pic { chain d { bogus } }\n", err, sizeof(err)), -EIO);
	buf_init(&b, 1 << 16);
	assert_int_equal(nft_list_table(s, &b, err, sizeof(err)), 0);
	assert_non_null(strstr(b.data, "chain c"));
	buf_free(&b);
	assert_int_equal(nft_check(s, "table inet pic { chain d { bogus } }\n", err, sizeof(err)), -EIO);
	assert_int_equal(nft_run(s, "add chain inet pic d\ndelete chain inet pic nosuch\n", err, sizeof(err)), -EIO);
	assert_int_equal(nft_run(s, "add chain inet pic e\n", err, sizeof(err)), 0);
	buf_init(&b, 1 << 16);
	assert_int_equal(nft_list_table(s, &b, err, sizeof(err)), 0);
	assert_null(strstr(b.data, "chain d")); /* all of a batch or none */
	assert_non_null(strstr(b.data, "chain e"));
	buf_free(&b);
	assert_int_equal(nft_delete_table(s, err, sizeof(err)), 0);
	assert_int_equal(nft_delete_table(s, err, sizeof(err)), 0);
}

static void test_nft_errors(void **state)
{
	env_of(state);
	nft_errors_in(NULL);
}

static void test_nft_errors_in_a_session(void **state)
{
	env_of(state);
	nft_errors_in(session);
}

/* A session made in one namespace acts in the one the process is in now. */
static void test_nft_session_follows_the_namespace(void **state)
{
	env_of(state);
	char err[512] = "";
	struct buf b;
	const char *good = "table inet pic {\n\tchain c {\n\t}\n}\n";
	assert_int_equal(nft_apply(session, good, err, sizeof(err)), 0);
	int here = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(here >= 0);
	assert_int_equal(unshare(CLONE_NEWNET), 0);
	buf_init(&b, 1 << 16);
	assert_int_equal(nft_list_table(session, &b, NULL, 0), -ENOENT);
	assert_int_equal(nft_run(session, "add table inet pic\nadd chain inet pic other\n", err, sizeof(err)), 0);
	assert_int_equal(setns(here, CLONE_NEWNET), 0);
	close(here);
	assert_int_equal(nft_list_table(session, &b, err, sizeof(err)), 0);
	assert_non_null(strstr(b.data, "chain c"));
	assert_null(strstr(b.data, "chain other"));
	buf_free(&b);
}

static int group_setup(void **state)
{
	(void)state;
	return nft_session_open(&session);
}

static int group_teardown(void **state)
{
	(void)state;
	nft_session_close(session);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_apply, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_masquerade_and_drop, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_idempotent, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_readdress, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_teardown, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_netns, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_netns_pin, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_repair, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_nft_errors, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_nft_errors_in_a_session, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_nft_session_follows_the_namespace, env_setup, env_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
