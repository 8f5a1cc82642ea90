/* VPN peers: names are DNS labels, keys are 32 bytes of canonical base64,
 * services come from the grantable list (sorted, no repeats), and
 * addresses go to never-used hosts first, then to the longest-freed, never
 * to the network, broadcast or server address. When the subnet moves, a
 * peer keeps its host offset where it can and follows that rule where it
 * cannot, and too many peers for the new subnet is an error. A peer's DNS
 * view hides the names of what it was not granted, and the apex's address
 * without webui. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "model/vpn_dns.h"
#include "model/vpn_peer.h"
#include "common/banned.h"

static void test_names(void **state)
{
	struct field_error e;
	static const char *const good[] = { "a", "phone", "anna-laptop", "x1",
					    "a23456789012345678901234567890123456789012345678901234567890123" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(vpn_peer_name_validate("name", good[i], &e), 0);
	static const char *const bad[] = { "", "-a", "a-", "Anna", "a b", "a.b", "a_b", "ä",
					   "a234567890123456789012345678901234567890123456789012345678901234" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(vpn_peer_name_validate("name", bad[i], &e), -EINVAL);
		assert_string_equal(e.field, "name");
	}
}

static void test_keys(void **state)
{
	struct field_error e;
	uint8_t k[32];
	/* `wg genkey` output shapes. */
	assert_int_equal(vpn_key_validate("public_key", "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=", k, &e), 0);
	assert_int_equal(k[0], 0xc8);
	static const char *const bad[] = {
		"",
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk",   /* no padding */
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk==", /* too long */
		"yAnz5TF-lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=",  /* URL-safe alphabet */
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBml=",  /* not canonical */
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",  /* 31 bytes */
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3f mk=",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(vpn_key_validate("public_key", bad[i], NULL, &e), -EINVAL);
		assert_string_equal(e.field, "public_key");
	}
}

static void test_services(void **state)
{
	struct vpn_peer p = { 0 };
	struct field_error e;
	assert_int_equal(vpn_peer_add_service(&p, "services[0]", "webui", &e), 0);
	assert_int_equal(vpn_peer_add_service(&p, "services[1]", "calendar", &e), 0);
	assert_int_equal(vpn_peer_add_service(&p, "services[2]", "calendar", &e), -EINVAL);
	assert_string_equal(e.field, "services[2]");
	assert_int_equal(vpn_peer_add_service(&p, "services[2]", "dns", &e), -EINVAL);
	assert_non_null(strstr(e.message, "dns is always granted"));
	assert_int_equal(vpn_peer_add_service(&p, "services[2]", "ssh", &e), -EINVAL);
	assert_int_equal(p.n_services, 2);
	assert_string_equal(p.services[0], "calendar");
	assert_string_equal(p.services[1], "webui");
	assert_true(vpn_peer_has_service(&p, "webui"));
	assert_false(vpn_peer_has_service(&p, "files"));

	enum vpn_tunnel t;
	assert_int_equal(vpn_tunnel_parse("full", &t), 0);
	assert_int_equal(t, VPN_TUNNEL_FULL);
	assert_string_equal(vpn_tunnel_name(t), "full");
	assert_int_equal(vpn_tunnel_parse("Split", &t), -EINVAL);
}

static bool hidden(const struct vpn_peer *p, const char *label)
{
	const char *out[VPN_HIDDEN_MAX];
	size_t n = vpn_hidden_labels(p, out);
	for (size_t i = 0; i < n; i++)
		if (strcmp(out[i], label) == 0)
			return true;
	return false;
}

static void test_dns_view(void **state)
{
	struct vpn_peer p = { 0 };
	struct field_error e;
	assert_true(hidden(&p, "webui") && hidden(&p, "webui-svc") && hidden(&p, "calendar"));
	assert_true(hidden(&p, "host") && hidden(&p, "proxy"));
	assert_false(hidden(&p, "dns"));
	assert_false(vpn_apex_visible(&p));
	assert_int_equal(vpn_peer_add_service(&p, "services[0]", "calendar", &e), 0);
	assert_false(hidden(&p, "calendar") || hidden(&p, "dav"));
	assert_false(vpn_apex_visible(&p));
	assert_int_equal(vpn_peer_add_service(&p, "services[1]", "webui", &e), 0);
	assert_false(hidden(&p, "webui") || hidden(&p, "webui-svc"));
	assert_true(vpn_apex_visible(&p));
	assert_true(hidden(&p, "files") && hidden(&p, "host"));
	char view[VPN_VIEW_NAME_MAX];
	vpn_view_name(0x0a000102u, view);
	assert_string_equal(view, "vpn-10-0-1-2");
}

static void test_active(void **state)
{
	struct vpn_peer p = { .enabled = true };
	assert_true(vpn_peer_active(&p, 1000));
	p.expires_at = 1000;
	assert_false(vpn_peer_active(&p, 1000));
	assert_true(vpn_peer_active(&p, 999));
	p.enabled = false;
	assert_false(vpn_peer_active(&p, 1));
}

static void test_addresses(void **state)
{
	struct ipv4_net net = { 0x0a000000u, 29 }; /* 10.0.0.0/29: .2 .. .6 for peers */
	assert_int_equal(vpn_address_capacity(&net), 5);
	uint32_t a;
	assert_int_equal(vpn_address_pick(&net, NULL, 0, NULL, 0, &a), 0);
	assert_int_equal(a, 0x0a000002u);
	uint32_t used[] = { 0x0a000002u, 0x0a000004u };
	assert_int_equal(vpn_address_pick(&net, used, 2, NULL, 0, &a), 0);
	assert_int_equal(a, 0x0a000003u);
	/* .3 was freed: never-used .5 comes first. */
	struct vpn_freed freed[] = { { 0x0a000003u, 200 }, { 0x0a000006u, 100 } };
	assert_int_equal(vpn_address_pick(&net, used, 2, freed, 2, &a), 0);
	assert_int_equal(a, 0x0a000005u);
	/* All used once: the longest-freed free one. */
	uint32_t more[] = { 0x0a000002u, 0x0a000004u, 0x0a000005u };
	assert_int_equal(vpn_address_pick(&net, more, 3, freed, 2, &a), 0);
	assert_int_equal(a, 0x0a000006u);
	uint32_t full[] = { 0x0a000002u, 0x0a000003u, 0x0a000004u, 0x0a000005u, 0x0a000006u };
	assert_int_equal(vpn_address_pick(&net, full, 5, freed, 2, &a), -ENOSPC);
	/* Addresses outside the subnet (an old one) are ignored. */
	uint32_t outside[] = { 0xc0a80002u };
	assert_int_equal(vpn_address_pick(&net, outside, 1, NULL, 0, &a), 0);
	assert_int_equal(a, 0x0a000002u);
	struct ipv4_net tiny = { 0x0a000000u, 30 };
	assert_int_equal(vpn_address_capacity(&tiny), 1);
	assert_int_equal(vpn_address_pick(&tiny, NULL, 0, NULL, 0, &a), 0);
	assert_int_equal(a, 0x0a000002u);
}

/* Moving `n` peers (freed addresses as given, "now" 100) from `from` to
 * `to` gives `want`. */
static void assert_moves(const struct ipv4_net *from, const struct ipv4_net *to, const uint32_t *old, size_t n,
			 const struct vpn_freed *freed, size_t n_freed, const uint32_t *want)
{
	uint32_t got[8];
	assert_true(n <= 8);
	assert_int_equal(vpn_address_move(from, to, old, n, freed, n_freed, 100, got), 0);
	assert_memory_equal(got, want, n * sizeof(*got));
}

static const struct ipv4_net net24 = { 0x0a000000u, 24 }; /* 10.0.0.0/24 */

/* → 10.1.0.0/24: every offset is a peer address there. */
static void test_move_keeps_offsets(void **state)
{
	struct ipv4_net to = { 0x0a010000u, 24 }, wider = { 0x0a000000u, 23 };
	uint32_t old[] = { 0x0a000002u, 0x0a000007u, 0x0a0000feu };
	assert_moves(&net24, &to, old, 3, NULL, 0, (uint32_t[]){ 0x0a010002u, 0x0a010007u, 0x0a0100feu });
	/* A larger subnet at the same base: nobody changes address. */
	assert_moves(&net24, &wider, old, 3, NULL, 0, old);
}

/* → 10.2.0.0/29 (.2 .. .6 for peers): offsets 7 (the broadcast) and 254
 * are not peer addresses there; those peers get the lowest never-used
 * free ones, in order, after the ones that keep theirs. */
static void test_move_to_next_free(void **state)
{
	struct ipv4_net to = { 0x0a020000u, 29 };
	uint32_t old[] = { 0x0a0000feu, 0x0a000003u, 0x0a000007u, 0x0a0000f0u };
	assert_moves(&net24, &to, old, 3, NULL, 0, (uint32_t[]){ 0x0a020002u, 0x0a020003u, 0x0a020004u });
	/* History in the new subnet counts: .2 and .4 were used, so .5 and
	 * .6 come first, then the longest-freed; history outside is moot. */
	struct vpn_freed freed[] = { { 0x0a020004u, 50 }, { 0x0a020002u, 60 }, { 0x0a000009u, 1 } };
	assert_moves(&net24, &to, old, 4, freed, 3, (uint32_t[]){ 0x0a020005u, 0x0a020003u, 0x0a020006u, 0x0a020004u });
	/* A peer outside `from` (left behind by an older move) has no
	 * offset to keep: it gets a free address like the others. */
	assert_moves(&net24, &to, (uint32_t[]){ 0xc0a80002u }, 1, NULL, 0, (uint32_t[]){ 0x0a020002u });
}

/* Overlapping subnets, 10.0.0.0/28 → 10.0.0.8/29: .2 keeps offset 2
 * (.10); .13 and .10 are at offsets past a /29 and get the never-used
 * .11 and .12 — not .13, which its peer leaves now. */
static void test_move_overlapping(void **state)
{
	struct ipv4_net from = { 0x0a000000u, 28 }, to = { 0x0a000008u, 29 };
	uint32_t old[] = { 0x0a00000du, 0x0a000002u, 0x0a00000au };
	assert_moves(&from, &to, old, 3, NULL, 0, (uint32_t[]){ 0x0a00000bu, 0x0a00000au, 0x0a00000cu });
}

static void test_move_too_many(void **state)
{
	struct ipv4_net to = { 0x0a010000u, 30 }; /* one peer address */
	uint32_t old[] = { 0x0a000002u, 0x0a000003u };
	uint32_t moved[2] = { 7, 7 };
	assert_int_equal(vpn_address_move(&net24, &to, old, 2, NULL, 0, 100, moved), -ENOSPC);
	assert_int_equal(moved[0], 7); /* nothing written */
	assert_moves(&net24, &to, old, 1, NULL, 0, (uint32_t[]){ 0x0a010002u });
	assert_int_equal(vpn_address_move(&net24, &to, NULL, 0, NULL, 0, 100, moved), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),     cmocka_unit_test(test_keys),      cmocka_unit_test(test_services),
		cmocka_unit_test(test_dns_view),
		cmocka_unit_test(test_active),    cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_move_keeps_offsets), cmocka_unit_test(test_move_to_next_free),
		cmocka_unit_test(test_move_overlapping), cmocka_unit_test(test_move_too_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
