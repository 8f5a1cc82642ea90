/* Certificate name checks, without OpenSSL: host names by RFC 1123 label
 * rules, the zone and its subdomains (not a look-alike suffix, not the
 * parent), a wildcard only as a leading "*." over the zone or below,
 * lower-casing, the reason given for each refusal, and addresses inside
 * one of the allowed networks, with the network edges. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pki/pki_names.h"
#include "common/banned.h"

static void test_host(void **state)
{
	static const char *good[] = {
		"a", "mycell.cell", "x-1.y2.z", "0.1.2", "xn--bcher-kva.example",
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk.c", /* 63 */
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (pki_names_check_host(good[i], NULL) != 0)
			fail_msg("'%s' refused", good[i]);

	static const struct {
		const char *name;
		const char *why;
	} bad[] = {
		{ "", "empty" },
		{ ".", "empty label" },
		{ "a.", "empty label" },
		{ ".a", "empty label" },
		{ "a..b", "empty label" },
		{ "-a.b", "starts with a hyphen" },
		{ "a-.b", "ends with a hyphen" },
		{ "a.b-", "ends with a hyphen" },
		{ "a_b.c", "only letters" },
		{ "a b", "only letters" },
		{ "a\xc3\xa9.b", "only letters" },
		{ "*.a", "wildcard" },
		{ "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl.c", "63" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;
		assert_int_equal(pki_names_check_host(bad[i].name, &why), -EINVAL);
		assert_non_null(why);
		if (!strstr(why, bad[i].why))
			fail_msg("'%s': reason '%s' lacks '%s'", bad[i].name, why, bad[i].why);
	}

	/* 253 characters pass, 254 do not. */
	char name[300];
	memset(name, 'a', sizeof(name));
	for (size_t i = 63; i < sizeof(name); i += 64)
		name[i] = '.';
	name[253] = '\0';
	assert_int_equal(pki_names_check_host(name, NULL), 0);
	name[253] = 'a';
	name[254] = '\0';
	const char *why = NULL;
	assert_int_equal(pki_names_check_host(name, &why), -EINVAL);
	assert_non_null(strstr(why, "253"));
}

static void test_zone(void **state)
{
	assert_true(pki_names_in_zone("mycell.cell", "mycell.cell"));
	assert_true(pki_names_in_zone("mycell.cell", "a.mycell.cell"));
	assert_true(pki_names_in_zone("mycell.cell", "a.b.mycell.cell"));
	assert_false(pki_names_in_zone("mycell.cell", "notmycell.cell"));
	assert_false(pki_names_in_zone("mycell.cell", "cell"));
	assert_false(pki_names_in_zone("mycell.cell", "mycell.cell.evil"));
	assert_false(pki_names_in_zone("mycell.cell", ""));

	char out[PKI_NAME_MAX + 1];
	const char *why = NULL;
	assert_int_equal(pki_names_check_dns("mycell.cell", "Calendar.MYCELL.cell", out, &why), 0);
	assert_string_equal(out, "calendar.mycell.cell");
	assert_int_equal(pki_names_check_dns("mycell.cell", "*.MyCell.cell", out, &why), 0);
	assert_string_equal(out, "*.mycell.cell");
	assert_int_equal(pki_names_check_dns("mycell.cell", "*.dav.mycell.cell", out, &why), 0);
	assert_string_equal(out, "*.dav.mycell.cell");

	memset(out, 'q', sizeof(out));
	assert_int_equal(pki_names_check_dns("mycell.cell", "evil.example.org", out, &why), -ERANGE);
	assert_non_null(strstr(why, "outside the cell zone"));
	assert_int_equal(out[0], 'q');
	assert_int_equal(pki_names_check_dns("mycell.cell", "*.cell", out, &why), -ERANGE);
	assert_int_equal(pki_names_check_dns("mycell.cell", "xmycell.cell", out, &why), -ERANGE);
	assert_int_equal(pki_names_check_dns("mycell.cell", "*", out, &why), -EINVAL);
	assert_int_equal(pki_names_check_dns("mycell.cell", "*.", out, &why), -EINVAL);
	assert_int_equal(pki_names_check_dns("mycell.cell", "*.*.mycell.cell", out, &why), -EINVAL);
	assert_int_equal(pki_names_check_dns("mycell.cell", "a*.mycell.cell", out, &why), -EINVAL);
	assert_int_equal(pki_names_check_dns("mycell.cell", "bad_label.mycell.cell", out, &why), -EINVAL);
	assert_non_null(strstr(why, "letters, digits and hyphens"));
}

static void test_ips(void **state)
{
	const struct ipv4_net nets[] = { { 0xac140000u, 16 }, { 0x0a000000u, 24 } };
	assert_true(pki_names_ip_allowed(nets, 2, 0xac140000u));
	assert_true(pki_names_ip_allowed(nets, 2, 0xac14ffffu));
	assert_true(pki_names_ip_allowed(nets, 2, 0x0a0000feu));
	assert_false(pki_names_ip_allowed(nets, 2, 0xac13ffffu));
	assert_false(pki_names_ip_allowed(nets, 2, 0xac150000u));
	assert_false(pki_names_ip_allowed(nets, 2, 0x0a000100u));
	assert_false(pki_names_ip_allowed(nets, 2, 0x08080808u));
	assert_false(pki_names_ip_allowed(nets, 0, 0xac140001u));
	assert_true(pki_names_ip_allowed(nets + 1, 1, 0x0a000001u));
	assert_false(pki_names_ip_allowed(nets + 1, 1, 0xac140001u));
}

static void test_printable(void **state)
{
	assert_true(pki_names_printable("a.b-c_d e~"));
	assert_true(pki_names_printable(""));
	assert_false(pki_names_printable("a\x01"));
	assert_false(pki_names_printable("a\x7f"));
	assert_false(pki_names_printable("\xc3\xa9"));
	char longer[300];
	memset(longer, 'a', sizeof(longer));
	longer[254] = '\0';
	assert_false(pki_names_printable(longer));
	longer[253] = '\0';
	assert_true(pki_names_printable(longer));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_zone),
		cmocka_unit_test(test_ips),
		cmocka_unit_test(test_printable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
