/* DNS and DHCP data in the store: records insert (duplicates refused,
 * whatever the TTL), update, delete, restore, filter, paginate and count; resolver
 * settings default then round-trip; forwards put/replace/delete; DHCP
 * settings and reservations (a MAC or IP reserved twice is refused). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/store_dhcp.h"
#include "store/store_dns.h"
#include "store_fixture.h"
#include "common/banned.h"

static struct dns_record rec(const char *name, enum dns_type t, const char *value, uint32_t ttl)
{
	struct dns_record r = { .type = t, .ttl = ttl };
	snprintf(r.name, sizeof(r.name), "%s", name);
	snprintf(r.value, sizeof(r.value), "%s", value);
	return r;
}

static void test_records(void **state)
{
	struct store_fixture *f = *state;
	struct dns_record a = rec("www.z", DNS_A, "192.0.2.1", 300), b = rec("www.z", DNS_A, "192.0.2.2", 300),
			  c = rec("mail.z", DNS_MX, "mx.example", 300);
	c.priority = 5;
	assert_int_equal(store_dns_record_insert(f->s, &a, 1), 0);
	assert_int_equal(store_dns_record_insert(f->s, &b, 1), 0);
	assert_int_equal(store_dns_record_insert(f->s, &c, 1), 0);
	assert_true(a.id > 0 && b.id > a.id);
	struct dns_record dup = rec("www.z", DNS_A, "192.0.2.1", 9999);
	assert_int_equal(store_dns_record_insert(f->s, &dup, 1), -EEXIST);

	struct dns_record_filter by_name = { .name = "www.z", .type = -1 }, by_type = { .type = DNS_MX };
	assert_int_equal(store_dns_record_count(f->s, NULL), 3);
	assert_int_equal(store_dns_record_count(f->s, &by_name), 2);
	assert_int_equal(store_dns_record_count(f->s, &by_type), 1);
	struct dns_record out[4];
	assert_int_equal(store_dns_record_list(f->s, NULL, 1, 1, out), 1);
	assert_string_equal(out[0].name, "www.z"); /* ordered by name: mail.z, www.z, www.z */
	assert_int_equal(store_dns_record_list(f->s, &by_type, 0, 4, out), 1);
	assert_int_equal(out[0].priority, 5);

	struct dns_record got;
	b.ttl = 900;
	snprintf(b.value, sizeof(b.value), "192.0.2.3");
	assert_int_equal(store_dns_record_update(f->s, &b, 2), 0);
	assert_int_equal(store_dns_record_get(f->s, b.id, &got), 0);
	assert_string_equal(got.value, "192.0.2.3");
	assert_int_equal(got.ttl, 900);
	snprintf(b.value, sizeof(b.value), "192.0.2.1"); /* now the same as a */
	assert_int_equal(store_dns_record_update(f->s, &b, 2), -EEXIST);
	b.id = 9999;
	assert_int_equal(store_dns_record_update(f->s, &b, 2), -ENOENT);
	assert_int_equal(store_dns_record_delete(f->s, a.id), 0);
	assert_int_equal(store_dns_record_delete(f->s, a.id), -ENOENT);
	assert_int_equal(store_dns_record_get(f->s, a.id, &got), -ENOENT);
	assert_int_equal(store_dns_record_count(f->s, NULL), 2);

	/* Undoing the delete: back under its own id, still unique. */
	assert_int_equal(store_dns_record_restore(f->s, &a, 3), 0);
	assert_int_equal(store_dns_record_get(f->s, a.id, &got), 0);
	assert_string_equal(got.value, "192.0.2.1");
	assert_int_equal(store_dns_record_restore(f->s, &a, 3), -EEXIST); /* the id is taken */
	struct dns_record again = rec("www.z", DNS_A, "192.0.2.1", 60);
	again.id = 5000;
	assert_int_equal(store_dns_record_restore(f->s, &again, 3), -EEXIST); /* the data is taken */
	assert_int_equal(store_dns_record_count(f->s, NULL), 3);
}

static void test_settings_and_forwards(void **state)
{
	struct store_fixture *f = *state;
	struct dns_settings s;
	assert_int_equal(store_dns_settings_load(f->s, &s), 0);
	assert_true(s.recursion && s.dnssec);
	assert_int_equal(s.n_upstreams, 0);
	s.n_upstreams = 2;
	snprintf(s.upstreams[0], sizeof(s.upstreams[0]), "10.0.0.1");
	snprintf(s.upstreams[1], sizeof(s.upstreams[1]), "fd00::1@5353");
	s.dnssec = false;
	s.cache_mb = 64;
	assert_int_equal(store_dns_settings_save(f->s, &s), 0);
	struct dns_settings t;
	assert_int_equal(store_dns_settings_load(f->s, &t), 0);
	assert_int_equal(t.n_upstreams, 2);
	assert_string_equal(t.upstreams[1], "fd00::1@5353");
	assert_false(t.dnssec);
	assert_int_equal(t.cache_mb, 64);

	struct dns_forward fw = { .zone = "other.test", .n_servers = 1, .servers = { "10.99.0.2" } };
	assert_int_equal(store_dns_forward_put(f->s, &fw), 0);
	fw.n_servers = 2;
	snprintf(fw.servers[1], sizeof(fw.servers[1]), "10.99.0.3");
	assert_int_equal(store_dns_forward_put(f->s, &fw), 0); /* replaces */
	struct dns_forward list[4];
	assert_int_equal(store_dns_forward_list(f->s, list, 4), 1);
	assert_int_equal(list[0].n_servers, 2);
	assert_int_equal(store_dns_forward_delete(f->s, "other.test"), 0);
	assert_int_equal(store_dns_forward_delete(f->s, "other.test"), -ENOENT);
}

static void test_dhcp(void **state)
{
	struct store_fixture *f = *state;
	struct dhcp_settings s;
	assert_int_equal(store_dhcp_settings_load(f->s, &s), 0);
	assert_false(s.enabled);
	s = (struct dhcp_settings){ .enabled = true, .interface = "lan0", .range_start = 0xc0a84d64,
				    .range_end = 0xc0a84dc7, .lease_s = 3600, .gateway = 0xc0a84d01 };
	assert_int_equal(store_dhcp_settings_save(f->s, &s), 0);
	struct dhcp_settings t;
	assert_int_equal(store_dhcp_settings_load(f->s, &t), 0);
	assert_true(t.enabled);
	assert_string_equal(t.interface, "lan0");
	assert_int_equal(t.range_end, 0xc0a84dc7);
	s.enabled = false;
	assert_int_equal(store_dhcp_settings_save(f->s, &s), 0);
	assert_int_equal(store_dhcp_settings_load(f->s, &t), 0);
	assert_false(t.enabled);

	struct dhcp_reservation r = { .mac = { 0xaa, 0xbb, 0xcc, 0, 0, 1 }, .ip = 0xc0a84d32, .hostname = "printer" };
	assert_int_equal(store_dhcp_reservation_add(f->s, &r), 0);
	assert_int_equal(store_dhcp_reservation_add(f->s, &r), -EEXIST);
	struct dhcp_reservation same_ip = { .mac = { 0xaa, 0xbb, 0xcc, 0, 0, 2 }, .ip = 0xc0a84d32 };
	assert_int_equal(store_dhcp_reservation_add(f->s, &same_ip), -EEXIST);
	struct dhcp_reservation list[4];
	assert_int_equal(store_dhcp_reservation_list(f->s, list, 4), 1);
	assert_memory_equal(list[0].mac, r.mac, 6);
	assert_string_equal(list[0].hostname, "printer");
	assert_int_equal(store_dhcp_reservation_delete(f->s, r.mac), 0);
	assert_int_equal(store_dhcp_reservation_delete(f->s, r.mac), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_records, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_settings_and_forwards, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_dhcp, store_fixture_setup, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
