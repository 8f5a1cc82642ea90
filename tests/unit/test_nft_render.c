/* The nftables renderer: for two fixed plans the text is byte-for-byte the
 * golden file in tests/golden/nft/ (GOLDEN_UPDATE=1 rewrites the files
 * instead; tests/golden/check.sh runs `nft -c` on them); the ip_range and
 * bridge name come from the plan; the output is the same on every call;
 * a bridge name that is not a plain interface name is refused; a full
 * buffer is -E2BIG. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/fsutil.h"
#include "model/config.h"
#include "net/netplan.h"
#include "net/nft_render.h"
#include "golden.h"
#include "common/banned.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static struct netplan *plan_for(const struct cell_config *c, const char *const *names, size_t n)
{
	struct netplan *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	assert_int_equal(netplan_build(c, "/run/pic", names, n, p), 0);
	return p;
}

static char *render(const struct netplan *p)
{
	struct buf b;
	buf_init(&b, GOLDEN_MAX);
	assert_int_equal(nft_render(p, &b), 0);
	assert_non_null(b.data);
	return buf_steal(&b);
}

static void test_golden_default(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	const char *names[] = { "ntp" };
	struct netplan *p = plan_for(&c, names, 1);
	char *text = render(p);
	golden_check("tests/golden/nft/default.nft", text);
	assert_non_null(strstr(text, "ip saddr 172.20.0.0/16 oifname != \"pic0\" masquerade\n"));
	/* Cell traffic not accepted above is dropped; other forwarding on
	 * the host is not the cell's business. */
	assert_non_null(strstr(text, "\t\tiifname \"pic0\" drop\n\t\toifname \"pic0\" drop\n\t}"));
	assert_non_null(strstr(text, "policy accept;"));
	/* No blanket acceptance of established traffic. */
	assert_null(strstr(text, "\t\tct state established"));
	free(text);
	free(p);
}

static void test_golden_small(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	c.ip_range = (struct ipv4_net){ IP(192, 168, 50, 0), 27 };
	c.vpn_subnet = (struct ipv4_net){ IP(10, 8, 0, 0), 24 };
	const char *names[] = { "ntp", "proxy", "mail", "dns" };
	struct netplan *p = plan_for(&c, names, 4);
	char *text = render(p);
	golden_check("tests/golden/nft/small.nft", text);
	/* Each published service's ports go to its address. */
	assert_non_null(strstr(text, "fib daddr type local meta l4proto { tcp, udp } th dport 53 dnat ip to 192.168.50.2\n"));
	assert_non_null(strstr(text, "fib daddr type local udp dport 123 dnat ip to 192.168.50.4\n"));
	assert_non_null(strstr(text, "fib daddr type local tcp dport { 80, 443 } dnat ip to 192.168.50.23\n"));
	assert_non_null(strstr(text, "fib daddr type local tcp dport { 25, 465, 587, 143, 993, 4190 } dnat ip to "
				     "192.168.50.7\n"));
	assert_non_null(strstr(text, "iifname \"pic0\" ip saddr 192.168.50.0/27 oifname != \"pic0\" accept\n"));
	assert_non_null(strstr(text, "ip saddr 192.168.50.0/27 oifname != \"pic0\" masquerade\n"));
	assert_null(strstr(text, "172.20."));
	free(text);
	free(p);
}

static void test_from_plan(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	c.ip_range = (struct ipv4_net){ IP(10, 77, 0, 0), 16 };
	struct netplan *p = plan_for(&c, NULL, 0);
	snprintf(p->bridge, sizeof(p->bridge), "%s", "br-test");
	char *a = render(p);
	char *b = render(p);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "ip saddr 10.77.0.0/16 "));
	assert_non_null(strstr(a, "iifname \"br-test\" oifname \"br-test\" accept\n"));
	assert_null(strstr(a, "pic0"));
	assert_true(strncmp(a, "# ", 2) == 0);
	assert_non_null(strstr(a, "\ntable inet pic {\n"));
	assert_int_equal(a[strlen(a) - 1], '\n');
	free(a);
	free(b);
	free(p);
}

static void test_refusals(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	struct netplan *p = plan_for(&c, NULL, 0);
	static const char *bad[] = { "", "pic0\" accept", "a b", "PIC0", "x;y", "pic0\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(p->bridge, sizeof(p->bridge), "%s", bad[i]);
		struct buf b;
		buf_init(&b, GOLDEN_MAX);
		if (nft_render(p, &b) != -EINVAL)
			fail_msg("bridge name '%s' not refused", bad[i]);
		buf_free(&b);
	}
	snprintf(p->bridge, sizeof(p->bridge), "%s", "pic0");
	struct buf b;
	buf_init(&b, 64);
	assert_int_equal(nft_render(p, &b), -E2BIG);
	buf_free(&b);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_default),
		cmocka_unit_test(test_golden_small),
		cmocka_unit_test(test_from_plan),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
