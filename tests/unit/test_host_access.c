/* The host's own HTTPS addresses: from the host name and addresses, what
 * the cell's root covers goes to the leaf, the rest is listed with why;
 * loopback, link-local, multicast and the cell's own networks are left
 * out, repeats once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/host_access.h"
#include "pki_fixture.h"
#include "common/banned.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static const struct ipv4_net cell[2] = { { IP(172, 20, 0, 0), 16 }, { IP(10, 0, 0, 0), 24 } };

static void test_addresses(void **state)
{
	struct pki_fixture *f = *state;
	const uint32_t addrs[] = {
		IP(192, 168, 77, 1), IP(127, 0, 0, 1),  IP(172, 20, 0, 1),   IP(10, 0, 0, 1),
		IP(169, 254, 3, 4),  IP(10, 99, 0, 1),  IP(192, 168, 77, 1), IP(203, 0, 113, 5),
		IP(224, 0, 0, 251),  IP(0, 0, 0, 0),
	};
	struct host_access h;
	host_access_build(NULL, addrs, sizeof(addrs) / sizeof(addrs[0]), cell, 2, f->ca, &h);
	assert_int_equal(h.n_ips, 2);
	assert_int_equal(h.ips[0], IP(192, 168, 77, 1));
	assert_int_equal(h.ips[1], IP(10, 99, 0, 1));
	assert_int_equal(h.n_names, 0);
	assert_int_equal(h.n_uncovered, 1);
	assert_string_equal(h.uncovered[0].host, "203.0.113.5");
	assert_non_null(strstr(h.uncovered[0].reason, "not a private (RFC 1918) address"));
}

static void test_names(void **state)
{
	struct pki_fixture *f = *state;
	struct host_access h;
	/* The fixture's root was made without a host name: the first label
	 * alone is not covered, the private-use domains are. */
	host_access_build("PicBox.Home.Arpa", NULL, 0, cell, 2, f->ca, &h);
	assert_int_equal(h.n_names, 2);
	assert_string_equal(h.names[0], "picbox.home.arpa");
	assert_string_equal(h.names[1], "picbox.local");
	assert_int_equal(h.n_uncovered, 1);
	assert_string_equal(h.uncovered[0].host, "picbox");
	assert_non_null(strstr(h.uncovered[0].reason, "pic ca replace"));

	host_access_build("picbox.local", NULL, 0, cell, 2, f->ca, &h);
	assert_int_equal(h.n_names, 1); /* "picbox.local" once */
	assert_string_equal(h.names[0], "picbox.local");

	host_access_build("bad_name", NULL, 0, cell, 2, f->ca, &h);
	assert_int_equal(h.n_names + h.n_uncovered, 0);
	host_access_build("", NULL, 0, cell, 2, f->ca, &h);
	assert_int_equal(h.n_names + h.n_uncovered, 0);
}

static void test_no_ca(void **state)
{
	(void)state;
	const uint32_t addrs[] = { IP(192, 168, 1, 2) };
	struct host_access h;
	host_access_build("picbox", addrs, 1, cell, 2, NULL, &h);
	assert_int_equal(h.n_ips + h.n_names, 0);
	assert_int_equal(h.n_uncovered, 3); /* the address, "picbox", "picbox.local" */
	for (size_t i = 0; i < h.n_uncovered; i++)
		assert_non_null(strstr(h.uncovered[i].reason, "not available"));
}

static void test_equal(void **state)
{
	struct pki_fixture *f = *state;
	const uint32_t a[] = { IP(192, 168, 1, 2) }, b[] = { IP(192, 168, 1, 3) };
	struct host_access x, y;
	host_access_build("picbox", a, 1, cell, 2, f->ca, &x);
	host_access_build("picbox", a, 1, cell, 2, f->ca, &y);
	assert_true(host_access_equal(&x, &y));
	host_access_build("picbox", b, 1, cell, 2, f->ca, &y);
	assert_false(host_access_equal(&x, &y));
	host_access_build("other", a, 1, cell, 2, f->ca, &y);
	assert_false(host_access_equal(&x, &y));
}

static void test_limits(void **state)
{
	struct pki_fixture *f = *state;
	uint32_t addrs[40];
	for (size_t i = 0; i < 40; i++)
		addrs[i] = IP(192, 168, 1, 10 + i);
	struct host_access h;
	host_access_build(NULL, addrs, 40, cell, 2, f->ca, &h);
	assert_int_equal(h.n_ips, HOST_ACCESS_MAX_IPS);
	for (size_t i = 0; i < 40; i++)
		addrs[i] = IP(8, 8, 4, i);
	host_access_build(NULL, addrs, 40, cell, 2, f->ca, &h);
	assert_int_equal(h.n_uncovered, HOST_ACCESS_MAX_UNCOVERED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_addresses, pki_fixture_setup, pki_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_names, pki_fixture_setup, pki_fixture_teardown),
		cmocka_unit_test(test_no_ca),
		cmocka_unit_test_setup_teardown(test_equal, pki_fixture_setup, pki_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_limits, pki_fixture_setup, pki_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
