/* wg_netlink, the kernel WireGuard client, without the kernel module
 * (this machine has none): the requests it builds are read back
 * attribute by attribute as the kernel reads them (linux/wireguard.h),
 * canned dump messages are parsed (device attributes, peers, a peer's
 * allowed IPs continued in the next message, IPv6 endpoints and allowed
 * IPs, malformed attributes), large applies split into messages that
 * each fit, and the calls against this kernel fail with the reason. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/time_types.h>
#include <linux/wireguard.h>
#include <netinet/in.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vpn/wg_netlink.h"
#include "common/banned.h"

#define FAMILY 42
#define IFNAME "picwg0"

static void key_fill(uint8_t key[WG_KEY_LEN], uint8_t byte)
{
	memset(key, byte, WG_KEY_LEN);
}

static struct wg_peer_config peer(uint8_t byte, uint32_t addr, bool psk)
{
	struct wg_peer_config p = { .has_psk = psk, .n_allowed = 1, .allowed = { { addr, 32 } }, .keepalive_s = 25 };
	key_fill(p.public_key, byte);
	if (psk)
		key_fill(p.psk, (uint8_t)(byte + 1));
	return p;
}

/* What the emitted requests said, read back. */
struct seen_peer {
	uint8_t key[WG_KEY_LEN];
	uint32_t flags;
	bool has_psk_attr;
	uint8_t psk[WG_KEY_LEN];
	int keepalive; /* -1: absent */
	uint32_t allowed_addr;
	int allowed_prefix; /* -1: none */
	size_t n_allowed;
};

struct seen {
	size_t n_msgs;
	size_t max_len;
	struct seen_peer peers[1200];
	size_t n_peers;
	int fail_at; /* emit answers -EIO for this message number (1-based); 0: never */
};

static void read_peer(struct nlattr *nest, struct seen_peer *sp)
{
	struct nlattr *tb[WGPEER_A_MAX + 1];
	assert_int_equal(nla_parse_nested(tb, WGPEER_A_MAX, nest, NULL), 0);
	*sp = (struct seen_peer){ .keepalive = -1, .allowed_prefix = -1 };
	assert_non_null(tb[WGPEER_A_PUBLIC_KEY]);
	assert_int_equal(nla_len(tb[WGPEER_A_PUBLIC_KEY]), WG_KEY_LEN);
	memcpy(sp->key, nla_data(tb[WGPEER_A_PUBLIC_KEY]), WG_KEY_LEN);
	assert_non_null(tb[WGPEER_A_FLAGS]);
	sp->flags = nla_get_u32(tb[WGPEER_A_FLAGS]);
	if (tb[WGPEER_A_PRESHARED_KEY]) {
		assert_int_equal(nla_len(tb[WGPEER_A_PRESHARED_KEY]), WG_KEY_LEN);
		sp->has_psk_attr = true;
		memcpy(sp->psk, nla_data(tb[WGPEER_A_PRESHARED_KEY]), WG_KEY_LEN);
	}
	if (tb[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL])
		sp->keepalive = nla_get_u16(tb[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL]);
	if (!tb[WGPEER_A_ALLOWEDIPS])
		return;
	struct nlattr *a;
	int rem;
	nla_for_each_nested(a, tb[WGPEER_A_ALLOWEDIPS], rem)
	{
		struct nlattr *ab[WGALLOWEDIP_A_MAX + 1];
		assert_int_equal(nla_parse_nested(ab, WGALLOWEDIP_A_MAX, a, NULL), 0);
		assert_int_equal(nla_get_u16(ab[WGALLOWEDIP_A_FAMILY]), AF_INET);
		assert_int_equal(nla_len(ab[WGALLOWEDIP_A_IPADDR]), 4);
		uint32_t be;
		memcpy(&be, nla_data(ab[WGALLOWEDIP_A_IPADDR]), 4);
		sp->allowed_addr = ntohl(be);
		sp->allowed_prefix = nla_get_u8(ab[WGALLOWEDIP_A_CIDR_MASK]);
		sp->n_allowed++;
	}
}

static int record(struct nl_msg *m, void *cls)
{
	struct seen *s = cls;
	s->n_msgs++;
	if (s->fail_at && (size_t)s->fail_at == s->n_msgs)
		return -EIO;
	struct nlmsghdr *h = nlmsg_hdr(m);
	if (h->nlmsg_len > s->max_len)
		s->max_len = h->nlmsg_len;
	assert_true(h->nlmsg_len <= WG_NL_MSG_MAX);
	assert_int_equal(h->nlmsg_type, FAMILY);
	assert_true(h->nlmsg_flags & NLM_F_ACK);
	struct genlmsghdr *g = nlmsg_data(h);
	assert_int_equal(g->cmd, WG_CMD_SET_DEVICE);
	assert_int_equal(g->version, WG_GENL_VERSION);
	struct nlattr *tb[WGDEVICE_A_MAX + 1];
	assert_int_equal(genlmsg_parse(h, 0, tb, WGDEVICE_A_MAX, NULL), 0);
	assert_string_equal(nla_get_string(tb[WGDEVICE_A_IFNAME]), IFNAME);
	/* never the flag that would drop every other peer's session */
	assert_null(tb[WGDEVICE_A_FLAGS]);
	assert_null(tb[WGDEVICE_A_PRIVATE_KEY]);
	assert_non_null(tb[WGDEVICE_A_PEERS]);
	struct nlattr *p;
	int rem;
	nla_for_each_nested(p, tb[WGDEVICE_A_PEERS], rem)
	{
		assert_true(s->n_peers < 1200);
		read_peer(p, &s->peers[s->n_peers++]);
	}
	return 0;
}

static void test_build_set_and_remove(void **state)
{
	(void)state;
	struct wg_peer_config set[2] = { peer(0x11, 0x0a400002, true), peer(0x22, 0x0a400003, false) };
	uint8_t remove[3][WG_KEY_LEN];
	for (int i = 0; i < 3; i++)
		key_fill(remove[i], (uint8_t)(0xa0 + i));
	struct seen *s = calloc(1, sizeof(*s));
	char err[128] = "";
	assert_int_equal(wg_nl_build_apply(FAMILY, IFNAME, set, 2, (const uint8_t(*)[WG_KEY_LEN])remove, 3, record, s,
					   err, sizeof(err)),
			 0);
	assert_int_equal(s->n_msgs, 1);
	assert_int_equal(s->n_peers, 5);
	/* removals first, each alone with its flag */
	for (int i = 0; i < 3; i++) {
		assert_memory_equal(s->peers[i].key, remove[i], WG_KEY_LEN);
		assert_int_equal(s->peers[i].flags, WGPEER_F_REMOVE_ME);
		assert_false(s->peers[i].has_psk_attr);
		assert_int_equal(s->peers[i].n_allowed, 0);
	}
	/* then the peers set: allowed IPs replaced, keepalive, the PSK */
	const struct seen_peer *a = &s->peers[3], *b = &s->peers[4];
	assert_memory_equal(a->key, set[0].public_key, WG_KEY_LEN);
	assert_int_equal(a->flags, WGPEER_F_REPLACE_ALLOWEDIPS);
	assert_true(a->has_psk_attr);
	assert_memory_equal(a->psk, set[0].psk, WG_KEY_LEN);
	assert_int_equal(a->keepalive, 25);
	assert_int_equal(a->n_allowed, 1);
	assert_int_equal(a->allowed_addr, 0x0a400002);
	assert_int_equal(a->allowed_prefix, 32);
	/* no PSK: an all-zero one is sent, which clears one set before */
	uint8_t zero[WG_KEY_LEN] = { 0 };
	assert_true(b->has_psk_attr);
	assert_memory_equal(b->psk, zero, WG_KEY_LEN);
	assert_int_equal(b->allowed_addr, 0x0a400003);
	free(s);
}

static void test_build_splits_large_applies(void **state)
{
	(void)state;
	enum { N_SET = 1000, N_REMOVE = 150 };
	struct wg_peer_config *set = calloc(N_SET, sizeof(*set));
	uint8_t(*remove)[WG_KEY_LEN] = calloc(N_REMOVE, WG_KEY_LEN);
	for (uint32_t i = 0; i < N_SET; i++) {
		set[i] = peer(1, 0x0a400000 + i + 2, i % 2);
		memcpy(set[i].public_key, &i, sizeof(i));
	}
	for (uint32_t i = 0; i < N_REMOVE; i++) {
		key_fill(remove[i], 0xee);
		memcpy(remove[i], &i, sizeof(i));
	}
	struct seen *s = calloc(1, sizeof(*s));
	assert_int_equal(wg_nl_build_apply(FAMILY, IFNAME, set, N_SET, (const uint8_t(*)[WG_KEY_LEN])remove, N_REMOVE,
					   record, s, NULL, 0),
			 0);
	assert_true(s->n_msgs > 1);
	assert_true(s->max_len <= WG_NL_MSG_MAX);
	assert_true(s->max_len > WG_NL_MSG_MAX / 2); /* messages are filled, not one peer each */
	assert_int_equal(s->n_peers, N_SET + N_REMOVE);
	/* every peer once, in order: removals, then sets */
	for (uint32_t i = 0; i < N_REMOVE; i++) {
		assert_memory_equal(s->peers[i].key, remove[i], WG_KEY_LEN);
		assert_int_equal(s->peers[i].flags, WGPEER_F_REMOVE_ME);
	}
	for (uint32_t i = 0; i < N_SET; i++) {
		const struct seen_peer *p = &s->peers[N_REMOVE + i];
		assert_memory_equal(p->key, set[i].public_key, WG_KEY_LEN);
		assert_int_equal(p->allowed_addr, 0x0a400000 + i + 2);
	}
	free(set);
	free(remove);
	free(s);
}

static void test_build_refuses_bad_input_and_stops_on_error(void **state)
{
	(void)state;
	struct wg_peer_config set[2] = { peer(0x11, 0x0a400002, false), peer(0, 0x0a400003, false) };
	struct seen *s = calloc(1, sizeof(*s));
	char err[128] = "";
	/* an all-zero key: nothing is emitted */
	assert_int_equal(wg_nl_build_apply(FAMILY, IFNAME, set, 2, NULL, 0, record, s, err, sizeof(err)), -EINVAL);
	assert_int_equal(s->n_msgs, 0);
	assert_non_null(strstr(err, "peer 1"));
	/* host bits in an allowed IP */
	set[1] = peer(0x22, 0x0a400003, false);
	set[1].allowed[0].prefix = 24;
	assert_int_equal(wg_nl_build_apply(FAMILY, IFNAME, set, 2, NULL, 0, record, s, err, sizeof(err)), -EINVAL);
	assert_int_equal(s->n_msgs, 0);
	/* a count with no list */
	assert_int_equal(wg_nl_build_apply(FAMILY, IFNAME, NULL, 1, NULL, 0, record, s, err, sizeof(err)), -EINVAL);
	/* the kernel refusing a message stops the build there */
	struct wg_peer_config *many = calloc(600, sizeof(*many));
	for (uint32_t i = 0; i < 600; i++) {
		many[i] = peer(1, 0x0a400000 + i + 2, true);
		memcpy(many[i].public_key, &i, sizeof(i));
	}
	s->fail_at = 2;
	assert_int_equal(wg_nl_build_apply(FAMILY, IFNAME, many, 600, NULL, 0, record, s, err, sizeof(err)), -EIO);
	assert_int_equal(s->n_msgs, 2);
	free(many);
	free(s);
}

/* --- parsing ----------------------------------------------------------- */

static struct nl_msg *dump_msg(void)
{
	struct nl_msg *m = nlmsg_alloc_size(WG_NL_MSG_MAX);
	assert_non_null(m);
	assert_non_null(genlmsg_put(m, 1, 7, FAMILY, 0, NLM_F_MULTI, WG_CMD_GET_DEVICE, WG_GENL_VERSION));
	return m;
}

static void put_allowed(struct nl_msg *m, uint16_t family, const void *addr, int addr_len, uint8_t prefix)
{
	struct nlattr *a = nla_nest_start(m, 0);
	nla_put_u16(m, WGALLOWEDIP_A_FAMILY, family);
	nla_put(m, WGALLOWEDIP_A_IPADDR, addr_len, addr);
	nla_put_u8(m, WGALLOWEDIP_A_CIDR_MASK, prefix);
	nla_nest_end(m, a);
}

static void put_v4(struct nl_msg *m, uint32_t addr, uint8_t prefix)
{
	uint32_t be = htonl(addr);
	put_allowed(m, AF_INET, &be, 4, prefix);
}

static void test_parse_dump(void **state)
{
	(void)state;
	uint8_t priv[WG_KEY_LEN], pub[WG_KEY_LEN], ka[WG_KEY_LEN], kb[WG_KEY_LEN], psk[WG_KEY_LEN], zero[WG_KEY_LEN];
	key_fill(priv, 0x40);
	wg_key_public(priv, pub);
	key_fill(ka, 0x11);
	key_fill(kb, 0x22);
	key_fill(psk, 0xab);
	memset(zero, 0, sizeof(zero));

	/* first message: the device and peer A's attributes and two of its
	 * allowed IPs, one IPv6 */
	struct nl_msg *m1 = dump_msg();
	nla_put_u32(m1, WGDEVICE_A_IFINDEX, 9);
	nla_put_string(m1, WGDEVICE_A_IFNAME, IFNAME);
	nla_put(m1, WGDEVICE_A_PRIVATE_KEY, WG_KEY_LEN, priv);
	nla_put(m1, WGDEVICE_A_PUBLIC_KEY, WG_KEY_LEN, pub);
	nla_put_u16(m1, WGDEVICE_A_LISTEN_PORT, 51820);
	nla_put_u32(m1, WGDEVICE_A_FWMARK, 7);
	struct nlattr *peers = nla_nest_start(m1, WGDEVICE_A_PEERS);
	struct nlattr *pa = nla_nest_start(m1, 0);
	nla_put(m1, WGPEER_A_PUBLIC_KEY, WG_KEY_LEN, ka);
	nla_put(m1, WGPEER_A_PRESHARED_KEY, WG_KEY_LEN, psk);
	struct __kernel_timespec t = { .tv_sec = 1764400000, .tv_nsec = 5 };
	nla_put(m1, WGPEER_A_LAST_HANDSHAKE_TIME, sizeof(t), &t);
	nla_put_u16(m1, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, 25);
	nla_put_u64(m1, WGPEER_A_TX_BYTES, 1000);
	nla_put_u64(m1, WGPEER_A_RX_BYTES, 2000);
	nla_put_u32(m1, WGPEER_A_PROTOCOL_VERSION, 1);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(51821) };
	inet_pton(AF_INET, "192.0.2.1", &sin.sin_addr);
	nla_put(m1, WGPEER_A_ENDPOINT, sizeof(sin), &sin);
	struct nlattr *al = nla_nest_start(m1, WGPEER_A_ALLOWEDIPS);
	put_v4(m1, 0x0a400002, 32);
	struct in6_addr v6;
	inet_pton(AF_INET6, "fd00::2", &v6);
	put_allowed(m1, AF_INET6, &v6, 16, 128);
	nla_nest_end(m1, al);
	nla_nest_end(m1, pa);
	nla_nest_end(m1, peers);

	/* second message: A continued (its key and one more allowed IP
	 * only), then peer B, new, with no PSK and an IPv6 endpoint */
	struct nl_msg *m2 = dump_msg();
	peers = nla_nest_start(m2, WGDEVICE_A_PEERS);
	pa = nla_nest_start(m2, 0);
	nla_put(m2, WGPEER_A_PUBLIC_KEY, WG_KEY_LEN, ka);
	al = nla_nest_start(m2, WGPEER_A_ALLOWEDIPS);
	put_v4(m2, 0x0a410000, 16);
	nla_nest_end(m2, al);
	nla_nest_end(m2, pa);
	struct nlattr *pb = nla_nest_start(m2, 0);
	nla_put(m2, WGPEER_A_PUBLIC_KEY, WG_KEY_LEN, kb);
	nla_put(m2, WGPEER_A_PRESHARED_KEY, WG_KEY_LEN, zero);
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(4500), .sin6_scope_id = 3 };
	inet_pton(AF_INET6, "fe80::1", &sin6.sin6_addr);
	nla_put(m2, WGPEER_A_ENDPOINT, sizeof(sin6), &sin6);
	nla_nest_end(m2, pb);
	nla_nest_end(m2, peers);

	struct wg_device_state st = { 0 };
	assert_int_equal(wg_nl_parse(nlmsg_hdr(m1), &st), 0);
	assert_int_equal(wg_nl_parse(nlmsg_hdr(m2), &st), 0);
	assert_true(st.has_private_key);
	assert_memory_equal(st.public_key, pub, WG_KEY_LEN);
	assert_int_equal(st.listen_port, 51820);
	assert_int_equal(st.fwmark, 7);
	assert_int_equal(st.n_peers, 2);
	const struct wg_peer_state *a = &st.peers[0], *b = &st.peers[1];
	assert_memory_equal(a->public_key, ka, WG_KEY_LEN);
	assert_true(a->has_psk);
	assert_memory_equal(a->psk, psk, WG_KEY_LEN);
	assert_string_equal(a->endpoint, "192.0.2.1:51821");
	assert_int_equal(a->last_handshake, 1764400000);
	assert_int_equal(a->tx_bytes, 1000);
	assert_int_equal(a->rx_bytes, 2000);
	assert_int_equal(a->keepalive_s, 25);
	assert_int_equal(a->n_allowed, 2);
	assert_int_equal(a->allowed[0].addr, 0x0a400002);
	assert_int_equal(a->allowed[1].addr, 0x0a410000);
	assert_int_equal(a->allowed[1].prefix, 16);
	assert_int_equal(a->n_allowed_unlisted, 1);
	assert_memory_equal(b->public_key, kb, WG_KEY_LEN);
	assert_false(b->has_psk);
	assert_string_equal(b->endpoint, "[fe80::1%3]:4500");
	assert_int_equal(b->last_handshake, 0);
	assert_int_equal(b->n_allowed, 0);
	wg_device_state_free(&st);
	nlmsg_free(m1);
	nlmsg_free(m2);
}

static void fill_keepalive_only(struct nl_msg *m)
{
	nla_put_u16(m, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, 25);
}

static void fill_prefix_33(struct nl_msg *m)
{
	struct nlattr *al = nla_nest_start(m, WGPEER_A_ALLOWEDIPS);
	put_v4(m, 0x0a400002, 33);
	nla_nest_end(m, al);
}

static void fill_unix_endpoint(struct nl_msg *m)
{
	struct sockaddr bad = { .sa_family = AF_UNIX };
	nla_put(m, WGPEER_A_ENDPOINT, sizeof(bad), &bad);
}

/* A dump message of one peer: `key` (NULL: none) and what `fill` puts;
 * the parser must refuse it. */
static void expect_malformed_peer(const uint8_t *key, void (*fill)(struct nl_msg *))
{
	struct wg_device_state st = { 0 };
	struct nl_msg *m = dump_msg();
	struct nlattr *peers = nla_nest_start(m, WGDEVICE_A_PEERS);
	struct nlattr *p = nla_nest_start(m, 0);
	if (key)
		nla_put(m, WGPEER_A_PUBLIC_KEY, WG_KEY_LEN, key);
	fill(m);
	nla_nest_end(m, p);
	nla_nest_end(m, peers);
	assert_int_equal(wg_nl_parse(nlmsg_hdr(m), &st), -EPROTO);
	nlmsg_free(m);
	wg_device_state_free(&st);
}

static void test_parse_rejects_malformed(void **state)
{
	(void)state;
	uint8_t key[WG_KEY_LEN];
	key_fill(key, 0x11);

	/* a short private key */
	struct wg_device_state st = { 0 };
	struct nl_msg *m = dump_msg();
	nla_put(m, WGDEVICE_A_PRIVATE_KEY, 16, key);
	assert_int_equal(wg_nl_parse(nlmsg_hdr(m), &st), -EPROTO);
	nlmsg_free(m);
	wg_device_state_free(&st);

	expect_malformed_peer(NULL, fill_keepalive_only); /* a peer without a public key */
	expect_malformed_peer(key, fill_prefix_33);       /* an IPv4 allowed IP with a /33 */
	expect_malformed_peer(key, fill_unix_endpoint);   /* an endpoint of an unknown family */
}

/* Against this machine's kernel: without WireGuard the calls say so;
 * with it, an interface that does not exist is named. */
static void test_calls_against_this_kernel(void **state)
{
	(void)state;
	char err[256] = "";
	struct wg_device_state st = { 0 };
	int r = wg_nl_get("picwgnone0", &st, err, sizeof(err));
	assert_true(r == -EOPNOTSUPP || r == -ENODEV);
	if (r == -EOPNOTSUPP)
		assert_non_null(strstr(err, "no WireGuard"));
	else
		assert_non_null(strstr(err, "picwgnone0"));
	struct wg_peer_config p = peer(0x11, 0x0a400002, false);
	assert_int_equal(wg_nl_apply("picwgnone0", &p, 1, NULL, 0, err, sizeof(err)), r);
	uint8_t priv[WG_KEY_LEN];
	key_fill(priv, 0x40);
	assert_int_equal(wg_nl_set_device("picwgnone0", priv, 51820, err, sizeof(err)), r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_set_and_remove),
		cmocka_unit_test(test_build_splits_large_applies),
		cmocka_unit_test(test_build_refuses_bad_input_and_stops_on_error),
		cmocka_unit_test(test_parse_dump),
		cmocka_unit_test(test_parse_rejects_malformed),
		cmocka_unit_test(test_calls_against_this_kernel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
