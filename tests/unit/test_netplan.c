/* The network plan: every field for the default configuration; a /27
 * network; the proxy carrying the web services' virtual IPs; unknown,
 * duplicate, over-long and non-service names refused (and the result left
 * untouched); run directories that differ give different namespace paths;
 * a run directory too long for PATH_MAX refused. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/config.h"
#include "model/ipplan.h"
#include "net/netplan.h"
#include "common/banned.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

/* Plans are large (PATH_MAX per service): keep them off the stack. */
static struct netplan *plan_new(void)
{
	struct netplan *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	return p;
}

static void test_default_config(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	const char *names[] = { "ntp", "dns" };
	struct netplan *p = plan_new();
	assert_int_equal(netplan_build(&c, "/run/pic", names, 2, p), 0);

	assert_string_equal(p->bridge, "pic0");
	assert_int_equal(p->host_addr, IP(172, 20, 0, 1));
	assert_int_equal(p->ip_range.addr, IP(172, 20, 0, 0));
	assert_int_equal(p->ip_range.prefix, 16);
	assert_int_equal(p->vpn_subnet.addr, IP(10, 0, 0, 0));
	assert_int_equal(p->vpn_subnet.prefix, 24);
	assert_int_equal(p->n_services, 2);

	const struct netplan_service *ntp = &p->services[0];
	assert_string_equal(ntp->name, "ntp");
	assert_string_equal(ntp->netns_path, "/run/pic/netns/ntp");
	assert_string_equal(ntp->veth_host, "pic-ntp");
	assert_string_equal(ntp->veth_peer, "eth0");
	assert_int_equal(ntp->n_addrs, 1);
	assert_int_equal(ntp->addrs[0], IP(172, 20, 0, 4));
	assert_int_equal(ntp->prefix, 16);
	assert_int_equal(ntp->gateway, IP(172, 20, 0, 1));

	const struct netplan_service *dns = &p->services[1];
	assert_string_equal(dns->name, "dns");
	assert_string_equal(dns->netns_path, "/run/pic/netns/dns");
	assert_string_equal(dns->veth_host, "pic-dns");
	assert_string_equal(dns->veth_peer, "eth0");
	assert_int_equal(dns->n_addrs, 1);
	assert_int_equal(dns->addrs[0], IP(172, 20, 0, 2));
	assert_int_equal(dns->prefix, 16);
	assert_int_equal(dns->gateway, IP(172, 20, 0, 1));

	assert_ptr_equal(netplan_find(p, "ntp"), ntp);
	assert_ptr_equal(netplan_find(p, "dns"), dns);
	assert_null(netplan_find(p, "proxy"));
	assert_null(netplan_find(p, ""));

	/* No services: just the bridge. */
	assert_int_equal(netplan_build(&c, "/run/pic", NULL, 0, p), 0);
	assert_int_equal(p->n_services, 0);
	assert_int_equal(p->host_addr, IP(172, 20, 0, 1));
	free(p);
}

static void test_small_network(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	c.ip_range = (struct ipv4_net){ IP(192, 168, 50, 32), 27 };
	const char *names[] = { "ntp", "mail" };
	struct netplan *p = plan_new();
	assert_int_equal(netplan_build(&c, "/var/lib/pic/run", names, 2, p), 0);
	assert_int_equal(p->host_addr, IP(192, 168, 50, 33));
	assert_int_equal(p->ip_range.addr, IP(192, 168, 50, 32));
	assert_int_equal(p->ip_range.prefix, 27);
	assert_int_equal(p->services[0].addrs[0], IP(192, 168, 50, 36));
	assert_int_equal(p->services[0].prefix, 27);
	assert_int_equal(p->services[0].gateway, IP(192, 168, 50, 33));
	assert_int_equal(p->services[1].addrs[0], IP(192, 168, 50, 39));
	assert_int_equal(p->services[1].n_addrs, 1);
	assert_string_equal(p->services[1].veth_host, "pic-mail");
	/* Every address inside the network. */
	for (size_t i = 0; i < p->n_services; i++)
		for (unsigned j = 0; j < p->services[i].n_addrs; j++) {
			struct ipv4_net h = { p->services[i].addrs[j], 32 };
			assert_true(cidr_contains(&p->ip_range, &h));
		}
	free(p);
}

static void test_proxy_virtual_ips(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	const char *names[] = { "proxy", "webui" };
	struct netplan *p = plan_new();
	assert_int_equal(netplan_build(&c, "/run/pic", names, 2, p), 0);

	const struct netplan_service *proxy = netplan_find(p, "proxy");
	assert_non_null(proxy);
	assert_int_equal(proxy->addrs[0], IP(172, 20, 0, 6));
	/* Then every virtual IP the table gives the proxy, in table order. */
	unsigned n = 1;
	for (size_t i = 0; i < ipplan_table_len; i++) {
		const struct ipplan_entry *e = &ipplan_table[i];
		if (e->kind != IPPLAN_VIRTUAL_IP || strcmp(e->carrier, "proxy") != 0)
			continue;
		assert_true(n < proxy->n_addrs);
		assert_int_equal(proxy->addrs[n], ipplan_address(&c.ip_range, e));
		n++;
	}
	assert_int_equal(proxy->n_addrs, n);
	assert_int_equal(n, 5);
	assert_int_equal(proxy->addrs[1], IP(172, 20, 0, 20)); /* calendar */
	assert_int_equal(proxy->addrs[4], IP(172, 20, 0, 23)); /* webui */

	/* The webui service keeps only its own address: its virtual IP is
	 * the proxy's. */
	const struct netplan_service *webui = netplan_find(p, "webui");
	assert_non_null(webui);
	assert_int_equal(webui->n_addrs, 1);
	assert_int_equal(webui->addrs[0], IP(172, 20, 0, 10));
	free(p);
}

static void assert_refused(const char *name)
{
	struct cell_config c;
	config_defaults(&c);
	const char *names[] = { "ntp", name };
	struct netplan *p = plan_new();
	memset(p, 0x5a, sizeof(*p));
	if (netplan_build(&c, "/run/pic", names, 2, p) != -EINVAL)
		fail_msg("service name '%s' not refused with -EINVAL", name);
	/* Written only on success. */
	for (size_t i = 0; i < sizeof(*p); i++)
		if (((unsigned char *)p)[i] != 0x5a)
			fail_msg("plan written on failure for '%s'", name);
	free(p);
}

static void test_bad_names(void **state)
{
	assert_refused("nope");
	assert_refused("");
	assert_refused("NTP");
	assert_refused("host");      /* the host's address, not a service */
	assert_refused("calendar");  /* a virtual IP, not a service */
	assert_refused("ntp");       /* twice */
	assert_refused("averyveryverylongservicename");
	assert_refused("twelve-chars"); /* "pic-twelve-chars" is 16 > 15 */
	assert_refused("../../etc");

	struct cell_config c;
	config_defaults(&c);
	const char *names[] = { "ntp" };
	struct netplan *p = plan_new();
	assert_int_equal(netplan_build(&c, "relative/run", names, 1, p), -EINVAL);
	const char *many[NETPLAN_MAX_SERVICES + 1];
	for (size_t i = 0; i < sizeof(many) / sizeof(many[0]); i++)
		many[i] = "ntp";
	assert_int_equal(netplan_build(&c, "/run/pic", many, NETPLAN_MAX_SERVICES + 1, p), -E2BIG);
	free(p);
}

static void test_run_dirs(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	const char *names[] = { "ntp" };
	struct netplan *a = plan_new(), *b = plan_new();
	assert_int_equal(netplan_build(&c, "/var/lib/pic-a/run", names, 1, a), 0);
	assert_int_equal(netplan_build(&c, "/var/lib/pic-b/run", names, 1, b), 0);
	assert_string_equal(a->services[0].netns_path, "/var/lib/pic-a/run/netns/ntp");
	assert_string_equal(b->services[0].netns_path, "/var/lib/pic-b/run/netns/ntp");
	assert_string_not_equal(a->services[0].netns_path, b->services[0].netns_path);

	/* A run directory that leaves no room for "/netns/ntp". */
	char *dir = malloc(PATH_MAX);
	assert_non_null(dir);
	memset(dir, 'x', PATH_MAX - 8);
	dir[0] = '/';
	dir[PATH_MAX - 8] = '\0';
	assert_int_equal(netplan_build(&c, dir, names, 1, a), -EINVAL);
	free(dir);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_config),
		cmocka_unit_test(test_small_network),
		cmocka_unit_test(test_proxy_virtual_ips),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_run_dirs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
