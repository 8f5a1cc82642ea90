/* DHCP settings, reservations, MACs and lease files: every validation rule
 * at its boundaries (network/broadcast addresses, ordering, the host's
 * address, a /30, lease bounds, the gateway), errors naming their field,
 * and the lease file parser on good lines, CRLF, garbage, odd hostnames
 * and duplicate MACs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "model/dhcp.h"
#include "common/banned.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static const struct ipv4_net lan24 = { IP(192, 168, 77, 0), 24 };
static const uint32_t host24 = IP(192, 168, 77, 1);

static struct dhcp_settings good_settings(void)
{
	struct dhcp_settings s = {
		.enabled = true,
		.range_start = IP(192, 168, 77, 100),
		.range_end = IP(192, 168, 77, 199),
		.lease_s = DHCP_LEASE_DEFAULT_S,
		.gateway = IP(192, 168, 77, 1),
	};
	snprintf(s.interface, sizeof(s.interface), "lan0");
	return s;
}

/* Asserts that `s` is refused on `field`. */
static void refused(const struct dhcp_settings *s, const struct ipv4_net *lan, uint32_t host, const char *field)
{
	struct field_error e = { 0 };
	assert_int_equal(dhcp_settings_validate(s, lan, host, &e), -EINVAL);
	assert_string_equal(e.field, field);
	assert_non_null(strstr(e.message, field));
}

static void accepted(const struct dhcp_settings *s, const struct ipv4_net *lan, uint32_t host)
{
	struct field_error e = { 0 };
	int r = dhcp_settings_validate(s, lan, host, &e);
	if (r != 0)
		fail_msg("refused: %s: %s", e.field, e.message);
}

static void test_settings_good(void **state)
{
	struct dhcp_settings s = good_settings();
	/* The gateway is usually the host itself: it routes. */
	accepted(&s, &lan24, host24);
	s.gateway = 0;
	accepted(&s, &lan24, host24);
	s.gateway = IP(192, 168, 77, 254);
	accepted(&s, &lan24, host24);
	/* Host bits set in the subnet value change nothing. */
	struct ipv4_net loose = { IP(192, 168, 77, 1), 24 };
	accepted(&s, &loose, host24);
}

static void test_settings_interface(void **state)
{
	struct dhcp_settings s = good_settings();
	static const char *const good[] = { "eth0", "enp3s0f1", "br-lan", "wlan0.100", "a_b", "x",
					    "abcdefghijklmno" /* 15 */ };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(s.interface, sizeof(s.interface), "%s", good[i]);
		accepted(&s, &lan24, host24);
	}
	static const char *const bad[] = { "lo", ".", "..", "eth 0", "eth0:1", "eth/0", "eth0\n", "\xc3\xa9th0",
					   "eth0;" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(s.interface, sizeof(s.interface), "%s", bad[i]);
		refused(&s, &lan24, host24, "interface");
	}
	/* 16 characters fill the array without a NUL. */
	memset(s.interface, 'a', sizeof(s.interface));
	refused(&s, &lan24, host24, "interface");
	/* Enabled needs an interface; and a LAN subnet. */
	s = good_settings();
	s.interface[0] = '\0';
	refused(&s, &lan24, host24, "interface");
	s = good_settings();
	refused(&s, NULL, host24, "interface");
}

static void test_settings_disabled(void **state)
{
	/* Off: the range is not looked at and no LAN is needed. */
	struct dhcp_settings s = { .lease_s = DHCP_LEASE_DEFAULT_S };
	accepted(&s, NULL, 0);
	s.range_start = IP(10, 0, 0, 9);
	s.range_end = IP(10, 0, 0, 1);
	accepted(&s, NULL, 0);
	/* The lease time still is. */
	s.lease_s = 0;
	refused(&s, NULL, 0, "lease_time");
}

static void test_settings_lease(void **state)
{
	struct dhcp_settings s = good_settings();
	s.lease_s = DHCP_LEASE_MIN_S;
	accepted(&s, &lan24, host24);
	s.lease_s = DHCP_LEASE_MAX_S;
	accepted(&s, &lan24, host24);
	s.lease_s = DHCP_LEASE_MIN_S - 1;
	refused(&s, &lan24, host24, "lease_time");
	s.lease_s = DHCP_LEASE_MAX_S + 1;
	refused(&s, &lan24, host24, "lease_time");
	s.lease_s = 0;
	refused(&s, &lan24, host24, "lease_time");
	s.lease_s = UINT32_MAX;
	refused(&s, &lan24, host24, "lease_time");
}

static void test_settings_range(void **state)
{
	struct dhcp_settings s = good_settings();
	/* The first and last host addresses are fine... */
	s.range_start = IP(192, 168, 77, 2);
	s.range_end = IP(192, 168, 77, 254);
	s.gateway = 0;
	accepted(&s, &lan24, host24);
	/* ...the network and broadcast addresses are not. */
	s.range_end = IP(192, 168, 77, 255);
	refused(&s, &lan24, host24, "range_end");
	s.range_end = IP(192, 168, 77, 254);
	s.range_start = IP(192, 168, 77, 0);
	refused(&s, &lan24, IP(192, 168, 77, 254), "range_start");
	/* Outside the subnet. */
	s = good_settings();
	s.range_start = IP(192, 168, 76, 100);
	refused(&s, &lan24, host24, "range_start");
	s = good_settings();
	s.range_end = IP(192, 168, 78, 10);
	refused(&s, &lan24, host24, "range_end");
	s.range_end = 0;
	refused(&s, &lan24, host24, "range_end");
	/* Order: a single address is a range, one backwards is not. */
	s = good_settings();
	s.range_end = s.range_start;
	accepted(&s, &lan24, host24);
	s.range_end = s.range_start - 1;
	refused(&s, &lan24, host24, "range_end");
}

static void test_settings_host_in_range(void **state)
{
	struct dhcp_settings s = good_settings();
	s.gateway = 0;
	refused(&s, &lan24, IP(192, 168, 77, 100), "range_start");
	refused(&s, &lan24, IP(192, 168, 77, 150), "range_start");
	refused(&s, &lan24, IP(192, 168, 77, 199), "range_start");
	accepted(&s, &lan24, IP(192, 168, 77, 99));
	accepted(&s, &lan24, IP(192, 168, 77, 200));
}

static void test_settings_slash30(void **state)
{
	/* 10.9.9.0/30: .1 the host, .2 the only address left to lend. */
	const struct ipv4_net lan = { IP(10, 9, 9, 0), 30 };
	struct dhcp_settings s = good_settings();
	s.range_start = s.range_end = IP(10, 9, 9, 2);
	s.gateway = IP(10, 9, 9, 1);
	accepted(&s, &lan, IP(10, 9, 9, 1));
	s.range_end = IP(10, 9, 9, 3);
	refused(&s, &lan, IP(10, 9, 9, 1), "range_end");
	s.range_start = IP(10, 9, 9, 1);
	s.range_end = IP(10, 9, 9, 2);
	s.gateway = 0;
	refused(&s, &lan, IP(10, 9, 9, 1), "range_start");
	/* /31 and /32 have no room. */
	const struct ipv4_net lan31 = { IP(10, 9, 9, 0), 31 };
	s.range_start = s.range_end = IP(10, 9, 9, 1);
	refused(&s, &lan31, IP(10, 9, 9, 0), "interface");
	const struct ipv4_net lan32 = { IP(10, 9, 9, 1), 32 };
	refused(&s, &lan32, IP(10, 9, 9, 2), "interface");
}

static void test_settings_gateway(void **state)
{
	struct dhcp_settings s = good_settings();
	s.gateway = IP(192, 168, 77, 100);
	refused(&s, &lan24, host24, "gateway");
	s.gateway = IP(192, 168, 77, 150);
	refused(&s, &lan24, host24, "gateway");
	s.gateway = IP(192, 168, 77, 199);
	refused(&s, &lan24, host24, "gateway");
	s.gateway = IP(192, 168, 77, 99);
	accepted(&s, &lan24, host24);
	s.gateway = IP(192, 168, 77, 200);
	accepted(&s, &lan24, host24);
	s.gateway = IP(192, 168, 77, 0);
	refused(&s, &lan24, host24, "gateway");
	s.gateway = IP(192, 168, 77, 255);
	refused(&s, &lan24, host24, "gateway");
	s.gateway = IP(192, 168, 1, 1);
	refused(&s, &lan24, host24, "gateway");
}

static void test_mac_parse(void **state)
{
	uint8_t mac[6];
	const uint8_t want[6] = { 0xaa, 0xbb, 0xcc, 0x0d, 0xee, 0xf0 };
	static const char *const good[] = { "aa:bb:cc:0d:ee:f0", "AA:BB:CC:0D:EE:F0", "aa-bb-cc-0d-ee-f0",
					    "Aa-bB-cC-0d-Ee-F0" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(mac, 0, sizeof(mac));
		assert_int_equal(dhcp_mac_parse(good[i], mac), 0);
		assert_memory_equal(mac, want, 6);
	}
	/* Locally administered (bit 1) is a normal unicast address. */
	assert_int_equal(dhcp_mac_parse("02:00:00:00:00:01", mac), 0);

	static const char *const bad[] = {
		"",
		"aa:bb:cc:dd:ee",             /* 5 groups */
		"aa:bb:cc:dd:ee:ff:00",       /* 7 groups */
		"aa:bb:cc:dd:ee:f",           /* short group */
		"a:bb:cc:dd:ee:ff0",          /* misplaced separator */
		"aabb.ccdd.eeff",             /* Cisco style */
		"aabbccddeeff",               /* no separators */
		"aa:bb-cc:dd:ee:ff",          /* mixed separators */
		"aa:bb:cc:dd:ee:fg",          /* not hex */
		" aa:bb:cc:dd:ee:ff",         /* spaces */
		"aa:bb:cc:dd:ee:ff ",
		"aa:bb:cc:dd:ee:ff\n",
		"+a:bb:cc:dd:ee:ff",
		"01:00:5e:00:00:01",          /* multicast */
		"ff:ff:ff:ff:ff:ff",          /* broadcast (multicast) */
		"03:00:00:00:00:01",          /* multicast, locally administered */
		"00:00:00:00:00:00",          /* all zero */
		"00-00-00-00-00-00",
	};
	const uint8_t keep[6] = { 1, 2, 3, 4, 5, 6 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(mac, keep, 6);
		if (dhcp_mac_parse(bad[i], mac) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
		assert_memory_equal(mac, keep, 6); /* untouched on failure */
	}
	assert_int_equal(dhcp_mac_parse(NULL, mac), -EINVAL);
}

static void test_mac_format(void **state)
{
	const uint8_t mac[6] = { 0xAA, 0x0b, 0xcc, 0x00, 0xee, 0xff };
	char s[DHCP_MAC_STR_MAX];
	dhcp_mac_format(mac, s);
	assert_string_equal(s, "aa:0b:cc:00:ee:ff");
	uint8_t back[6];
	assert_int_equal(dhcp_mac_parse(s, back), 0);
	assert_memory_equal(back, mac, 6);
}

static void test_hostname(void **state)
{
	static const char *const good[] = { "printer", "a", "nas-2", "0day", "x1",
					    "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!dhcp_hostname_valid(good[i]))
			fail_msg("refused '%s'", good[i]);
	static const char *const bad[] = { "",          "Printer",   "-printer",     "printer-",    "print_er",
					   "printer.lan", "print er", "printer\n",
					   "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (dhcp_hostname_valid(bad[i]))
			fail_msg("accepted '%s'", bad[i]);
}

static struct dhcp_reservation reservation(const char *mac, uint32_t ip, const char *hostname)
{
	struct dhcp_reservation r = { .ip = ip };
	assert_int_equal(dhcp_mac_parse(mac, r.mac), 0);
	snprintf(r.hostname, sizeof(r.hostname), "%s", hostname);
	return r;
}

static void reservation_refused(const struct dhcp_reservation *r, const struct dhcp_settings *s,
				const char *field)
{
	struct field_error e = { 0 };
	assert_int_equal(dhcp_reservation_validate(r, s, &lan24, host24, &e), -EINVAL);
	assert_string_equal(e.field, field);
}

static void test_reservation(void **state)
{
	struct dhcp_settings s = good_settings();
	s.gateway = IP(192, 168, 77, 254);
	struct field_error e;
	/* Outside the range, inside it, at its edges, with or without a name. */
	const uint32_t ok[] = { IP(192, 168, 77, 2), IP(192, 168, 77, 50), IP(192, 168, 77, 100),
				IP(192, 168, 77, 150), IP(192, 168, 77, 199), IP(192, 168, 77, 253) };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct dhcp_reservation r = reservation("aa:bb:cc:dd:ee:ff", ok[i], i % 2 ? "printer" : "");
		assert_int_equal(dhcp_reservation_validate(&r, &s, &lan24, host24, &e), 0);
	}

	struct dhcp_reservation r = reservation("aa:bb:cc:dd:ee:ff", IP(192, 168, 77, 0), "printer");
	reservation_refused(&r, &s, "ip");
	r.ip = IP(192, 168, 77, 255);
	reservation_refused(&r, &s, "ip");
	r.ip = IP(192, 168, 78, 5);
	reservation_refused(&r, &s, "ip");
	r.ip = host24;
	reservation_refused(&r, &s, "ip");
	r.ip = s.gateway;
	reservation_refused(&r, &s, "ip");
	/* No gateway: .254 is free to reserve. */
	s.gateway = 0;
	assert_int_equal(dhcp_reservation_validate(&r, &s, &lan24, host24, &e), 0);
	/* No LAN known: nothing can be checked, so nothing passes. */
	e = (struct field_error){ 0 };
	assert_int_equal(dhcp_reservation_validate(&r, &s, NULL, host24, &e), -EINVAL);
	assert_string_equal(e.field, "ip");

	r.ip = IP(192, 168, 77, 50);
	static const char *const bad_names[] = { "Printer", "-p", "p-", "a.b", "p_1", " p" };
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		snprintf(r.hostname, sizeof(r.hostname), "%s", bad_names[i]);
		reservation_refused(&r, &s, "hostname");
	}
	memset(r.hostname, 'a', sizeof(r.hostname)); /* no NUL */
	reservation_refused(&r, &s, "hostname");

	r.hostname[0] = '\0';
	memset(r.mac, 0, 6);
	reservation_refused(&r, &s, "mac");
	r.mac[0] = 0x01;
	reservation_refused(&r, &s, "mac");
}

static void assert_mac(const uint8_t mac[6], const char *want)
{
	char s[DHCP_MAC_STR_MAX];
	dhcp_mac_format(mac, s);
	assert_string_equal(s, want);
}

static void test_leases_good(void **state)
{
	const char *text = "1732870000 aa:bb:cc:dd:ee:01 192.168.77.101 laptop 01:aa:bb:cc:dd:ee:01\n"
			   "1732870001 aa:bb:cc:dd:ee:02 192.168.77.102 * 01:aa:bb:cc:dd:ee:02\n"
			   "0 aa:bb:cc:dd:ee:03 192.168.77.50 Printer *\n";
	struct dhcp_lease l[4];
	assert_int_equal(dhcp_leases_parse(text, l, 4), 3);
	assert_int_equal(l[0].expiry, 1732870000);
	assert_mac(l[0].mac, "aa:bb:cc:dd:ee:01");
	assert_int_equal(l[0].ip, IP(192, 168, 77, 101));
	assert_string_equal(l[0].hostname, "laptop");
	assert_string_equal(l[1].hostname, "");
	assert_int_equal(l[2].expiry, 0);
	assert_string_equal(l[2].hostname, "printer"); /* lower-cased */
	assert_int_equal(dhcp_leases_parse("", l, 4), 0);
	assert_int_equal(dhcp_leases_parse(text, l, 0), 0);
	assert_int_equal(dhcp_leases_parse(NULL, l, 4), -EINVAL);
	assert_int_equal(dhcp_leases_parse(text, l, -1), -EINVAL);
}

static void test_leases_crlf_and_missing_fields(void **state)
{
	const char *text = "100 aa:bb:cc:dd:ee:01 192.168.77.101 one 01:aa\r\n"
			   "200 aa:bb:cc:dd:ee:02 192.168.77.102 two\r\n"
			   "300 aa:bb:cc:dd:ee:03 192.168.77.103\r\n"
			   "400 aa:bb:cc:dd:ee:04\r\n"
			   "500\r\n"
			   "\r\n"
			   "600 aa:bb:cc:dd:ee:06 192.168.77.106 six *"; /* no final newline */
	struct dhcp_lease l[8];
	assert_int_equal(dhcp_leases_parse(text, l, 8), 4);
	assert_string_equal(l[0].hostname, "one");
	assert_string_equal(l[1].hostname, "two");
	assert_string_equal(l[2].hostname, "");
	assert_int_equal(l[2].ip, IP(192, 168, 77, 103));
	assert_int_equal(l[3].expiry, 600);
	assert_string_equal(l[3].hostname, "six");
}

static void test_leases_garbage(void **state)
{
	char longline[3000];
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	char text[8192];
	int n = snprintf(text, sizeof(text),
			 "garbage\n"
			 "duid 00:01:00:01:2c:aa:bb:cc:aa:bb:cc:dd:ee:ff\n"
			 "1700000000 1234 fd00::5 v6host 00:01:00:01\n"          /* DHCPv6 */
			 "-5 aa:bb:cc:dd:ee:01 192.168.77.101 neg *\n"           /* negative expiry */
			 "99999999999999999999 aa:bb:cc:dd:ee:01 192.168.77.101 big *\n"
			 "100 aa:bb:cc:dd:ee 192.168.77.101 short *\n"
			 "100 01:00:5e:00:00:01 192.168.77.101 mcast *\n"
			 "100 00:00:00:00:00:00 192.168.77.101 zero *\n"
			 "100 aa-bb-cc-dd-ee-01 192.168.77.101 dashes *\n"
			 "100 06-aa:bb:cc:dd:ee:01 192.168.77.101 hwtype *\n"
			 "100 aa:bb:cc:dd:ee:01 192.168.77.300 badip *\n"
			 "100 aa:bb:cc:dd:ee:01 0.0.0.0 noip *\n"
			 "100 aa:bb:cc:dd:ee:01 192.168.77.101 extra * field\n"
			 "100 aa:bb:cc:dd:ee:01 192.168.77.101 %s *\n"
			 "%s\n"
			 "\x01\x02\xff\n"
			 "7 aa:bb:cc:dd:ee:07 192.168.77.107 ok *\n",
			 longline, longline);
	assert_true(n > 0 && (size_t)n < sizeof(text));
	struct dhcp_lease l[4];
	/* The over-long line is skipped: its hostname field alone is 3000 bytes. */
	assert_int_equal(dhcp_leases_parse(text, l, 4), 1);
	assert_int_equal(l[0].expiry, 7);
	assert_string_equal(l[0].hostname, "ok");
}

static void test_leases_hostnames(void **state)
{
	const char *text = "1 aa:bb:cc:dd:ee:01 10.0.0.1 with.dot *\n"
			   "2 aa:bb:cc:dd:ee:02 10.0.0.2 under_score *\n"
			   "3 aa:bb:cc:dd:ee:03 10.0.0.3 -dash *\n"
			   "4 aa:bb:cc:dd:ee:04 10.0.0.4 "
			   "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234 *\n"
			   "5 aa:bb:cc:dd:ee:05 10.0.0.5 caf\xc3\xa9 *\n"
			   "6 aa:bb:cc:dd:ee:06 10.0.0.6 MiXeD-9 *\n";
	struct dhcp_lease l[8];
	assert_int_equal(dhcp_leases_parse(text, l, 8), 6);
	for (int i = 0; i < 5; i++)
		assert_string_equal(l[i].hostname, "");
	assert_string_equal(l[5].hostname, "mixed-9");
}

static void test_leases_duplicates(void **state)
{
	const char *text = "1 aa:bb:cc:dd:ee:01 10.0.0.1 first *\n"
			   "2 aa:bb:cc:dd:ee:02 10.0.0.2 other *\n"
			   "3 AA:BB:CC:DD:EE:01 10.0.0.3 second *\n";
	struct dhcp_lease l[8];
	assert_int_equal(dhcp_leases_parse(text, l, 8), 2);
	assert_mac(l[0].mac, "aa:bb:cc:dd:ee:01");
	assert_int_equal(l[0].expiry, 3);
	assert_int_equal(l[0].ip, IP(10, 0, 0, 3));
	assert_string_equal(l[0].hostname, "second");
	assert_string_equal(l[1].hostname, "other");

	/* A full array still takes a later line for a MAC it holds, and
	 * drops new MACs. */
	const char *full = "1 aa:bb:cc:dd:ee:01 10.0.0.1 a *\n"
			   "2 aa:bb:cc:dd:ee:02 10.0.0.2 b *\n"
			   "3 aa:bb:cc:dd:ee:03 10.0.0.3 c *\n"
			   "4 aa:bb:cc:dd:ee:01 10.0.0.4 d *\n";
	assert_int_equal(dhcp_leases_parse(full, l, 2), 2);
	assert_string_equal(l[0].hostname, "d");
	assert_string_equal(l[1].hostname, "b");
}

static void test_leases_many(void **state)
{
	/* A whole /16 of leases, every MAC twice: linear, not quadratic. */
	enum { N = 65000 };
	size_t cap = (size_t)N * 2 * 64;
	char *text = malloc(cap);
	assert_non_null(text);
	size_t len = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < N; i++) {
			int n = snprintf(text + len, cap - len, "%d 02:00:00:00:%02x:%02x 10.1.%d.%d h%d *\n",
					 pass + 1, i >> 8, i & 255, i >> 8, i & 255, i);
			assert_true(n > 0 && (size_t)n < cap - len);
			len += (size_t)n;
		}
	struct dhcp_lease *l = calloc(N, sizeof(*l));
	assert_non_null(l);
	assert_int_equal(dhcp_leases_parse(text, l, N), N);
	assert_int_equal(l[0].expiry, 2);
	assert_int_equal(l[N - 1].expiry, 2);
	free(l);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings_good),
		cmocka_unit_test(test_settings_interface),
		cmocka_unit_test(test_settings_disabled),
		cmocka_unit_test(test_settings_lease),
		cmocka_unit_test(test_settings_range),
		cmocka_unit_test(test_settings_host_in_range),
		cmocka_unit_test(test_settings_slash30),
		cmocka_unit_test(test_settings_gateway),
		cmocka_unit_test(test_mac_parse),
		cmocka_unit_test(test_mac_format),
		cmocka_unit_test(test_hostname),
		cmocka_unit_test(test_reservation),
		cmocka_unit_test(test_leases_good),
		cmocka_unit_test(test_leases_crlf_and_missing_fields),
		cmocka_unit_test(test_leases_garbage),
		cmocka_unit_test(test_leases_hostnames),
		cmocka_unit_test(test_leases_duplicates),
		cmocka_unit_test(test_leases_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
