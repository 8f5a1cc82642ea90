/* The address plan: for every network size the configuration accepts
 * (/16 up to ipplan_max_prefix()) and in each RFC 1918 block, every table
 * entry lands inside the network, off its network and broadcast addresses,
 * and on an address of its own. Also the table's own invariants, the
 * maximum prefix computed from the largest offset, the VPN server address
 * and lookups by name. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model/config.h"
#include "model/ipplan.h"
#include "common/banned.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static uint32_t largest_offset(void)
{
	uint32_t max = 0;
	for (size_t i = 0; i < ipplan_table_len; i++)
		if (ipplan_table[i].offset > max)
			max = ipplan_table[i].offset;
	return max;
}

static void check_plan(const struct ipv4_net *n)
{
	char s[CIDR_STR_MAX];
	cidr_format(n, s);
	uint32_t network = n->addr;
	uint32_t broadcast = n->addr | ~cidr_mask(n->prefix);
	uint32_t addrs[64];
	assert_true(ipplan_table_len <= sizeof(addrs) / sizeof(addrs[0]));

	for (size_t i = 0; i < ipplan_table_len; i++) {
		uint32_t a = ipplan_address(n, &ipplan_table[i]);
		struct ipv4_net host = { a, 32 };
		if (!cidr_contains(n, &host))
			fail_msg("%s: %s is outside the network", s, ipplan_table[i].name);
		if (a == network || a == broadcast)
			fail_msg("%s: %s is the network or broadcast address", s, ipplan_table[i].name);
		for (size_t j = 0; j < i; j++)
			if (addrs[j] == a)
				fail_msg("%s: %s and %s share an address", s, ipplan_table[j].name,
					 ipplan_table[i].name);
		addrs[i] = a;
	}
}

static void test_every_prefix_in_every_block(void **state)
{
	static const struct ipv4_net blocks[] = {
		{ IP(10, 0, 0, 0), 8 },
		{ IP(172, 16, 0, 0), 12 },
		{ IP(192, 168, 0, 0), 16 },
	};
	uint8_t max = ipplan_max_prefix();
	unsigned checked = 0;
	for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
		for (unsigned p = CONFIG_NET_MIN_PREFIX; p <= max; p++) {
			struct ipv4_net n = { blocks[b].addr, (uint8_t)p };
			check_plan(&n);
			/* And the last network of that size in the block, where
			 * a carry out of the network would show. */
			uint32_t block_last = blocks[b].addr | ~cidr_mask(blocks[b].prefix);
			struct ipv4_net top = { block_last & cidr_mask((uint8_t)p), (uint8_t)p };
			assert_true(cidr_contains(&blocks[b], &top));
			check_plan(&top);
			checked++;
		}
	}
	assert_int_equal(checked, 3 * (max - CONFIG_NET_MIN_PREFIX + 1));
}

static void test_max_prefix(void **state)
{
	uint32_t off = largest_offset();
	assert_int_equal(off, 23);
	/* The longest prefix whose network holds offsets 0..off plus a
	 * broadcast address above them. */
	unsigned expect = 32;
	while (((uint64_t)1 << (32 - expect)) < (uint64_t)off + 2)
		expect--;
	assert_int_equal(ipplan_max_prefix(), expect);
	assert_int_equal(ipplan_max_prefix(), 27);

	/* One bit longer would put the largest offset on or past the
	 * broadcast address. */
	struct ipv4_net n = { IP(10, 0, 0, 0), (uint8_t)(ipplan_max_prefix() + 1) };
	uint32_t broadcast = n.addr | ~cidr_mask(n.prefix);
	assert_true(n.addr + off >= broadcast);
	n.prefix = ipplan_max_prefix();
	broadcast = n.addr | ~cidr_mask(n.prefix);
	assert_true(n.addr + off < broadcast);
}

static void test_table_invariants(void **state)
{
	for (size_t i = 0; i < ipplan_table_len; i++) {
		const struct ipplan_entry *e = &ipplan_table[i];
		assert_true(e->offset >= 1);
		if (e->kind == IPPLAN_VIRTUAL_IP) {
			/* A virtual IP is carried by a service in the table. */
			assert_non_null(e->carrier);
			const struct ipplan_entry *c = ipplan_find(e->carrier);
			assert_non_null(c);
			assert_int_equal(c->kind, IPPLAN_SERVICE);
		} else {
			assert_null(e->carrier);
		}
		for (size_t j = 0; j < i; j++) {
			assert_int_not_equal(ipplan_table[j].offset, e->offset);
			if (ipplan_table[j].kind == e->kind)
				assert_string_not_equal(ipplan_table[j].name, e->name);
		}
	}
}

static void test_vpn_server(void **state)
{
	struct ipv4_net v = { IP(10, 0, 0, 0), 24 };
	assert_int_equal(ipplan_vpn_server(&v), IP(10, 0, 0, 1));
	v = (struct ipv4_net){ IP(10, 8, 0, 0), 16 };
	assert_int_equal(ipplan_vpn_server(&v), IP(10, 8, 0, 1));
	v = (struct ipv4_net){ IP(192, 168, 7, 4), 30 };
	assert_int_equal(ipplan_vpn_server(&v), IP(192, 168, 7, 5));
	/* Host bits in the network are masked off. */
	v = (struct ipv4_net){ IP(10, 0, 0, 77), 24 };
	assert_int_equal(ipplan_vpn_server(&v), IP(10, 0, 0, 1));
}

static void test_find_and_address(void **state)
{
	const struct ipplan_entry *dns = ipplan_find("dns");
	assert_non_null(dns);
	assert_string_equal(dns->name, "dns");
	assert_int_equal(dns->kind, IPPLAN_SERVICE);
	assert_int_equal(dns->offset, 2);

	const struct ipplan_entry *host = ipplan_find("host");
	assert_non_null(host);
	assert_int_equal(host->kind, IPPLAN_HOST);
	assert_int_equal(host->offset, 1);

	/* "webui" is both a service and a virtual IP: the service wins. */
	const struct ipplan_entry *webui = ipplan_find("webui");
	assert_non_null(webui);
	assert_int_equal(webui->kind, IPPLAN_SERVICE);
	assert_int_equal(webui->offset, 10);

	/* Virtual IPs are not found by name. */
	assert_null(ipplan_find("calendar"));
	assert_null(ipplan_find("nope"));
	assert_null(ipplan_find(""));
	assert_null(ipplan_find("DNS"));

	struct ipv4_net n = { IP(172, 20, 0, 0), 16 };
	assert_int_equal(ipplan_address(&n, dns), IP(172, 20, 0, 2));
	n = (struct ipv4_net){ IP(192, 168, 1, 32), 27 };
	assert_int_equal(ipplan_address(&n, dns), IP(192, 168, 1, 34));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_prefix_in_every_block),
		cmocka_unit_test(test_max_prefix),
		cmocka_unit_test(test_table_invariants),
		cmocka_unit_test(test_vpn_server),
		cmocka_unit_test(test_find_and_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
