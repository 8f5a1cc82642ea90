/* The VPN's firewall commands: a full refill flushes every set and adds
 * the active peers' elements only; one peer's change deletes its old
 * elements and adds its new ones. (nft itself runs these against the real
 * table in the VPN integration tests.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "model/vpn_peer.h"
#include "vpn/vpn_nft.h"
#include "common/banned.h"

#define RANGE ((struct ipv4_net){ 0xac140000u, 16 }) /* 172.20.0.0/16 */

static struct vpn_peer peer(uint32_t addr, bool enabled, const char *service)
{
	struct vpn_peer p = { .address = addr, .enabled = enabled };
	struct field_error e;
	if (service)
		assert_int_equal(vpn_peer_add_service(&p, "services", service, &e), 0);
	return p;
}

static void test_refill(void **state)
{
	struct vpn_peer peers[3] = { peer(0x0a000002, true, "webui"), peer(0x0a000003, false, "files"),
				     peer(0x0a000004, true, "internet") };
	struct buf b;
	buf_init(&b, 1 << 20);
	assert_int_equal(vpn_nft_commands(peers, 3, &RANGE, 100, &b), 0);
	assert_non_null(strstr(b.data, "flush set inet pic vpn_grants\n"));
	assert_non_null(strstr(b.data, "10.0.0.2 . 172.20.0.2 . udp . 53"));  /* dns, always */
	assert_non_null(strstr(b.data, "10.0.0.2 . 172.20.0.23 . tcp . 443")); /* webui */
	assert_null(strstr(b.data, "10.0.0.3 "));                             /* disabled */
	assert_non_null(strstr(b.data, "add element inet pic vpn_internet { 10.0.0.4 }\n"));
	assert_null(strstr(b.data, "vpn_peers {"));                           /* nobody has peers */
	buf_free(&b);
}

static void test_one_peer(void **state)
{
	struct vpn_peer before = peer(0x0a000002, true, "webui"), after = peer(0x0a000002, true, NULL);
	struct buf b;
	buf_init(&b, 1 << 20);
	assert_int_equal(vpn_nft_peer_commands(&before, &after, &RANGE, 100, &b), 0);
	const char *del = strstr(b.data, "delete element inet pic vpn_grants {");
	const char *add = strstr(b.data, "add element inet pic vpn_grants {");
	assert_non_null(del);
	assert_non_null(add);
	assert_true(del < add); /* old out before new in, one transaction */
	assert_null(strstr(add, "172.20.0.23"));
	buf_free(&b);

	/* Gone (NULL after) and new (NULL before). */
	buf_init(&b, 1 << 20);
	assert_int_equal(vpn_nft_peer_commands(&before, NULL, &RANGE, 100, &b), 0);
	assert_null(strstr(b.data, "add element"));
	buf_free(&b);
	buf_init(&b, 1 << 20);
	assert_int_equal(vpn_nft_peer_commands(NULL, &after, &RANGE, 100, &b), 0);
	assert_null(strstr(b.data, "delete element"));
	buf_free(&b);

	/* An expired peer has nothing to add. */
	after.expires_at = 50;
	buf_init(&b, 1 << 20);
	assert_int_equal(vpn_nft_peer_commands(NULL, &after, &RANGE, 100, &b), 0);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refill),
		cmocka_unit_test(test_one_peer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
