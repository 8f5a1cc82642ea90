/* chrony.conf rendering: for fixed inputs the text is the golden file in
 * tests/golden/chrony/ (checked by `chronyd -p` in golden-check); it
 * serves the cell network and the VPN subnet on the service address only,
 * falls back to the local stratum, keeps commands on the local socket,
 * and the test fault renders a line chronyd refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "model/config.h"
#include "model/ntp.h"
#include "net/netplan.h"
#include "svc/svc_chrony.h"
#include "golden.h"
#include "common/banned.h"

static char *render(const struct cell_config *c, const struct ntp_settings *ntp, const char *faults)
{
	struct netplan *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	const char *names[] = { "ntp" };
	assert_int_equal(netplan_build(c, "/run/pic-test", names, 1, p), 0);
	struct svc_input in = { .cell = c, .net = netplan_find(p, "ntp"), .ntp = ntp, .faults = faults };
	struct buf b;
	buf_init(&b, GOLDEN_MAX);
	assert_int_equal(svc_chrony_render(&in, &b), 0);
	free(p);
	return buf_steal(&b);
}

static void test_default(void **state)
{
	struct cell_config c;
	struct ntp_settings ntp;
	config_defaults(&c);
	ntp_defaults(&ntp);
	char *text = render(&c, &ntp, NULL);
	golden_check("tests/golden/chrony/default.conf", text);
	assert_non_null(strstr(text, "\nbindaddress 172.20.0.4\n"));
	assert_non_null(strstr(text, "\nallow 172.20.0.0/16\nallow 10.0.0.0/24\n"));
	assert_non_null(strstr(text, "\nlocal stratum 8\n"));
	assert_non_null(strstr(text, "\ncmdport 0\n"));
	assert_non_null(strstr(text, "server 0.debian.pool.ntp.org iburst\n"));
	free(text);
}

static void test_custom(void **state)
{
	struct cell_config c;
	struct ntp_settings ntp = { 0 };
	struct field_error e;
	config_defaults(&c);
	c.ip_range = (struct ipv4_net){ 0xc0a83200u, 27 }; /* 192.168.50.0/27 */
	c.vpn_subnet = (struct ipv4_net){ 0x0a080000u, 24 };
	snprintf(c.cell_name, sizeof(c.cell_name), "home");
	assert_int_equal(ntp_add_server(&ntp, "192.0.2.1", &e), 0);
	assert_int_equal(ntp_add_server(&ntp, "ntp.example.org", &e), 0);
	char *text = render(&c, &ntp, NULL);
	golden_check("tests/golden/chrony/custom.conf", text);
	assert_non_null(strstr(text, "\nbindaddress 192.168.50.4\n"));
	assert_null(strstr(text, "pool.ntp.org"));
	free(text);
}

static void test_no_servers(void **state)
{
	struct cell_config c;
	struct ntp_settings ntp = { 0 };
	config_defaults(&c);
	char *text = render(&c, &ntp, NULL);
	assert_null(strstr(text, "server "));
	assert_non_null(strstr(text, "local stratum 8"));
	free(text);
}

static void test_fault_only_hits_the_named_server(void **state)
{
	struct cell_config c;
	struct ntp_settings ntp = { 0 };
	struct field_error e;
	config_defaults(&c);
	assert_int_equal(ntp_add_server(&ntp, "bad.example", &e), 0);
	assert_int_equal(ntp_add_server(&ntp, "bad.example.org", &e), 0);
	char *text = render(&c, &ntp, "other=1,ntp-reject-server=bad.example");
	assert_non_null(strstr(text, "server_rejected_by_test_fault bad.example\n"));
	assert_non_null(strstr(text, "server bad.example.org iburst\n"));
	free(text);
	text = render(&c, &ntp, NULL);
	assert_null(strstr(text, "rejected"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_custom),
		cmocka_unit_test(test_no_servers),
		cmocka_unit_test(test_fault_only_hits_the_named_server),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
