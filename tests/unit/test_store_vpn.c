/* VPN peers in the store, moved to a new subnet together: two peers can
 * trade addresses (each steps aside first), the addresses they left are
 * freed then, the ones they hold are not, and the freed addresses outside
 * the new subnet are forgotten. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/store_vpn.h"
#include "store_fixture.h"
#include "common/banned.h"

static int64_t add(struct store *s, const char *name, const char *key, uint32_t address)
{
	struct vpn_peer p = { .address = address, .enabled = true, .created_at = 1 };
	snprintf(p.name, sizeof(p.name), "%s", name);
	snprintf(p.public_key, sizeof(p.public_key), "%s", key);
	assert_int_equal(store_vpn_peer_add(s, &p), 0);
	return p.id;
}

static uint32_t address_of(struct store *s, const char *name)
{
	struct vpn_peer p;
	assert_int_equal(store_vpn_peer_get(s, name, &p), 0);
	return p.address;
}

/* When `address` was freed, or -1 when it is not; *ret_n: how many are. */
static int64_t freed_when(struct store *s, uint32_t address, size_t *ret_n)
{
	uint32_t *used = NULL;
	struct vpn_freed *freed = NULL;
	size_t n_used = 0, n_freed = 0;
	assert_int_equal(store_vpn_addresses(s, &used, &n_used, &freed, &n_freed), 0);
	int64_t when = -1;
	for (size_t i = 0; i < n_freed; i++)
		if (freed[i].address == address)
			when = freed[i].freed_at;
	free(used);
	free(freed);
	*ret_n = n_freed;
	return when;
}

static void test_readdress(void **state)
{
	struct store_fixture *f = *state;
	int64_t a = add(f->s, "a", "key-a", 0x0a000002u);
	int64_t b = add(f->s, "b", "key-b", 0x0a000003u);
	int64_t c = add(f->s, "c", "key-c", 0x0a000004u);
	add(f->s, "d", "key-d", 0x0a000009u);
	assert_int_equal(store_vpn_peer_delete(f->s, "d", 10), 0); /* .9 freed at 10 */
	add(f->s, "e", "key-e", 0x0a0000f0u);
	assert_int_equal(store_vpn_peer_delete(f->s, "e", 20), 0); /* .240 freed at 20 */

	/* 10.0.0.0/24 → 10.0.0.0/28: a and b trade addresses, c moves to
	 * .5; .4 is freed now, .240 is outside and forgotten. */
	struct ipv4_net to = { 0x0a000000u, 28 };
	int64_t ids[] = { a, b, c };
	uint32_t addresses[] = { 0x0a000003u, 0x0a000002u, 0x0a000005u };
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_vpn_readdress(f->s, ids, addresses, 3, &to, 30), 0);
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(address_of(f->s, "a"), 0x0a000003u);
	assert_int_equal(address_of(f->s, "b"), 0x0a000002u);
	assert_int_equal(address_of(f->s, "c"), 0x0a000005u);
	size_t n;
	assert_int_equal(freed_when(f->s, 0x0a000004u, &n), 30);
	assert_int_equal(n, 2);
	assert_int_equal(freed_when(f->s, 0x0a000009u, &n), 10);
	assert_int_equal(freed_when(f->s, 0x0a0000f0u, &n), -1);

	/* Taking a freed address: it is no longer freed. */
	int64_t only_c[] = { c };
	uint32_t nine[] = { 0x0a000009u };
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_vpn_readdress(f->s, only_c, nine, 1, &to, 40), 0);
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(freed_when(f->s, 0x0a000009u, &n), -1);
	assert_int_equal(freed_when(f->s, 0x0a000005u, &n), 40);
	assert_int_equal(n, 2);

	/* A peer that is not there, or an address another peer keeps: the
	 * caller rolls back, nothing changed. */
	int64_t gone[] = { 999 }, only_a[] = { a };
	uint32_t bs[] = { 0x0a000002u };
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_vpn_readdress(f->s, gone, nine, 1, &to, 50), -ENOENT);
	store_rollback(f->s);
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_vpn_readdress(f->s, only_a, bs, 1, &to, 50), -EEXIST);
	store_rollback(f->s);
	assert_int_equal(address_of(f->s, "a"), 0x0a000003u);
	assert_int_equal(freed_when(f->s, 0x0a000004u, &n), 30);
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_readdress, store_fixture_setup, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
