/* The configuration in the store: a fresh database loads as the defaults,
 * stored values overlay them (an endpoint stored as NULL is no endpoint),
 * a stored value that no longer validates or an unknown key fails the load
 * with the key named, the revision counter starts at 1 and bumps by one,
 * and pending changes are set, replaced, listed in request order, deleted
 * and cleared. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/store.h"
#include "store/store_config.h"
#include "store_fixture.h"
#include "common/banned.h"

static void test_load_defaults(void **state)
{
	struct store_fixture *f = *state;
	struct cell_config c, d;
	struct field_error e;
	memset(&c, 0x5a, sizeof(c));
	assert_int_equal(store_config_load(f->s, &c, &e), 0);
	config_defaults(&d);
	assert_string_equal(c.cell_name, d.cell_name);
	assert_string_equal(c.domain, d.domain);
	assert_int_equal(c.ip_range.addr, d.ip_range.addr);
	assert_int_equal(c.ip_range.prefix, d.ip_range.prefix);
	assert_int_equal(c.vpn_subnet.addr, d.vpn_subnet.addr);
	assert_int_equal(c.vpn_subnet.prefix, d.vpn_subnet.prefix);
	assert_int_equal(c.wireguard_port, 51820);
	assert_false(c.has_endpoint);
	assert_string_equal(c.endpoint, "");
}

static void test_set_load_round_trip(void **state)
{
	struct store_fixture *f = *state;
	struct cell_config c;
	struct field_error e;
	assert_int_equal(store_config_set(f->s, "cell_name", "alpha"), 0);
	assert_int_equal(store_config_set(f->s, "ip_range", "192.168.10.0/24"), 0);
	assert_int_equal(store_config_set(f->s, "wireguard_port", "1194"), 0);
	assert_int_equal(store_config_set(f->s, "endpoint", "vpn.example.com:1194"), 0);
	assert_int_equal(store_config_load(f->s, &c, &e), 0);
	assert_string_equal(c.cell_name, "alpha");
	assert_string_equal(c.domain, "cell");
	assert_int_equal(c.ip_range.addr, 0xc0a80a00u);
	assert_int_equal(c.ip_range.prefix, 24);
	assert_int_equal(c.vpn_subnet.addr, 0x0a000000u);
	assert_int_equal(c.wireguard_port, 1194);
	assert_true(c.has_endpoint);
	assert_string_equal(c.endpoint, "vpn.example.com:1194");

	/* A second set replaces; NULL clears the endpoint. */
	assert_int_equal(store_config_set(f->s, "cell_name", "beta"), 0);
	assert_int_equal(store_config_set(f->s, "endpoint", NULL), 0);
	assert_int_equal(store_config_load(f->s, &c, &e), 0);
	assert_string_equal(c.cell_name, "beta");
	assert_false(c.has_endpoint);
	assert_string_equal(c.endpoint, "");
}

/* Stores `key` = `value`, then asserts the load fails naming `key` and
 * leaves the output alone. */
static void assert_load_fails(struct store *s, const char *key, const char *value)
{
	assert_int_equal(store_config_set(s, key, value), 0);
	struct cell_config c, before;
	memset(&c, 0x5a, sizeof(c));
	memcpy(&before, &c, sizeof(c));
	struct field_error e = { "", "" };
	assert_int_equal(store_config_load(s, &c, &e), -EIO);
	assert_string_equal(e.field, key);
	assert_true(strlen(e.message) > 0);
	assert_memory_equal(&c, &before, sizeof(c));
}

static void test_load_invalid_value(void **state)
{
	struct store_fixture *f = *state;
	assert_load_fails(f->s, "ip_range", "172.20.0.1/16");
}

static void test_load_null_required(void **state)
{
	struct store_fixture *f = *state;
	assert_load_fails(f->s, "domain", NULL);
}

static void test_load_unknown_key(void **state)
{
	struct store_fixture *f = *state;
	assert_load_fails(f->s, "colour", "blue");
	struct cell_config c;
	struct field_error e;
	assert_int_equal(store_config_load(f->s, &c, &e), -EIO);
	assert_non_null(strstr(e.message, "unknown configuration key"));
}

static void test_revision(void **state)
{
	struct store_fixture *f = *state;
	uint64_t rev = 0, bumped = 0;
	assert_int_equal(store_config_revision(f->s, &rev), 0);
	assert_true(rev == 1);
	assert_int_equal(store_config_bump_revision(f->s, &bumped), 0);
	assert_true(bumped == 2);
	assert_int_equal(store_config_revision(f->s, &rev), 0);
	assert_true(rev == 2);
	assert_int_equal(store_config_bump_revision(f->s, &bumped), 0);
	assert_true(bumped == 3);
	assert_int_equal(store_config_revision(f->s, &rev), 0);
	assert_true(rev == 3);
}

static void test_pending(void **state)
{
	struct store_fixture *f = *state;
	struct pending_change p[8];
	assert_int_equal(store_pending_list(f->s, p, 8), 0);

	assert_int_equal(store_pending_set(f->s, "ip_range", "10.5.0.0/16", 200), 0);
	assert_int_equal(store_pending_set(f->s, "vpn_subnet", "10.6.0.0/24", 100), 0);
	assert_int_equal(store_pending_set(f->s, "endpoint", NULL, 100), 0);
	/* Ordered by request time, then field. */
	assert_int_equal(store_pending_list(f->s, p, 8), 3);
	assert_string_equal(p[0].field, "endpoint");
	assert_true(p[0].is_null);
	assert_string_equal(p[0].value, "");
	assert_int_equal(p[0].requested_at, 100);
	assert_string_equal(p[1].field, "vpn_subnet");
	assert_false(p[1].is_null);
	assert_string_equal(p[1].value, "10.6.0.0/24");
	assert_int_equal(p[1].requested_at, 100);
	assert_string_equal(p[2].field, "ip_range");
	assert_string_equal(p[2].value, "10.5.0.0/16");
	assert_int_equal(p[2].requested_at, 200);

	/* Setting a field again replaces its value and time. */
	assert_int_equal(store_pending_set(f->s, "ip_range", "10.7.0.0/16", 50), 0);
	assert_int_equal(store_pending_list(f->s, p, 8), 3);
	assert_string_equal(p[0].field, "ip_range");
	assert_string_equal(p[0].value, "10.7.0.0/16");
	assert_int_equal(p[0].requested_at, 50);

	/* `max` bounds the list. */
	assert_int_equal(store_pending_list(f->s, p, 2), 2);
	assert_string_equal(p[1].field, "endpoint");

	assert_int_equal(store_pending_delete(f->s, "vpn_subnet"), 0);
	assert_int_equal(store_pending_delete(f->s, "no_such_field"), 0);
	assert_int_equal(store_pending_list(f->s, p, 8), 2);
	assert_string_equal(p[0].field, "ip_range");
	assert_string_equal(p[1].field, "endpoint");

	assert_int_equal(store_pending_clear(f->s), 0);
	assert_int_equal(store_pending_list(f->s, p, 8), 0);
	assert_int_equal(store_pending_clear(f->s), 0);

	/* Pending changes are not the applied configuration. */
	struct cell_config c;
	struct field_error e;
	assert_int_equal(store_pending_set(f->s, "ip_range", "10.9.0.0/16", 10), 0);
	assert_int_equal(store_config_load(f->s, &c, &e), 0);
	assert_int_equal(c.ip_range.addr, 0xac140000u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load_defaults, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_set_load_round_trip, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_load_invalid_value, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_load_null_required, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_load_unknown_key, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_revision, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_pending, store_fixture_setup, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
