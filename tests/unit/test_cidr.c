/* The strict IPv4 and CIDR parsers (leading zeros, out-of-range octets and
 * prefixes, missing parts, trailing text, IPv6 and spaces are all refused
 * and leave the output untouched), formatting round trips, and the network
 * arithmetic: masks, host bits, containment, overlap and the RFC 1918
 * boundaries. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model/cidr.h"
#include "common/banned.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static struct ipv4_net net(const char *s)
{
	struct ipv4_net n;
	if (cidr_parse(s, &n) != 0)
		fail_msg("cidr_parse('%s') failed", s);
	return n;
}

static void test_ipv4_parse_valid(void **state)
{
	uint32_t a = 0;
	assert_int_equal(ipv4_parse("0.0.0.0", &a), 0);
	assert_int_equal(a, 0);
	assert_int_equal(ipv4_parse("255.255.255.255", &a), 0);
	assert_int_equal(a, 0xffffffffu);
	assert_int_equal(ipv4_parse("172.20.3.4", &a), 0);
	assert_int_equal(a, IP(172, 20, 3, 4));
	assert_int_equal(ipv4_parse("10.0.100.9", &a), 0);
	assert_int_equal(a, IP(10, 0, 100, 9));
}

static void test_ipv4_parse_invalid(void **state)
{
	static const char *const bad[] = {
		"", "1", "1.2.3", "1.2.3.4.5", "256.0.0.0", "1.2.3.256", "010.0.0.0", "1.02.3.4",
		"00.0.0.0", "1111.0.0.0", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4/32", "1..2.3", ".1.2.3",
		"1.2.3.", "-1.2.3.4", "+1.2.3.4", "a.b.c.d", "0x1.2.3.4", "::1", "1.2.3.4\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t a = 0xdeadbeef;
		if (ipv4_parse(bad[i], &a) != -EINVAL)
			fail_msg("ipv4_parse accepted '%s'", bad[i]);
		assert_int_equal(a, 0xdeadbeef);
	}
}

static void test_cidr_parse_valid(void **state)
{
	struct ipv4_net n;
	assert_int_equal(cidr_parse("172.20.0.0/16", &n), 0);
	assert_int_equal(n.addr, IP(172, 20, 0, 0));
	assert_int_equal(n.prefix, 16);
	assert_int_equal(cidr_parse("0.0.0.0/0", &n), 0);
	assert_int_equal(n.addr, 0);
	assert_int_equal(n.prefix, 0);
	assert_int_equal(cidr_parse("10.1.2.3/32", &n), 0);
	assert_int_equal(n.addr, IP(10, 1, 2, 3));
	assert_int_equal(n.prefix, 32);
	/* Host bits are the caller's business. */
	assert_int_equal(cidr_parse("10.0.0.1/8", &n), 0);
	assert_int_equal(n.addr, IP(10, 0, 0, 1));
	assert_int_equal(n.prefix, 8);
}

static void test_cidr_parse_invalid(void **state)
{
	static const char *const bad[] = {
		"010.0.0.0/8", "10.0.0.0/08", "256.0.0.0/8", "10.0.0.0", "10.0.0.0/", "10.0.0.0/33",
		"10.0.0.0/100", "/", "/8", "10.0.0.0/8x", "10.0.0.0/8 ", "10.0.0.0/8/8", "fd00::/8",
		" 10.0.0.0/8", "10.0.0.0 /8", "10.0.0.0/ 8", "10.0.0/8", "10.0.0.0/-1", "10.0.0.0/+8",
		"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ipv4_net n = { 0x01020304, 7 };
		if (cidr_parse(bad[i], &n) != -EINVAL)
			fail_msg("cidr_parse accepted '%s'", bad[i]);
		assert_int_equal(n.addr, 0x01020304);
		assert_int_equal(n.prefix, 7);
	}
}

static void test_format_round_trip(void **state)
{
	static const char *const nets[] = {
		"0.0.0.0/0", "10.0.0.0/8", "172.20.0.0/16", "192.168.100.0/24", "255.255.255.255/32",
		"10.0.0.1/30",
	};
	for (size_t i = 0; i < sizeof(nets) / sizeof(nets[0]); i++) {
		char out[CIDR_STR_MAX];
		struct ipv4_net n = net(nets[i]);
		cidr_format(&n, out);
		assert_string_equal(out, nets[i]);
	}
	char ip[IPV4_STR_MAX];
	ipv4_format(IP(255, 255, 255, 255), ip);
	assert_string_equal(ip, "255.255.255.255");
	ipv4_format(IP(1, 0, 20, 3), ip);
	assert_string_equal(ip, "1.0.20.3");
}

static void test_mask_and_size(void **state)
{
	assert_int_equal(cidr_mask(0), 0);
	assert_int_equal(cidr_mask(1), 0x80000000u);
	assert_int_equal(cidr_mask(16), 0xffff0000u);
	assert_int_equal(cidr_mask(27), 0xffffffe0u);
	assert_int_equal(cidr_mask(32), 0xffffffffu);
	struct ipv4_net n = net("10.0.0.0/8");
	assert_int_equal(cidr_size(&n), 1u << 24);
	n = net("0.0.0.0/0");
	assert_true(cidr_size(&n) == (uint64_t)1 << 32);
	n = net("10.0.0.0/32");
	assert_int_equal(cidr_size(&n), 1);
}

static void test_host_bits_zero(void **state)
{
	struct ipv4_net n;
	n = net("10.0.0.0/8");
	assert_true(cidr_host_bits_zero(&n));
	n = net("10.0.0.1/8");
	assert_false(cidr_host_bits_zero(&n));
	n = net("172.20.0.0/15");
	assert_true(cidr_host_bits_zero(&n));
	n = net("172.21.0.0/15");
	assert_false(cidr_host_bits_zero(&n));
	n = net("10.0.0.1/32");
	assert_true(cidr_host_bits_zero(&n));
	n = net("0.0.0.0/0");
	assert_true(cidr_host_bits_zero(&n));
	n = net("1.0.0.0/0");
	assert_false(cidr_host_bits_zero(&n));
}

static void test_contains_and_overlaps(void **state)
{
	struct ipv4_net big = net("10.0.0.0/8"), small = net("10.1.0.0/16");
	assert_true(cidr_contains(&big, &small));
	assert_false(cidr_contains(&small, &big));
	assert_true(cidr_overlaps(&big, &small));
	assert_true(cidr_overlaps(&small, &big));
	assert_true(cidr_overlaps(&big, &big));

	/* Adjacent networks share no address. */
	struct ipv4_net a = net("10.0.0.0/24"), b = net("10.0.1.0/24");
	assert_false(cidr_overlaps(&a, &b));
	assert_false(cidr_overlaps(&b, &a));
	struct ipv4_net lo = net("172.20.0.0/16"), hi = net("172.21.0.0/16");
	assert_false(cidr_overlaps(&lo, &hi));

	/* The last address of one network against the next network. */
	struct ipv4_net last = net("10.0.0.255/32");
	assert_true(cidr_overlaps(&a, &last));
	assert_false(cidr_overlaps(&b, &last));

	/* 0.0.0.0/0 holds everything. */
	struct ipv4_net all = net("0.0.0.0/0");
	assert_true(cidr_contains(&all, &small));
	assert_true(cidr_overlaps(&small, &all));
}

static void test_rfc1918(void **state)
{
	static const struct {
		const char *net;
		bool private;
	} cases[] = {
		{ "10.0.0.0/8", true },       { "10.255.255.0/24", true },  { "10.0.0.0/7", false },
		{ "9.255.255.0/24", false },  { "11.0.0.0/8", false },      { "172.15.255.0/24", false },
		{ "172.16.0.0/12", true },    { "172.16.0.0/11", false },   { "172.31.255.0/24", true },
		{ "172.32.0.0/16", false },   { "192.168.0.0/16", true },   { "192.168.0.0/15", false },
		{ "192.167.255.0/24", false }, { "192.169.0.0/16", false }, { "192.168.255.255/32", true },
		{ "8.8.8.0/24", false },      { "0.0.0.0/0", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ipv4_net n = net(cases[i].net);
		if (cidr_is_rfc1918(&n) != cases[i].private)
			fail_msg("cidr_is_rfc1918(%s) should be %d", cases[i].net, cases[i].private);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_parse_valid),
		cmocka_unit_test(test_ipv4_parse_invalid),
		cmocka_unit_test(test_cidr_parse_valid),
		cmocka_unit_test(test_cidr_parse_invalid),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_mask_and_size),
		cmocka_unit_test(test_host_bits_zero),
		cmocka_unit_test(test_contains_and_overlaps),
		cmocka_unit_test(test_rfc1918),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
