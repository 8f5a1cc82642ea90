/* The kernel WireGuard client (see wg_netlink.h). libnl builds, sends
 * and parses messages; replies are received here, into a buffer that is
 * wiped afterwards. */
#include "wg_netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/time_types.h>
#include <linux/wireguard.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sodium.h>

#include "common/cleanup.h"
#include "net/nl_errno.h"
#include "common/banned.h"

#define RECV_MAX (64u << 10) /* the kernel's dump messages stay under 32 KiB */
#define REPLY_TIMEOUT_S 2

DEFINE_PTR_CLEANUP(struct nl_sock, nl_socket_free)

/* --- building requests ------------------------------------------------ */

static void msg_free(struct nl_msg *m)
{
	if (!m)
		return;
	sodium_memzero(nlmsg_hdr(m), nlmsg_get_max_size(m));
	nlmsg_free(m);
}

static struct nl_msg *request(int family, uint8_t cmd, int flags, const char *ifname)
{
	struct nl_msg *m = nlmsg_alloc_size(WG_NL_MSG_MAX);
	if (!m)
		return NULL;
	if (!genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd, WG_GENL_VERSION) ||
	    nla_put_string(m, WGDEVICE_A_IFNAME, ifname) < 0) {
		msg_free(m);
		return NULL;
	}
	return m;
}

static int put_allowed(struct nl_msg *m, const struct ipv4_net *net)
{
	struct nlattr *a = nla_nest_start(m, 0);
	uint32_t be = htonl(net->addr);
	if (!a || nla_put_u16(m, WGALLOWEDIP_A_FAMILY, AF_INET) < 0 ||
	    nla_put(m, WGALLOWEDIP_A_IPADDR, sizeof(be), &be) < 0 || nla_put_u8(m, WGALLOWEDIP_A_CIDR_MASK, net->prefix) < 0)
		return -NLE_NOMEM;
	return nla_nest_end(m, a);
}

/* One peer's nest; -NLE_NOMEM when it does not fit (the caller cancels
 * the nest). `p` NULL: the removal of `key`. */
static int put_peer(struct nl_msg *m, const uint8_t key[WG_KEY_LEN], const struct wg_peer_config *p)
{
	static const uint8_t zero[WG_KEY_LEN];
	if (nla_put(m, WGPEER_A_PUBLIC_KEY, WG_KEY_LEN, key) < 0)
		return -NLE_NOMEM;
	if (!p)
		return nla_put_u32(m, WGPEER_A_FLAGS, WGPEER_F_REMOVE_ME);
	if (nla_put_u32(m, WGPEER_A_FLAGS, WGPEER_F_REPLACE_ALLOWEDIPS) < 0 ||
	    nla_put(m, WGPEER_A_PRESHARED_KEY, WG_KEY_LEN, p->has_psk ? p->psk : zero) < 0 ||
	    nla_put_u16(m, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, (uint16_t)p->keepalive_s) < 0)
		return -NLE_NOMEM;
	struct nlattr *list = nla_nest_start(m, WGPEER_A_ALLOWEDIPS);
	if (!list)
		return -NLE_NOMEM;
	for (size_t i = 0; i < p->n_allowed; i++)
		if (put_allowed(m, &p->allowed[i]) < 0)
			return -NLE_NOMEM;
	return nla_nest_end(m, list);
}

struct builder {
	int family;
	const char *ifname;
	struct nl_msg *msg;
	struct nlattr *peers;
	size_t in_msg; /* peers in the current message */
	int (*emit)(struct nl_msg *, void *);
	void *cls;
};

static int builder_flush(struct builder *b)
{
	int r = 0;
	if (b->msg && b->in_msg) {
		nla_nest_end(b->msg, b->peers);
		r = b->emit(b->msg, b->cls);
	}
	msg_free(b->msg);
	b->msg = NULL;
	b->in_msg = 0;
	return r;
}

static int builder_add(struct builder *b, const uint8_t key[WG_KEY_LEN], const struct wg_peer_config *p)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		if (!b->msg) {
			b->msg = request(b->family, WG_CMD_SET_DEVICE, NLM_F_ACK, b->ifname);
			b->peers = b->msg ? nla_nest_start(b->msg, WGDEVICE_A_PEERS) : NULL;
			if (!b->peers)
				return -ENOMEM;
		}
		struct nlattr *nest = nla_nest_start(b->msg, 0);
		if (nest && put_peer(b->msg, key, p) >= 0) {
			nla_nest_end(b->msg, nest);
			b->in_msg++;
			return 0;
		}
		if (nest)
			nla_nest_cancel(b->msg, nest);
		if (b->in_msg == 0)
			return -E2BIG; /* one peer larger than a message: cannot be */
		int r = builder_flush(b);
		if (r < 0)
			return r;
	}
	return -E2BIG;
}

int wg_nl_build_apply(int family, const char *ifname, const struct wg_peer_config *set, size_t n_set,
		      const uint8_t (*remove)[WG_KEY_LEN], size_t n_remove, int (*emit)(struct nl_msg *, void *),
		      void *cls, char *err, size_t errlen)
{
	int r = wg_config_check(set, n_set, remove, n_remove, err, errlen);
	if (r < 0)
		return r;
	struct builder b = { .family = family, .ifname = ifname, .emit = emit, .cls = cls };
	for (size_t i = 0; r == 0 && i < n_remove; i++)
		r = builder_add(&b, remove[i], NULL);
	for (size_t i = 0; r == 0 && i < n_set; i++)
		r = builder_add(&b, set[i].public_key, &set[i]);
	if (r == 0)
		r = builder_flush(&b);
	msg_free(b.msg);
	if (r < 0)
		wg_set_err(err, errlen, "building the request: %s", strerror(-r));
	return r;
}

/* --- parsing the dump ------------------------------------------------- */

static bool key_attr(const struct nlattr *a, uint8_t out[WG_KEY_LEN])
{
	if (!a || nla_len(a) != WG_KEY_LEN)
		return false;
	memcpy(out, nla_data(a), WG_KEY_LEN);
	return true;
}

static int parse_endpoint(const struct nlattr *a, char out[WG_ENDPOINT_MAX])
{
	char ip[INET6_ADDRSTRLEN];
	const struct sockaddr *sa = nla_data(a);
	size_t len = (size_t)nla_len(a);
	int n;
	if (len >= sizeof(struct sockaddr_in) && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = nla_data(a);
		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
		n = snprintf(out, WG_ENDPOINT_MAX, "%s:%u", ip, ntohs(in->sin_port));
	} else if (len >= sizeof(struct sockaddr_in6) && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = nla_data(a);
		char scope[16] = "";
		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		if (in6->sin6_scope_id)
			snprintf(scope, sizeof(scope), "%%%u", in6->sin6_scope_id);
		n = snprintf(out, WG_ENDPOINT_MAX, "[%s%s]:%u", ip, scope, ntohs(in6->sin6_port));
	} else {
		return -EPROTO;
	}
	return n < 0 || n >= WG_ENDPOINT_MAX ? -EPROTO : 0;
}

static int parse_allowed(struct nlattr *list, struct wg_peer_state *p)
{
	struct nlattr *a;
	int rem;
	nla_for_each_nested(a, list, rem)
	{
		struct nlattr *tb[WGALLOWEDIP_A_MAX + 1];
		if (nla_parse_nested(tb, WGALLOWEDIP_A_MAX, a, NULL) < 0 || !tb[WGALLOWEDIP_A_FAMILY] ||
		    nla_len(tb[WGALLOWEDIP_A_FAMILY]) != 2 || !tb[WGALLOWEDIP_A_IPADDR] || !tb[WGALLOWEDIP_A_CIDR_MASK] ||
		    nla_len(tb[WGALLOWEDIP_A_CIDR_MASK]) != 1)
			return -EPROTO;
		uint16_t family = nla_get_u16(tb[WGALLOWEDIP_A_FAMILY]);
		uint8_t prefix = nla_get_u8(tb[WGALLOWEDIP_A_CIDR_MASK]);
		if (family == AF_INET6 && nla_len(tb[WGALLOWEDIP_A_IPADDR]) == 16 && prefix <= 128) {
			wg_peer_state_add_allowed(p, NULL);
			continue;
		}
		if (family != AF_INET || nla_len(tb[WGALLOWEDIP_A_IPADDR]) != 4 || prefix > 32)
			return -EPROTO;
		uint32_t be;
		memcpy(&be, nla_data(tb[WGALLOWEDIP_A_IPADDR]), sizeof(be));
		struct ipv4_net net = { ntohl(be), prefix };
		wg_peer_state_add_allowed(p, &net);
	}
	return 0;
}

static bool len_is(const struct nlattr *a, int len)
{
	return !a || nla_len(a) == len;
}

static int parse_peer(struct nlattr *nest, struct wg_device_state *st)
{
	struct nlattr *tb[WGPEER_A_MAX + 1];
	uint8_t key[WG_KEY_LEN];
	if (nla_parse_nested(tb, WGPEER_A_MAX, nest, NULL) < 0 || !key_attr(tb[WGPEER_A_PUBLIC_KEY], key) ||
	    !len_is(tb[WGPEER_A_PRESHARED_KEY], WG_KEY_LEN) ||
	    !len_is(tb[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL], 2) || !len_is(tb[WGPEER_A_RX_BYTES], 8) ||
	    !len_is(tb[WGPEER_A_TX_BYTES], 8) ||
	    !len_is(tb[WGPEER_A_LAST_HANDSHAKE_TIME], (int)sizeof(struct __kernel_timespec)))
		return -EPROTO;
	/* The same key as the last peer: its allowed IPs continue here. */
	struct wg_peer_state *p = NULL;
	if (st->n_peers && memcmp(st->peers[st->n_peers - 1].public_key, key, WG_KEY_LEN) == 0)
		p = &st->peers[st->n_peers - 1];
	else {
		int r = wg_device_state_add_peer(st, key, &p);
		if (r < 0)
			return r;
	}
	if (key_attr(tb[WGPEER_A_PRESHARED_KEY], p->psk))
		p->has_psk = !wg_key_is_zero(p->psk);
	if (tb[WGPEER_A_ENDPOINT] && parse_endpoint(tb[WGPEER_A_ENDPOINT], p->endpoint) < 0)
		return -EPROTO;
	if (tb[WGPEER_A_LAST_HANDSHAKE_TIME]) {
		struct __kernel_timespec t;
		memcpy(&t, nla_data(tb[WGPEER_A_LAST_HANDSHAKE_TIME]), sizeof(t));
		p->last_handshake = t.tv_sec;
	}
	if (tb[WGPEER_A_RX_BYTES])
		p->rx_bytes = nla_get_u64(tb[WGPEER_A_RX_BYTES]);
	if (tb[WGPEER_A_TX_BYTES])
		p->tx_bytes = nla_get_u64(tb[WGPEER_A_TX_BYTES]);
	if (tb[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL])
		p->keepalive_s = nla_get_u16(tb[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL]);
	return tb[WGPEER_A_ALLOWEDIPS] ? parse_allowed(tb[WGPEER_A_ALLOWEDIPS], p) : 0;
}

int wg_nl_parse(const struct nlmsghdr *nlh, struct wg_device_state *st)
{
	struct nlattr *tb[WGDEVICE_A_MAX + 1];
	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, WGDEVICE_A_MAX, NULL) < 0 ||
	    !len_is(tb[WGDEVICE_A_PRIVATE_KEY], WG_KEY_LEN) || !len_is(tb[WGDEVICE_A_LISTEN_PORT], 2) ||
	    !len_is(tb[WGDEVICE_A_FWMARK], 4))
		return -EPROTO;
	uint8_t priv[WG_KEY_LEN];
	if (key_attr(tb[WGDEVICE_A_PRIVATE_KEY], priv)) {
		st->has_private_key = !wg_key_is_zero(priv);
		if (st->has_private_key)
			wg_key_public(priv, st->public_key);
		sodium_memzero(priv, sizeof(priv));
	}
	if (tb[WGDEVICE_A_LISTEN_PORT])
		st->listen_port = nla_get_u16(tb[WGDEVICE_A_LISTEN_PORT]);
	if (tb[WGDEVICE_A_FWMARK])
		st->fwmark = nla_get_u32(tb[WGDEVICE_A_FWMARK]);
	if (!tb[WGDEVICE_A_PEERS])
		return 0;
	struct nlattr *nest;
	int rem;
	nla_for_each_nested(nest, tb[WGDEVICE_A_PEERS], rem)
	{
		int r = parse_peer(nest, st);
		if (r < 0)
			return r;
	}
	return 0;
}

/* --- talking to the kernel -------------------------------------------- */

static int family_open(struct nl_sock **ret_sk, int *ret_family, char *err, size_t errlen)
{
	_cleanup_(nl_socket_freep) struct nl_sock *sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	int r = nl_errno(genl_connect(sk));
	if (r < 0) {
		wg_set_err(err, errlen, "generic netlink: %s", strerror(-r));
		return r;
	}
	nl_socket_disable_auto_ack(sk);
	int fd = nl_socket_get_fd(sk), on = 1;
	struct timeval tv = { REPLY_TIMEOUT_S, 0 };
	if (setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		r = -errno;
		wg_set_err(err, errlen, "generic netlink socket options: %s", strerror(-r));
		return r;
	}
	int family = genl_ctrl_resolve(sk, WG_GENL_NAME);
	if (family < 0) {
		wg_set_err(err, errlen, "this kernel has no WireGuard (no generic netlink family '%s')", WG_GENL_NAME);
		return -EOPNOTSUPP;
	}
	*ret_family = family;
	*ret_sk = sk;
	sk = NULL;
	return 0;
}

/* Reads the replies to request `seq` until its acknowledgement (st NULL)
 * or the end of its dump. */
static int receive(struct nl_sock *sk, uint32_t seq, struct wg_device_state *st)
{
	uint8_t *buf = malloc(RECV_MAX);
	if (!buf)
		return -ENOMEM;
	int fd = nl_socket_get_fd(sk), r = 0;
	bool done = false;
	while (!done) {
		ssize_t n = recv(fd, buf, RECV_MAX, MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = errno == EAGAIN ? -ETIMEDOUT : -errno;
			break;
		}
		if ((size_t)n > RECV_MAX) {
			r = -EPROTO;
			break;
		}
		int len = (int)n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; !done && nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
			if (h->nlmsg_seq != seq)
				continue; /* a stale answer */
			if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE) {
				int e = 0;
				if (nlmsg_datalen(h) >= (int)sizeof(int))
					memcpy(&e, nlmsg_data(h), sizeof(e));
				r = e > 0 ? -EPROTO : e;
				done = true;
			} else if (st) {
				r = wg_nl_parse(h, st);
				done = r < 0;
			}
		}
	}
	sodium_memzero(buf, RECV_MAX);
	free(buf);
	return r;
}

static int send_and_receive(struct nl_sock *sk, struct nl_msg *m, struct wg_device_state *st)
{
	int r = nl_errno(nl_send_auto(sk, m));
	return r < 0 ? r : receive(sk, nlmsg_hdr(m)->nlmsg_seq, st);
}

static void kernel_err(const char *ifname, int r, char *err, size_t errlen)
{
	if (r == -ENODEV)
		wg_set_err(err, errlen, "no WireGuard interface '%s'", ifname);
	else if (r == -EPROTO)
		wg_set_err(err, errlen, "WireGuard '%s': a malformed answer from the kernel", ifname);
	else
		wg_set_err(err, errlen, "WireGuard '%s': %s", ifname, strerror(-r));
}

/* A socket on the WireGuard family and a request `cmd` for `ifname`. */
static int open_request(uint8_t cmd, int flags, const char *ifname, struct nl_sock **ret_sk, struct nl_msg **ret_m,
			char *err, size_t errlen)
{
	int family;
	int r = family_open(ret_sk, &family, err, errlen);
	if (r < 0)
		return r;
	*ret_m = request(family, cmd, flags, ifname);
	return *ret_m ? 0 : -ENOMEM;
}

int wg_nl_get(const char *ifname, struct wg_device_state *ret, char *err, size_t errlen)
{
	_cleanup_(nl_socket_freep) struct nl_sock *sk = NULL;
	struct nl_msg *m = NULL;
	int r = open_request(WG_CMD_GET_DEVICE, NLM_F_DUMP, ifname, &sk, &m, err, errlen);
	if (r < 0)
		return r;
	struct wg_device_state st = { 0 };
	r = send_and_receive(sk, m, &st);
	msg_free(m);
	if (r < 0) {
		wg_device_state_free(&st);
		kernel_err(ifname, r, err, errlen);
		return r;
	}
	*ret = st;
	return 0;
}

int wg_nl_set_device(const char *ifname, const uint8_t private_key[WG_KEY_LEN], uint16_t listen_port, char *err,
		     size_t errlen)
{
	_cleanup_(nl_socket_freep) struct nl_sock *sk = NULL;
	struct nl_msg *m = NULL;
	int r = open_request(WG_CMD_SET_DEVICE, NLM_F_ACK, ifname, &sk, &m, err, errlen);
	if (r < 0)
		return r;
	r = nla_put(m, WGDEVICE_A_PRIVATE_KEY, WG_KEY_LEN, private_key) < 0 ||
			    nla_put_u16(m, WGDEVICE_A_LISTEN_PORT, listen_port) < 0
		    ? -ENOMEM
		    : send_and_receive(sk, m, NULL);
	msg_free(m);
	if (r < 0)
		kernel_err(ifname, r, err, errlen);
	return r;
}

static int emit_to_kernel(struct nl_msg *m, void *cls)
{
	return send_and_receive(cls, m, NULL);
}

int wg_nl_apply(const char *ifname, const struct wg_peer_config *set, size_t n_set,
		const uint8_t (*remove)[WG_KEY_LEN], size_t n_remove, char *err, size_t errlen)
{
	int r = wg_config_check(set, n_set, remove, n_remove, err, errlen);
	if (r < 0)
		return r;
	_cleanup_(nl_socket_freep) struct nl_sock *sk = NULL;
	int family;
	r = family_open(&sk, &family, err, errlen);
	if (r < 0)
		return r;
	char berr[128] = "";
	r = wg_nl_build_apply(family, ifname, set, n_set, remove, n_remove, emit_to_kernel, sk, berr, sizeof(berr));
	if (r < 0)
		kernel_err(ifname, r, err, errlen);
	return r;
}
