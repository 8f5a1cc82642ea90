/* DNS model: names are qualified into the cell zone (relative, "@",
 * absolute with a dot; outside the zone refused); each record type's
 * value and fields are checked and canonicalised, fields of other types
 * refused; reserved names; the zone-data line (TXT split at 255 bytes and
 * escaped); duplicate detection ignores the TTL; resolver settings and
 * forward zones. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "model/dns.h"
#include "common/banned.h"

#define ZONE "mycell.cell"

static int parse(const char *name, const char *type, const char *value, struct dns_record *r,
		 struct field_error *e)
{
	struct dns_record_input in = { .name = name, .type = type, .value = value };
	return dns_record_parse(ZONE, &in, r, e);
}

static void expect_bad(struct dns_record_input in, const char *field)
{
	struct dns_record r;
	struct field_error e;
	assert_int_equal(dns_record_parse(ZONE, &in, &r, &e), -EINVAL);
	assert_string_equal(e.field, field);
	assert_true(strlen(e.message) > 0);
}

static void test_qualify(void **state)
{
	char out[DNS_NAME_MAX + 1];
	struct field_error e;
	assert_int_equal(dns_name_qualify(ZONE, "www", out, sizeof(out), &e), 0);
	assert_string_equal(out, "www.mycell.cell");
	assert_int_equal(dns_name_qualify(ZONE, "@", out, sizeof(out), &e), 0);
	assert_string_equal(out, ZONE);
	assert_int_equal(dns_name_qualify(ZONE, "WWW.MyCell.Cell.", out, sizeof(out), &e), 0);
	assert_string_equal(out, "www.mycell.cell");
	assert_int_equal(dns_name_qualify(ZONE, "a.b", out, sizeof(out), &e), 0);
	assert_string_equal(out, "a.b.mycell.cell");
	assert_int_equal(dns_name_qualify(ZONE, "_sip._tcp", out, sizeof(out), &e), 0);
	assert_int_equal(dns_name_qualify(ZONE, "*", out, sizeof(out), &e), -EINVAL);
	assert_int_equal(dns_name_qualify(ZONE, "*.wild", out, sizeof(out), &e), -EINVAL);
	assert_int_equal(dns_name_qualify(ZONE, "www.example.org.", out, sizeof(out), &e), -EINVAL);
	assert_string_equal(e.field, "name");
	assert_int_equal(dns_name_qualify(ZONE, "a..b", out, sizeof(out), &e), -EINVAL);
	assert_int_equal(dns_name_qualify(ZONE, "-a", out, sizeof(out), &e), -EINVAL);
	assert_int_equal(dns_name_qualify(ZONE, "a b", out, sizeof(out), &e), -EINVAL);
	assert_int_equal(dns_name_qualify(ZONE, "a.*", out, sizeof(out), &e), -EINVAL);
	assert_int_equal(dns_name_qualify(ZONE, "", out, sizeof(out), &e), -EINVAL);
	char longlabel[70];
	memset(longlabel, 'a', 64);
	longlabel[64] = '\0';
	assert_int_equal(dns_name_qualify(ZONE, longlabel, out, sizeof(out), &e), -EINVAL);
}

static void test_types(void **state)
{
	struct dns_record r;
	struct field_error e;
	assert_int_equal(parse("www", "a", "192.0.2.1", &r, &e), 0);
	assert_int_equal(r.type, DNS_A);
	assert_int_equal(r.ttl, DNS_TTL_DEFAULT);
	assert_int_equal(parse("www", "AAAA", "2001:DB8:0:0::1", &r, &e), 0);
	assert_string_equal(r.value, "2001:db8::1");
	assert_int_equal(parse("alias", "CNAME", "Target.Example.ORG.", &r, &e), 0);
	assert_string_equal(r.value, "target.example.org");
	assert_int_equal(parse("@", "MX", "mail-svc.mycell.cell", &r, &e), 0);
	assert_int_equal(r.priority, 10);
	assert_int_equal(parse("@", "MX", "mail-svc", &r, &e), 0);
	assert_string_equal(r.value, "mail-svc.mycell.cell"); /* one label: in the zone */
	assert_int_equal(parse("t", "TXT", "v=spf1 -all", &r, &e), 0);
	struct dns_record_input srv = { .name = "_sip._tcp", .type = "SRV", .value = "sip.example.org",
					.has_priority = true, .priority = 1, .has_weight = true, .weight = 5,
					.has_port = true, .port = 5060 };
	assert_int_equal(dns_record_parse(ZONE, &srv, &r, &e), 0);
	assert_int_equal(r.port, 5060);
	struct dns_record_input caa = { .name = "@", .type = "CAA", .value = "letsencrypt.org", .tag = "issue" };
	assert_int_equal(dns_record_parse(ZONE, &caa, &r, &e), 0);
	assert_string_equal(r.tag, "issue");
	assert_int_equal(parse("x", "PTR", "a", &r, &e), -EINVAL);
	assert_string_equal(e.field, "type");
}

static void test_bad_values(void **state)
{
	expect_bad((struct dns_record_input){ .name = "a", .type = "A", .value = "300.1.1.1" }, "value");
	expect_bad((struct dns_record_input){ .name = "a", .type = "A", .value = "fd00::1" }, "value");
	expect_bad((struct dns_record_input){ .name = "a", .type = "AAAA", .value = "192.0.2.1" }, "value");
	expect_bad((struct dns_record_input){ .name = "a", .type = "CNAME", .value = "bad_ host" }, "value");
	expect_bad((struct dns_record_input){ .name = "a", .type = "A" }, "value");
	expect_bad((struct dns_record_input){ .type = "A", .value = "192.0.2.1" }, "name");
	expect_bad((struct dns_record_input){ .name = "a", .value = "192.0.2.1" }, "type");
	expect_bad((struct dns_record_input){ .name = "a", .type = "A", .value = "192.0.2.1", .has_ttl = true,
					      .ttl = 59 },
		   "ttl");
	expect_bad((struct dns_record_input){ .name = "a", .type = "A", .value = "192.0.2.1", .has_ttl = true,
					      .ttl = 604801 },
		   "ttl");
	expect_bad((struct dns_record_input){ .name = "a", .type = "A", .value = "192.0.2.1", .has_priority = true },
		   "priority");
	expect_bad((struct dns_record_input){ .name = "a", .type = "MX", .value = "m.example", .has_priority = true,
					      .priority = 65536 },
		   "priority");
	expect_bad((struct dns_record_input){ .name = "_sip._tcp", .type = "SRV", .value = "s.example",
					      .has_priority = true, .has_weight = true },
		   "port");
	expect_bad((struct dns_record_input){ .name = "sip", .type = "SRV", .value = "s.example", .has_priority = true,
					      .has_weight = true, .has_port = true },
		   "name");
	expect_bad((struct dns_record_input){ .name = "a", .type = "CAA", .value = "x.org", .tag = "bogus" }, "tag");
	expect_bad((struct dns_record_input){ .name = "a", .type = "CAA", .value = "x.org;\nq" }, "value");
	expect_bad((struct dns_record_input){ .name = "a", .type = "CAA", .value = "x.org", .tag = "iodef" }, "value");
	expect_bad((struct dns_record_input){ .name = "a", .type = "TXT", .value = "line\nbreak" }, "value");
	char big[DNS_TXT_MAX + 2];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	expect_bad((struct dns_record_input){ .name = "a", .type = "TXT", .value = big }, "value");
}

static void test_reserved(void **state)
{
	struct dns_record r;
	struct field_error e;
	assert_int_equal(parse("calendar", "A", "192.0.2.1", &r, &e), 0);
	assert_true(dns_record_reserved(ZONE, &r));
	assert_int_equal(parse("ntp-svc", "TXT", "x", &r, &e), 0);
	assert_true(dns_record_reserved(ZONE, &r));
	assert_int_equal(parse("@", "A", "192.0.2.1", &r, &e), 0);
	assert_true(dns_record_reserved(ZONE, &r));
	assert_int_equal(parse("@", "MX", "mail-svc.mycell.cell", &r, &e), 0);
	assert_true(dns_record_reserved(ZONE, &r));
	assert_int_equal(parse("@", "TXT", "v=spf1 -all", &r, &e), 0);
	assert_true(dns_record_reserved(ZONE, &r));
	assert_int_equal(parse("@", "TXT", "google-site-verification=x", &r, &e), 0);
	assert_false(dns_record_reserved(ZONE, &r));
	assert_int_equal(parse("www", "A", "192.0.2.1", &r, &e), 0);
	assert_false(dns_record_reserved(ZONE, &r));
	assert_int_equal(parse("a.calendar", "A", "192.0.2.1", &r, &e), 0);
	assert_false(dns_record_reserved(ZONE, &r));
}

static void test_rr_lines(void **state)
{
	struct dns_record r;
	struct field_error e;
	char rr[DNS_VALUE_MAX * 3];
	assert_int_equal(parse("www", "A", "192.0.2.1", &r, &e), 0);
	assert_int_equal(dns_record_rr(&r, rr, sizeof(rr)), 0);
	assert_string_equal(rr, "www.mycell.cell. 3600 IN A 192.0.2.1");
	assert_int_equal(parse("@", "MX", "mail.example.org", &r, &e), 0);
	assert_int_equal(dns_record_rr(&r, rr, sizeof(rr)), 0);
	assert_string_equal(rr, "mycell.cell. 3600 IN MX 10 mail.example.org.");
	assert_int_equal(parse("t", "TXT", "say \"hi\" \\ ok", &r, &e), 0);
	assert_int_equal(dns_record_rr(&r, rr, sizeof(rr)), 0);
	assert_string_equal(rr, "t.mycell.cell. 3600 IN TXT \"say \\\"hi\\\" \\\\ ok\"");
	char text[300];
	memset(text, 'a', 299);
	text[299] = '\0';
	assert_int_equal(parse("t", "TXT", text, &r, &e), 0);
	assert_int_equal(dns_record_rr(&r, rr, sizeof(rr)), 0);
	char *split = strstr(rr, "\" \"");
	assert_non_null(split);
	assert_int_equal(split - strchr(rr, '"') - 1, 255);
	struct dns_record_input caa = { .name = "@", .type = "CAA", .value = "letsencrypt.org", .has_flags = true,
					.flags = 128 };
	assert_int_equal(dns_record_parse(ZONE, &caa, &r, &e), 0);
	assert_int_equal(dns_record_rr(&r, rr, sizeof(rr)), 0);
	assert_string_equal(rr, "mycell.cell. 3600 IN CAA 128 issue \"letsencrypt.org\"");
}

static void test_same_data(void **state)
{
	struct dns_record a, b;
	struct field_error e;
	struct dns_record_input in = { .name = "www", .type = "A", .value = "192.0.2.1", .has_ttl = true, .ttl = 60 };
	assert_int_equal(dns_record_parse(ZONE, &in, &a, &e), 0);
	in.ttl = 7200;
	assert_int_equal(dns_record_parse(ZONE, &in, &b, &e), 0);
	assert_true(dns_record_same_data(&a, &b));
	in.value = "192.0.2.2";
	assert_int_equal(dns_record_parse(ZONE, &in, &b, &e), 0);
	assert_false(dns_record_same_data(&a, &b));
}

static void test_settings_and_forwards(void **state)
{
	struct dns_settings s;
	struct field_error e;
	dns_settings_defaults(&s);
	assert_int_equal(dns_settings_validate(&s, &e), 0);
	s.recursion = false;
	assert_int_equal(dns_settings_validate(&s, &e), -EINVAL);
	assert_string_equal(e.field, "recursion");
	snprintf(s.upstreams[0], sizeof(s.upstreams[0]), "9.9.9.9@853");
	snprintf(s.upstreams[1], sizeof(s.upstreams[1]), "2620:fe::fe");
	s.n_upstreams = 2;
	assert_int_equal(dns_settings_validate(&s, &e), 0);
	snprintf(s.upstreams[1], sizeof(s.upstreams[1]), "9.9.9.9@853");
	assert_int_equal(dns_settings_validate(&s, &e), -EINVAL);
	assert_string_equal(e.field, "upstreams[1]");
	s.n_upstreams = 1;
	s.cache_mb = 3;
	assert_int_equal(dns_settings_validate(&s, &e), -EINVAL);
	assert_string_equal(e.field, "cache_mb");
	assert_int_equal(dns_server_validate("x", "dns.example", &e), -EINVAL);
	assert_int_equal(dns_server_validate("x", "10.0.0.1@0", &e), -EINVAL);

	struct dns_forward f = { .zone = "Other.Test.", .n_servers = 1, .servers = { "10.99.0.2" } };
	assert_int_equal(dns_forward_validate(ZONE, &f, &e), 0);
	assert_string_equal(f.zone, "other.test");
	struct dns_forward inside = { .zone = "a.mycell.cell", .n_servers = 1, .servers = { "10.99.0.2" } };
	assert_int_equal(dns_forward_validate(ZONE, &inside, &e), -EINVAL);
	assert_string_equal(e.field, "zone");
	struct dns_forward none = { .zone = "x.org" };
	assert_int_equal(dns_forward_validate(ZONE, &none, &e), -EINVAL);
	assert_string_equal(e.field, "servers");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qualify),     cmocka_unit_test(test_types),
		cmocka_unit_test(test_bad_values),  cmocka_unit_test(test_reserved),
		cmocka_unit_test(test_rr_lines),    cmocka_unit_test(test_same_data),
		cmocka_unit_test(test_settings_and_forwards),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
