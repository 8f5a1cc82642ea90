/* NTP settings: the defaults are the Debian pool; servers are host names
 * or IPv4 addresses (malformed dotted numbers refused), at most 8, no
 * duplicates (case-insensitive), and errors name the list element. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "model/ntp.h"
#include "common/banned.h"

static void test_defaults(void **state)
{
	struct ntp_settings n;
	ntp_defaults(&n);
	assert_int_equal(n.n_servers, 4);
	assert_string_equal(n.servers[0], "0.debian.pool.ntp.org");
	assert_string_equal(n.servers[3], "3.debian.pool.ntp.org");
}

static void test_add(void **state)
{
	struct ntp_settings n = { 0 };
	struct field_error e;
	assert_int_equal(ntp_add_server(&n, "192.0.2.1", &e), 0);
	assert_int_equal(ntp_add_server(&n, "time.example.org", &e), 0);
	assert_int_equal(ntp_add_server(&n, "TIME.example.org", &e), -EINVAL);
	assert_string_equal(e.field, "servers[2]");
	assert_non_null(strstr(e.message, "twice"));
	static const char *const bad[] = { "", "bad_host", "256.1.1.1", "010.0.0.1", "1.2.3", "-a.example",
					   "a..b", "host name" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ntp_add_server(&n, bad[i], &e), -EINVAL);
		assert_string_equal(e.field, "servers[2]");
	}
	assert_int_equal(n.n_servers, 2);
}

static void test_limit(void **state)
{
	struct ntp_settings n = { 0 };
	struct field_error e;
	char name[32];
	for (int i = 0; i < NTP_MAX_SERVERS; i++) {
		snprintf(name, sizeof(name), "s%d.example", i);
		assert_int_equal(ntp_add_server(&n, name, &e), 0);
	}
	assert_int_equal(ntp_add_server(&n, "one-more.example", &e), -EINVAL);
	assert_string_equal(e.field, "servers");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
