/* The cell configuration model: its defaults, the field table, every
 * field's parser with good and bad text (each failure names the field and
 * leaves the struct byte-for-byte unchanged), the text form round trip
 * through config_field_get/config_field_set, and the cross-field overlap
 * rule with its blame field. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "model/config.h"
#include "model/ipplan.h"
#include "common/banned.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static const struct config_field *field(const char *name)
{
	const struct config_field *f = config_field_find(name);
	if (!f)
		fail_msg("no config field '%s'", name);
	return f;
}

/* Sets `name` to `text` on `c` and asserts success. */
static void set_ok(struct cell_config *c, const char *name, const char *text)
{
	struct field_error e = { "", "" };
	int r = config_field_set(c, field(name), text, &e);
	if (r != 0)
		fail_msg("%s = '%s' refused: %s", name, text ? text : "(null)", e.message);
}

/* Asserts that setting `name` to `text` fails, names the field, leaves the
 * struct unchanged and (when `needle` is given) says `needle`. */
static void set_bad(const char *name, const char *text, const char *needle)
{
	struct cell_config c, before;
	memset(&c, 0xa5, sizeof(c));
	config_defaults(&c);
	memcpy(&before, &c, sizeof(c));
	struct field_error e = { "", "" };
	int r = config_field_set(&c, field(name), text, &e);
	if (r != -EINVAL)
		fail_msg("%s = '%s' returned %d, expected -EINVAL", name, text ? text : "(null)", r);
	assert_string_equal(e.field, name);
	assert_true(strlen(e.message) > 0);
	if (needle && !strstr(e.message, needle))
		fail_msg("%s = '%s': message '%s' lacks '%s'", name, text ? text : "(null)", e.message,
			 needle);
	assert_memory_equal(&c, &before, sizeof(c));
}

static void assert_config_equal(const struct cell_config *a, const struct cell_config *b)
{
	assert_string_equal(a->cell_name, b->cell_name);
	assert_string_equal(a->domain, b->domain);
	assert_int_equal(a->ip_range.addr, b->ip_range.addr);
	assert_int_equal(a->ip_range.prefix, b->ip_range.prefix);
	assert_int_equal(a->vpn_subnet.addr, b->vpn_subnet.addr);
	assert_int_equal(a->vpn_subnet.prefix, b->vpn_subnet.prefix);
	assert_int_equal(a->wireguard_port, b->wireguard_port);
	assert_int_equal(a->has_endpoint, b->has_endpoint);
	assert_string_equal(a->endpoint, b->endpoint);
}

static void test_defaults(void **state)
{
	struct cell_config c;
	memset(&c, 0xa5, sizeof(c));
	config_defaults(&c);
	assert_string_equal(c.cell_name, "mycell");
	assert_string_equal(c.domain, "cell");
	assert_int_equal(c.ip_range.addr, IP(172, 20, 0, 0));
	assert_int_equal(c.ip_range.prefix, 16);
	assert_int_equal(c.vpn_subnet.addr, IP(10, 0, 0, 0));
	assert_int_equal(c.vpn_subnet.prefix, 24);
	assert_int_equal(c.wireguard_port, 51820);
	assert_false(c.has_endpoint);
	assert_string_equal(c.endpoint, "");

	/* The defaults pass their own rules. */
	struct field_error e;
	assert_int_equal(config_validate(&c, NULL, &e), 0);
}

static void test_field_table(void **state)
{
	static const char *const names[] = { "cell_name", "domain", "ip_range", "vpn_subnet",
					     "wireguard_port", "endpoint" };
	assert_int_equal(config_fields_len, sizeof(names) / sizeof(names[0]));
	for (size_t i = 0; i < config_fields_len; i++) {
		assert_string_equal(config_fields[i].name, names[i]);
		assert_ptr_equal(config_field_find(names[i]), &config_fields[i]);
		assert_non_null(config_fields[i].description);
	}
	assert_true(field("ip_range")->needs_apply);
	assert_true(field("vpn_subnet")->needs_apply);
	assert_false(field("cell_name")->needs_apply);
	assert_int_equal(field("wireguard_port")->type, CONFIG_PORT);
	assert_int_equal(field("endpoint")->type, CONFIG_OPTIONAL_STRING);
	assert_null(config_field_find("nope"));
	assert_null(config_field_find(""));
	assert_null(config_field_find("Domain"));
}

static void test_names(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	set_ok(&c, "cell_name", "home");
	assert_string_equal(c.cell_name, "home");
	set_ok(&c, "domain", "example.org");
	assert_string_equal(c.domain, "example.org");

	set_bad("cell_name", "", "must not be empty");
	set_bad("cell_name", "my_cell", NULL);
	set_bad("cell_name", "-cell", "hyphen");
	set_bad("domain", "a..b", "empty label");
	set_bad("domain", "cell.", "empty label");
	set_bad("cell_name", NULL, "must not be null");
	set_bad("domain", NULL, "must not be null");
}

static void test_ip_range(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	set_ok(&c, "ip_range", "192.168.0.0/16");
	assert_int_equal(c.ip_range.addr, IP(192, 168, 0, 0));
	assert_int_equal(c.ip_range.prefix, 16);
	set_ok(&c, "ip_range", "10.1.2.32/27");
	assert_int_equal(c.ip_range.addr, IP(10, 1, 2, 32));
	assert_int_equal(c.ip_range.prefix, 27);
	set_ok(&c, "ip_range", "172.20.0.0/16");
	assert_int_equal(c.ip_range.addr, IP(172, 20, 0, 0));
	assert_int_equal(c.ip_range.prefix, 16);

	set_bad("ip_range", "172.20.0.0", "explicit prefix");
	set_bad("ip_range", "172.20.0.0/15", "too large");
	set_bad("ip_range", "172.20.0.0/28", "too small");
	set_bad("ip_range", "172.20.0.0/29", "too small");
	set_bad("ip_range", "172.20.0.1/16", "did you mean 172.20.0.0/16?");
	set_bad("ip_range", "10.1.2.33/27", "did you mean 10.1.2.32/27?");
	set_bad("ip_range", "8.8.8.0/24", "private range");
	set_bad("ip_range", "172.32.0.0/16", "private range");
	set_bad("ip_range", "fd00::/64", "IPv6");
	set_bad("ip_range", "172.20.0.0/33", "CIDR");
	set_bad("ip_range", "172.020.0.0/16", "CIDR");
	set_bad("ip_range", "a.b.c.d/16", "CIDR");
	set_bad("ip_range", "", "explicit prefix");
	set_bad("ip_range", NULL, "must not be null");

	/* The plan's limit is the table's, not a constant of the parser. */
	char s[CIDR_STR_MAX + 4];
	struct field_error e;
	snprintf(s, sizeof(s), "10.0.0.0/%u", ipplan_max_prefix());
	config_defaults(&c);
	assert_int_equal(config_field_set(&c, field("ip_range"), s, &e), 0);
	snprintf(s, sizeof(s), "10.0.0.0/%u", ipplan_max_prefix() + 1);
	assert_int_equal(config_field_set(&c, field("ip_range"), s, &e), -EINVAL);
	assert_string_equal(e.field, "ip_range");
}

static void test_vpn_subnet(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	set_ok(&c, "vpn_subnet", "10.0.0.0/30");
	assert_int_equal(c.vpn_subnet.addr, IP(10, 0, 0, 0));
	assert_int_equal(c.vpn_subnet.prefix, 30);
	set_ok(&c, "vpn_subnet", "10.99.0.0/16");
	assert_int_equal(c.vpn_subnet.prefix, 16);

	set_bad("vpn_subnet", "10.0.0.0/31", "too small");
	set_bad("vpn_subnet", "10.0.0.0/32", "too small");
	set_bad("vpn_subnet", "10.0.0.0/15", "too large");
	set_bad("vpn_subnet", "10.0.0.4/29", "did you mean 10.0.0.0/29?");
	set_bad("vpn_subnet", "100.64.0.0/24", "private range");
	set_bad("vpn_subnet", "10.0.0.0", "explicit prefix");
	set_bad("vpn_subnet", NULL, "must not be null");
}

static void test_wireguard_port(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	set_ok(&c, "wireguard_port", "1");
	assert_int_equal(c.wireguard_port, 1);
	set_ok(&c, "wireguard_port", "65535");
	assert_int_equal(c.wireguard_port, 65535);
	set_ok(&c, "wireguard_port", "51821");
	assert_int_equal(c.wireguard_port, 51821);

	static const char *const bad[] = { "0", "65536", "abc", "-1", "01", "", " 1", "1 ", "+1",
					   "4294967297", "1e3", "0x10" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		set_bad("wireguard_port", bad[i], "1 to 65535");
	set_bad("wireguard_port", NULL, "must not be null");
}

static void test_endpoint(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	set_ok(&c, "endpoint", "vpn.example.com");
	assert_true(c.has_endpoint);
	assert_string_equal(c.endpoint, "vpn.example.com");
	set_ok(&c, "endpoint", "vpn.example.com:51820");
	assert_true(c.has_endpoint);
	assert_string_equal(c.endpoint, "vpn.example.com:51820");
	set_ok(&c, "endpoint", "1.2.3.4:443");
	assert_string_equal(c.endpoint, "1.2.3.4:443");
	set_ok(&c, "endpoint", "1.2.3.4");
	assert_string_equal(c.endpoint, "1.2.3.4");
	set_ok(&c, "endpoint", "vpn.example.com:65535");
	assert_string_equal(c.endpoint, "vpn.example.com:65535");

	/* NULL clears it. */
	set_ok(&c, "endpoint", NULL);
	assert_false(c.has_endpoint);
	assert_string_equal(c.endpoint, "");

	set_bad("endpoint", "1.2.3.4:0", "port");
	set_bad("endpoint", "vpn.example.com:65536", "port");
	set_bad("endpoint", "vpn.example.com:", "port");
	set_bad("endpoint", "vpn.example.com:01", "port");
	set_bad("endpoint", "vpn.example.com:1:2", "port");
	set_bad("endpoint", "bad_host", "host name or IPv4 address");
	set_bad("endpoint", "bad_host:51820", "host name or IPv4 address");
	set_bad("endpoint", "", "host name or IPv4 address");
	/* Malformed IPv4 is not taken for a name (resolvers would read
	 * "010.0.0.1" as octal 8.0.0.1). */
	set_bad("endpoint", "256.1.1.1", "IPv4");
	set_bad("endpoint", "999.999.999.999:51820", "IPv4");
	set_bad("endpoint", "010.0.0.1", "IPv4");
	set_bad("endpoint", "1.2.3", "IPv4");
	set_ok(&c, "endpoint", "10.example.com");
	set_bad("endpoint", ":51820", "host name or IPv4 address");
	set_bad("endpoint", "[fd00::1]:51820", NULL);

	/* Longer than a name plus ":65535". */
	char long_ep[CONFIG_ENDPOINT_MAX + 2];
	memset(long_ep, 'a', sizeof(long_ep) - 1);
	long_ep[sizeof(long_ep) - 1] = '\0';
	set_bad("endpoint", long_ep, "longer than");
}

static void test_failed_set_on_custom_config(void **state)
{
	/* A struct holding non-default values (and an endpoint) survives a
	 * refused change of each field. */
	static const struct {
		const char *field, *text;
	} bad[] = {
		{ "cell_name", "x_y" }, { "domain", ".." },          { "ip_range", "10.0.0.1/16" },
		{ "vpn_subnet", "10.0.0.0/31" }, { "wireguard_port", "0" }, { "endpoint", "a_b" },
	};
	struct cell_config c, before;
	config_defaults(&c);
	set_ok(&c, "cell_name", "alpha");
	set_ok(&c, "endpoint", "vpn.example.net:4000");
	set_ok(&c, "ip_range", "192.168.50.0/24");
	memcpy(&before, &c, sizeof(c));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct field_error e;
		assert_int_equal(config_field_set(&c, field(bad[i].field), bad[i].text, &e), -EINVAL);
		assert_string_equal(e.field, bad[i].field);
		assert_memory_equal(&c, &before, sizeof(c));
	}
}

static void round_trip(const struct cell_config *src)
{
	struct cell_config dst;
	config_defaults(&dst);
	if (!src->has_endpoint)
		set_ok(&dst, "endpoint", "stale.example.com");
	for (size_t i = 0; i < config_fields_len; i++) {
		const struct config_field *f = &config_fields[i];
		char text[CONFIG_VALUE_MAX];
		int r = config_field_get(src, f, text, sizeof(text));
		assert_true(r == 0 || r == 1);
		if (r == 1) {
			assert_int_equal(f->type, CONFIG_OPTIONAL_STRING);
			assert_string_equal(text, "");
		}
		set_ok(&dst, f->name, r == 1 ? NULL : text);
	}
	assert_config_equal(&dst, src);
}

static void test_get_round_trip(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	round_trip(&c);

	set_ok(&c, "cell_name", "alpha");
	set_ok(&c, "domain", "alpha.example.org");
	set_ok(&c, "ip_range", "192.168.64.0/18");
	set_ok(&c, "vpn_subnet", "10.200.0.0/22");
	set_ok(&c, "wireguard_port", "1194");
	set_ok(&c, "endpoint", "vpn.example.org:1194");
	round_trip(&c);

	char text[CONFIG_VALUE_MAX];
	assert_int_equal(config_field_get(&c, field("ip_range"), text, sizeof(text)), 0);
	assert_string_equal(text, "192.168.64.0/18");
	assert_int_equal(config_field_get(&c, field("wireguard_port"), text, sizeof(text)), 0);
	assert_string_equal(text, "1194");
	assert_int_equal(config_field_get(&c, field("endpoint"), text, sizeof(text)), 0);
	assert_string_equal(text, "vpn.example.org:1194");

	set_ok(&c, "endpoint", NULL);
	memset(text, 'x', sizeof(text));
	assert_int_equal(config_field_get(&c, field("endpoint"), text, sizeof(text)), 1);
	assert_string_equal(text, "");
	round_trip(&c);
}

static void test_get_small_buffer(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	char text[7];
	/* "mycell" needs 7 bytes with its NUL. */
	assert_int_equal(config_field_get(&c, field("cell_name"), text, sizeof(text)), 0);
	assert_string_equal(text, "mycell");
	assert_int_equal(config_field_get(&c, field("cell_name"), text, 6), -ENOBUFS);
	assert_int_equal(config_field_get(&c, field("ip_range"), text, sizeof(text)), -ENOBUFS);
	assert_int_equal(config_field_get(&c, field("wireguard_port"), text, 5), -ENOBUFS);
	assert_int_equal(config_field_get(&c, field("wireguard_port"), text, 6), 0);
	assert_string_equal(text, "51820");
}

static void test_validate_overlap(void **state)
{
	struct cell_config c;
	struct field_error e;
	config_defaults(&c);
	set_ok(&c, "ip_range", "10.0.0.0/16");
	/* vpn_subnet 10.0.0.0/24 lies inside the new ip_range. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(config_validate(&c, "ip_range", &e), -EINVAL);
	assert_string_equal(e.field, "ip_range");
	assert_string_equal(e.message, "ip_range 10.0.0.0/16 and vpn_subnet 10.0.0.0/24 overlap");

	memset(&e, 0, sizeof(e));
	assert_int_equal(config_validate(&c, NULL, &e), -EINVAL);
	assert_string_equal(e.field, "vpn_subnet");

	memset(&e, 0, sizeof(e));
	assert_int_equal(config_validate(&c, "vpn_subnet", &e), -EINVAL);
	assert_string_equal(e.field, "vpn_subnet");

	/* Adjacent networks do not overlap. */
	set_ok(&c, "vpn_subnet", "10.1.0.0/24");
	assert_int_equal(config_validate(&c, "vpn_subnet", &e), 0);
	/* Nor does the VPN network containing the cell network. */
	set_ok(&c, "ip_range", "10.1.0.0/27");
	set_ok(&c, "vpn_subnet", "10.1.0.0/16");
	assert_int_equal(config_validate(&c, "vpn_subnet", &e), -EINVAL);
	assert_string_equal(e.field, "vpn_subnet");
	assert_string_equal(e.message, "ip_range 10.1.0.0/27 and vpn_subnet 10.1.0.0/16 overlap");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_field_table),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_ip_range),
		cmocka_unit_test(test_vpn_subnet),
		cmocka_unit_test(test_wireguard_port),
		cmocka_unit_test(test_endpoint),
		cmocka_unit_test(test_failed_set_on_custom_config),
		cmocka_unit_test(test_get_round_trip),
		cmocka_unit_test(test_get_small_buffer),
		cmocka_unit_test(test_validate_overlap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
