/* wg_dump, the parser of UAPI answers, on canned text: a full dump (device
 * keys, a fwmark, peers with and without preshared keys, IPv4 and IPv6
 * endpoints, IPv6 allowed IPs and more IPv4 ones than are kept, a key the
 * parser does not know), the same fed one byte at a time, 20,000 peers,
 * the daemon's errno, and malformed answers of every kind. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <time.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "vpn/wg_dump.h"
#include "vpn/wg_key.h"
#include "child_proc.h"
#include "common/banned.h"

#define DOC_PUBLIC "MhBzmIBrzw8b8iF2FH4ejh/7Vumn6Q/KoR0H5+o7mlY="
#define DOC_PRIVATE_HEX "10786da17557a675f3df5731f27ac0c507ef691a9ed6f7f7e371954b212da945"

#define R2(s) s s
#define R4(s) R2(R2(s))
#define HEX(pair) R2(R4(R4(pair))) /* 32 bytes of `pair` */
#define ZERO_KEY HEX("00")

static const char canned[] = "private_key=" DOC_PRIVATE_HEX "\n"
			     "listen_port=51820\n"
			     "fwmark=7\n"
			     "public_key=" HEX("11") "\n"
			     "preshared_key=" HEX("ab") "\n"
			     "protocol_version=1\n"
			     "endpoint=192.0.2.1:51821\n"
			     "last_handshake_time_sec=1764400000\n"
			     "last_handshake_time_nsec=123456789\n"
			     "tx_bytes=1000\n"
			     "rx_bytes=18446744073709551615\n"
			     "persistent_keepalive_interval=25\n"
			     "allowed_ip=10.8.0.2/32\n"
			     "allowed_ip=fd00::2/128\n"
			     "allowed_ip=10.9.0.0/24\n"
			     "some_future_key=whatever it says\n"
			     "public_key=" HEX("22") "\n"
			     "preshared_key=" ZERO_KEY "\n"
			     "protocol_version=1\n"
			     "endpoint=[2001:db8::1%eth0]:51820\n"
			     "last_handshake_time_sec=0\n"
			     "last_handshake_time_nsec=0\n"
			     "tx_bytes=0\n"
			     "rx_bytes=0\n"
			     "persistent_keepalive_interval=0\n"
			     "allowed_ip=10.8.0.1/32\n"
			     "allowed_ip=10.8.0.3/32\n"
			     "allowed_ip=10.8.0.4/32\n"
			     "allowed_ip=10.8.0.5/32\n"
			     "allowed_ip=10.8.0.6/32\n"
			     "allowed_ip=10.8.0.7/32\n"
			     "allowed_ip=10.8.0.8/32\n"
			     "allowed_ip=10.8.0.9/32\n"
			     "allowed_ip=10.8.0.10/32\n"
			     "public_key=" HEX("33") "\n"
			     "errno=0\n"
			     "\n";

static void check_canned(const struct wg_device_state *st)
{
	uint8_t pub[WG_KEY_LEN], key[WG_KEY_LEN];
	assert_int_equal(wg_key_from_base64(DOC_PUBLIC, pub), 0);
	assert_true(st->has_private_key);
	assert_memory_equal(st->public_key, pub, WG_KEY_LEN);
	assert_int_equal(st->listen_port, 51820);
	assert_int_equal(st->fwmark, 7);
	assert_int_equal(st->n_peers, 3);

	const struct wg_peer_state *a = &st->peers[0], *b = &st->peers[1], *c = &st->peers[2];
	memset(key, 0x11, sizeof(key));
	assert_memory_equal(a->public_key, key, WG_KEY_LEN);
	assert_true(a->has_psk);
	memset(key, 0xab, sizeof(key));
	assert_memory_equal(a->psk, key, WG_KEY_LEN);
	assert_string_equal(a->endpoint, "192.0.2.1:51821");
	assert_int_equal(a->last_handshake, 1764400000);
	assert_int_equal(a->tx_bytes, 1000);
	assert_true(a->rx_bytes == UINT64_MAX);
	assert_int_equal(a->keepalive_s, 25);
	assert_int_equal(a->n_allowed, 2);
	assert_int_equal(a->allowed[0].addr, 0x0a080002);
	assert_int_equal(a->allowed[0].prefix, 32);
	assert_int_equal(a->allowed[1].addr, 0x0a090000);
	assert_int_equal(a->allowed[1].prefix, 24);
	assert_int_equal(a->n_allowed_unlisted, 1); /* the IPv6 one */

	assert_false(b->has_psk);
	assert_string_equal(b->endpoint, "[2001:db8::1%eth0]:51820");
	assert_int_equal(b->last_handshake, 0);
	assert_int_equal(b->keepalive_s, 0);
	assert_int_equal(b->n_allowed, WG_ALLOWED_MAX);
	assert_int_equal(b->allowed[WG_ALLOWED_MAX - 1].addr, 0x0a080009);
	assert_int_equal(b->n_allowed_unlisted, 1); /* the ninth */

	/* a peer line alone: everything empty */
	assert_string_equal(c->endpoint, "");
	assert_int_equal(c->n_allowed, 0);
	assert_false(c->has_psk);
}

static void test_parse_canned(void **state)
{
	struct wg_device_state st;
	assert_int_equal(wg_dump_parse(canned, strlen(canned), &st), 0);
	check_canned(&st);
	wg_device_state_free(&st);
	assert_null(st.peers);
	wg_device_state_free(NULL);

	/* the same fed one byte at a time */
	struct wg_device_state st2 = { 0 };
	struct wg_dump d;
	wg_dump_init(&d, &st2);
	size_t len = strlen(canned);
	for (size_t i = 0; i < len; i++)
		assert_int_equal(wg_dump_feed(&d, canned + i, 1), i + 1 == len ? 1 : 0);
	assert_int_equal(d.daemon_errno, 0);
	check_canned(&st2);
	wg_device_state_free(&st2);

	/* no private key, no peers */
	const char empty[] = "listen_port=0\nerrno=0\n\n";
	assert_int_equal(wg_dump_parse(empty, strlen(empty), &st), 0);
	assert_false(st.has_private_key);
	assert_int_equal(st.n_peers, 0);
	wg_device_state_free(&st);
	const char zero_priv[] = "private_key=" ZERO_KEY "\nerrno=0\n\n";
	assert_int_equal(wg_dump_parse(zero_priv, strlen(zero_priv), &st), 0);
	assert_false(st.has_private_key);
	wg_device_state_free(&st);

	/* 20,000 peers: the array grows */
	struct buf b;
	buf_init(&b, WG_DUMP_MAX);
	for (unsigned i = 0; i < 20000; i++) {
		uint8_t k[WG_KEY_LEN] = { 0 };
		char hex[WG_KEY_HEX_LEN + 1];
		memcpy(k, &i, sizeof(i));
		k[31] = 1;
		wg_key_to_hex(k, hex);
		assert_int_equal(buf_printf(&b, "public_key=%s\nallowed_ip=10.%u.%u.%u/32\n", hex, i >> 16,
					    (i >> 8) & 255, i & 255),
				 0);
	}
	assert_int_equal(buf_printf(&b, "errno=0\n\n"), 0);
	double t0 = now_ms();
	assert_int_equal(wg_dump_parse(b.data, b.len, &st), 0);
	print_message("parsing a canned dump of 20,000 peers (%zu bytes): %.1f ms\n", b.len, now_ms() - t0);
	assert_int_equal(st.n_peers, 20000);
	assert_int_equal(st.peers[19999].allowed[0].addr, 0x0a004e1f);
	wg_device_state_free(&st);
	buf_free(&b);
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text;
		int want;
	} cases[] = {
		{ "errno=-22\n\n", -EINVAL },
		{ "errno=5\n\n", -EIO },
		{ "listen_port=1\nerrno=-98\n\n", -EADDRINUSE },
		{ "", -EPROTO },                                   /* nothing */
		{ "errno=0\n", -EPROTO },                          /* no final empty line */
		{ "listen_port=1\n\n", -EPROTO },                  /* ends without errno */
		{ "hello world\n\n", -EPROTO },                    /* not key=value */
		{ "Listen_port=1\nerrno=0\n\n", -EPROTO },         /* key chars */
		{ "=1\nerrno=0\n\n", -EPROTO },
		{ "errno=0\nlisten_port=1\n\n", -EPROTO },         /* after errno */
		{ "errno=0\n\nerrno=0\n\n", -EPROTO },             /* after the end */
		{ "errno=abc\n\n", -EPROTO },
		{ "errno=-99999\n\n", -EPROTO },
		{ "errno=\n\n", -EPROTO },
		{ "listen_port=65536\nerrno=0\n\n", -EPROTO },
		{ "listen_port=-1\nerrno=0\n\n", -EPROTO },
		{ "listen_port= 1\nerrno=0\n\n", -EPROTO },
		{ "private_key=1234\nerrno=0\n\n", -EPROTO },
		{ "allowed_ip=10.0.0.1/32\nerrno=0\n\n", -EPROTO }, /* peer key before a peer */
		{ "public_key=" HEX("11") "\nlisten_port=1\nerrno=0\n\n", -EPROTO }, /* device key in a peer */
		{ "public_key=" HEX("1g") "\nerrno=0\n\n", -EPROTO },
		{ "public_key=" HEX("11") "\nallowed_ip=10.0.0.1\nerrno=0\n\n", -EPROTO },
		{ "public_key=" HEX("11") "\nallowed_ip=10.0.0.1/33\nerrno=0\n\n", -EPROTO },
		{ "public_key=" HEX("11") "\nallowed_ip=fd00::1/129\nerrno=0\n\n", -EPROTO },
		{ "public_key=" HEX("11") "\nallowed_ip=zz::1/64\nerrno=0\n\n", -EPROTO },
		{ "public_key=" HEX("11") "\nendpoint=\nerrno=0\n\n", -EPROTO },
		{ "public_key=" HEX("11") "\nendpoint=a b:1\nerrno=0\n\n", -EPROTO },
		{ "public_key=" HEX("11") "\nrx_bytes=18446744073709551616\nerrno=0\n\n", -EPROTO },
		{ "public_key=" HEX("11") "\npersistent_keepalive_interval=65536\nerrno=0\n\n", -EPROTO },
		{ "public_key=" HEX("11") "\nlast_handshake_time_nsec=1000000000\nerrno=0\n\n", -EPROTO },
		{ "public_key=" HEX("11") "\nlast_handshake_time_sec=9223372036854775808\nerrno=0\n\n", -EPROTO },
		{ "public_key=" HEX("11") "\nprotocol_version=0\nerrno=0\n\n", -EPROTO },
		{ "public_key=" HEX("11") "\npreshared_key=" HEX("11") "00\nerrno=0\n\n", -EPROTO },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct wg_device_state st = { .listen_port = 4242 };
		int r = wg_dump_parse(cases[i].text, strlen(cases[i].text), &st);
		if (r != cases[i].want)
			fail_msg("case %zu '%s': %d, want %d", i, cases[i].text, r, cases[i].want);
		assert_int_equal(st.listen_port, 4242); /* untouched on failure */
	}

	/* a line longer than WG_DUMP_LINE_MAX */
	char long_line[WG_DUMP_LINE_MAX + 32];
	memset(long_line, 'a', sizeof(long_line));
	memcpy(long_line, "x=", 2);
	long_line[sizeof(long_line) - 3] = '\n';
	long_line[sizeof(long_line) - 2] = '\n';
	long_line[sizeof(long_line) - 1] = '\0';
	struct wg_device_state st;
	assert_int_equal(wg_dump_parse(long_line, strlen(long_line), &st), -EPROTO);
	/* a NUL inside a line */
	const char nul[] = "listen_port=1\0\nerrno=0\n\n";
	assert_int_equal(wg_dump_parse(nul, sizeof(nul) - 1, &st), -EPROTO);

	/* the answer to a set holds errno alone */
	struct wg_dump d;
	wg_dump_init(&d, NULL);
	assert_int_equal(wg_dump_feed(&d, "errno=0\n\n", 9), 1);
	wg_dump_init(&d, NULL);
	assert_int_equal(wg_dump_feed(&d, "listen_port=1\nerrno=0\n\n", 23), -EPROTO);
	/* the size cap */
	wg_dump_init(&d, NULL);
	d.total = WG_DUMP_MAX - 4;
	assert_int_equal(wg_dump_feed(&d, "errno=0\n\n", 9), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_canned),
		cmocka_unit_test(test_parse_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
