/* Applying the cell network (see net.h). The nftables table goes in
 * before forwarding is switched on, so there is no moment at which the
 * host forwards without the cell's rules. */
#include "net.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "net/link.h"
#include "net/netns.h"
#include "net/nft.h"
#include "net/nft_render.h"
#include "common/banned.h"

#define NET_IP_FORWARD "/proc/sys/net/ipv4/ip_forward"
/* Linux 5.14+: connections queued on a listening socket that closes move
 * to another listener of its SO_REUSEPORT group instead of being reset.
 * caddy rebinds with SO_REUSEPORT on every config load and closes the old
 * socket; without this a reload resets whatever was still queued. */
#define NET_TCP_MIGRATE_REQ "/proc/sys/net/ipv4/tcp_migrate_req"
#define NET_RULESET_MAX (64 * 1024)
#define NET_NFT_ERR_MAX 1024

static void err_set(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void err_set(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	/* A message cut short is still the right message: truncation is
	 * accepted here. */
	(void)vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* A netlink socket bound to namespace `fd`: picd enters it only for the
 * socket() call. */
static int socket_in_netns(int fd, struct nl_sock **ret_sk)
{
	int saved;
	int r = netns_enter(fd, &saved);
	if (r < 0)
		return r;
	struct nl_sock *sk = NULL;
	r = link_socket_open(&sk);
	int q = netns_restore(saved);
	if (q < 0) {
		link_socket_close(sk);
		return q;
	}
	if (r < 0)
		return r;
	*ret_sk = sk;
	return 0;
}

/* Sets the namespace's net.ipv4.tcp_migrate_req (a per-namespace sysctl:
 * the file opened inside the namespace is that namespace's). 0 also on a
 * kernel without it, where reloads keep resetting queued connections. */
static int migrate_requests_enable(int fd)
{
	int saved;
	int r = netns_enter(fd, &saved);
	if (r < 0)
		return r;
	int sysctl = open(NET_TCP_MIGRATE_REQ, O_WRONLY | O_CLOEXEC);
	int open_errno = errno;
	r = netns_restore(saved);
	if (sysctl < 0)
		return r < 0 ? r : (open_errno == ENOENT ? 0 : -open_errno);
	_cleanup_close_ int f = sysctl;
	if (r < 0)
		return r;
	return write(f, "1\n", 2) == 2 ? 0 : -errno;
}

static int service_apply(struct nl_sock *sk, int bridge_ifindex, const struct netplan_service *s,
			 char *err, size_t errlen)
{
	int r = netns_create(s->netns_path);
	if (r < 0) {
		err_set(err, errlen, "namespace '%s': %s", s->netns_path, strerror(-r));
		return r;
	}
	_cleanup_close_ int fd = -1;
	r = netns_open(s->netns_path, &fd);
	if (r < 0) {
		err_set(err, errlen, "namespace '%s': %s", s->netns_path, strerror(-r));
		return r;
	}
	_cleanup_(link_socket_closep) struct nl_sock *ns_sk = NULL;
	r = socket_in_netns(fd, &ns_sk);
	if (r < 0) {
		err_set(err, errlen, "netlink in namespace '%s': %s", s->netns_path, strerror(-r));
		return r;
	}
	r = link_veth_ensure(sk, s->veth_host, bridge_ifindex, ns_sk, fd, s->veth_peer);
	if (r < 0) {
		err_set(err, errlen, "veth '%s' for '%s': %s", s->veth_host, s->name, strerror(-r));
		return r;
	}
	r = link_ns_configure(ns_sk, s->veth_peer, s->addrs, s->n_addrs, s->prefix, s->gateway);
	if (r < 0) {
		err_set(err, errlen, "addresses and route of '%s': %s", s->name, strerror(-r));
		return r;
	}
	r = migrate_requests_enable(fd);
	if (r < 0) {
		err_set(err, errlen, "%s in namespace '%s': %s", NET_TCP_MIGRATE_REQ, s->netns_path, strerror(-r));
		return r;
	}
	return 0;
}

static int ip_forward_enable(void)
{
	_cleanup_close_ int fd = open(NET_IP_FORWARD, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	char cur[4] = { 0 };
	if (read(fd, cur, sizeof(cur) - 1) < 0)
		return -errno;
	/* Writing resets per-interface forwarding settings: only if needed. */
	if (cur[0] == '1')
		return 0;
	if (pwrite(fd, "1\n", 2, 0) != 2)
		return -errno;
	return 0;
}

static int nft_ensure(const struct netplan *p, struct nft_session *nft, char *err, size_t errlen)
{
	struct buf rules;
	buf_init(&rules, NET_RULESET_MAX);
	int r = nft_render(p, &rules);
	if (r < 0) {
		err_set(err, errlen, "nftables ruleset: %s", strerror(-r));
		buf_free(&rules);
		return r;
	}
	char nerr[NET_NFT_ERR_MAX] = "";
	r = nft_apply(nft, rules.data, nerr, sizeof(nerr));
	buf_free(&rules);
	if (r < 0)
		err_set(err, errlen, "nftables: %s", nerr);
	return r;
}

int net_apply(const struct netplan *p, struct nft_session *nft, char *err, size_t errlen)
{
	_cleanup_(link_socket_closep) struct nl_sock *sk = NULL;
	int r = link_socket_open(&sk);
	if (r < 0) {
		err_set(err, errlen, "netlink: %s", strerror(-r));
		return r;
	}
	int bridge_ifindex;
	r = link_bridge_ensure(sk, p->bridge, p->host_addr, p->ip_range.prefix, &bridge_ifindex);
	if (r < 0) {
		err_set(err, errlen, "bridge '%s': %s", p->bridge, strerror(-r));
		return r;
	}
	for (size_t i = 0; i < p->n_services; i++) {
		r = service_apply(sk, bridge_ifindex, &p->services[i], err, errlen);
		if (r < 0)
			return r;
	}
	r = nft_ensure(p, nft, err, errlen);
	if (r < 0)
		return r;
	r = ip_forward_enable();
	if (r < 0) {
		err_set(err, errlen, "%s: %s", NET_IP_FORWARD, strerror(-r));
		return r;
	}
	return 0;
}

int net_teardown(const char *bridge, const char *run_dir, char *err, size_t errlen)
{
	int first = 0;
	_cleanup_(link_socket_closep) struct nl_sock *sk = NULL;
	int r = link_socket_open(&sk);
	if (r < 0) {
		err_set(err, errlen, "netlink: %s", strerror(-r));
		first = r;
	}
	if (sk) {
		r = link_delete_ports(sk, bridge, NETPLAN_VETH_PREFIX);
		if (r < 0 && first == 0) {
			err_set(err, errlen, "veths on '%s': %s", bridge, strerror(-r));
			first = r;
		}
		r = link_delete(sk, bridge, "bridge");
		if (r < 0 && first == 0) {
			err_set(err, errlen, "bridge '%s': %s", bridge, strerror(-r));
			first = r;
		}
		/* The kernel's WireGuard interface stays when picd stops (the
		 * VPN outlives the control plane) and goes here; wireguard-go's
		 * goes with its daemon. */
		r = link_delete(sk, NETPLAN_VPN_IFNAME, "wireguard");
		if (r < 0 && r != -EEXIST && first == 0) {
			err_set(err, errlen, "interface '%s': %s", NETPLAN_VPN_IFNAME, strerror(-r));
			first = r;
		}
	}

	char dir[PATH_MAX];
	int n = snprintf(dir, sizeof(dir), "%s/" NETPLAN_NETNS_DIR, run_dir);
	r = n < 0 || (size_t)n >= sizeof(dir) ? -ENAMETOOLONG : netns_delete_all(dir);
	if (r < 0 && first == 0) {
		err_set(err, errlen, "namespaces in '%s': %s", run_dir, strerror(-r));
		first = r;
	}

	char nerr[NET_NFT_ERR_MAX] = "";
	r = nft_delete_table(NULL, nerr, sizeof(nerr));
	if (r < 0 && first == 0) {
		err_set(err, errlen, "nftables: %s", nerr);
		first = r;
	}
	return first;
}
