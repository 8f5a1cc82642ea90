/* dnsmasq.conf rendering: for fixed inputs the text is the golden file in
 * tests/golden/dnsmasq/ (checked by `dnsmasq --test` in golden-check). It
 * is DHCP only, bound to the LAN interface, announces the host as DNS and
 * NTP server and the gateway only when one is set (an empty router option
 * otherwise); it refuses to render settings that no longer fit the LAN.
 * Also the hosts.d lines and file names, and the service's description. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "common/buf.h"
#include "model/config.h"
#include "model/dhcp.h"
#include "svc/svc_dnsmasq.h"
#include "golden.h"
#include "common/banned.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

struct fixture {
	struct cell_config cell;
	struct dhcp_settings dhcp;
	struct lan_info lan;
	struct svc_input in;
};

/* LAN 192.168.77.0/24 on lan0, the host at .1, lending .100-.199 for 12 h,
 * the host as gateway. */
static void fixture_init(struct fixture *f)
{
	config_defaults(&f->cell);
	snprintf(f->cell.cell_name, sizeof(f->cell.cell_name), "home");
	snprintf(f->cell.domain, sizeof(f->cell.domain), "example.net");
	f->dhcp = (struct dhcp_settings){
		.enabled = true,
		.interface = "lan0",
		.range_start = IP(192, 168, 77, 100),
		.range_end = IP(192, 168, 77, 199),
		.lease_s = DHCP_LEASE_DEFAULT_S,
		.gateway = IP(192, 168, 77, 1),
	};
	f->lan = (struct lan_info){
		.present = true,
		.interface = "lan0",
		.net = { IP(192, 168, 77, 0), 24 },
		.addr = IP(192, 168, 77, 1),
	};
	f->in = (struct svc_input){ .cell = &f->cell, .dhcp = &f->dhcp, .lan = &f->lan };
}

static char *render(const struct fixture *f)
{
	struct buf b;
	buf_init(&b, GOLDEN_MAX);
	int r = svc_dnsmasq_render(&f->in, &b);
	if (r < 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static void test_default(void **state)
{
	struct fixture f;
	fixture_init(&f);
	char *text = render(&f);
	assert_non_null(text);
	golden_check("tests/golden/dnsmasq/default.conf", text);
	assert_non_null(strstr(text, "\nport=0\n"));
	assert_non_null(strstr(text, "\ninterface=lan0\nbind-interfaces\nexcept-interface=lo\n"));
	assert_non_null(strstr(text, "\ndhcp-range=192.168.77.100,192.168.77.199,255.255.255.0,43200s\n"));
	assert_non_null(strstr(text, "\ndhcp-lease-max=254\n"));
	assert_non_null(strstr(text, "\nno-ping\n"));
	assert_non_null(strstr(text, "\ndhcp-leasefile=/run/pic/dnsmasq.leases\n"));
	assert_non_null(strstr(text, "\ndhcp-hostsdir=/run/pic/hosts.d\n"));
	assert_non_null(strstr(text, "\npid-file=\n"));
	assert_non_null(strstr(text, "\nlog-facility=-\n"));
	assert_non_null(strstr(text, "\ndhcp-option=option:router,192.168.77.1\n"));
	assert_non_null(strstr(text, "\ndhcp-option=option:dns-server,192.168.77.1\n"));
	assert_non_null(strstr(text, "\ndhcp-option=option:ntp-server,192.168.77.1\n"));
	assert_non_null(strstr(text, "\ndhcp-option=option:domain-name,home.example.net\n"));
	assert_non_null(strstr(text, "\ndhcp-option=option:domain-search,home.example.net\n"));
	free(text);
}

static void test_no_gateway(void **state)
{
	struct fixture f;
	fixture_init(&f);
	f.dhcp.gateway = 0;
	f.dhcp.lease_s = 3600;
	/* A /16 LAN, the host at its top. */
	f.lan.net = (struct ipv4_net){ IP(10, 20, 0, 0), 16 };
	f.lan.addr = IP(10, 20, 255, 254);
	f.dhcp.range_start = IP(10, 20, 1, 0);
	f.dhcp.range_end = IP(10, 20, 8, 255);
	snprintf(f.dhcp.interface, sizeof(f.dhcp.interface), "enp3s0.20");
	snprintf(f.lan.interface, sizeof(f.lan.interface), "enp3s0.20");
	char *text = render(&f);
	assert_non_null(text);
	golden_check("tests/golden/dnsmasq/no-gateway.conf", text);
	assert_non_null(strstr(text, "\ndhcp-option=option:router\n"));
	assert_null(strstr(text, "option:router,"));
	assert_non_null(strstr(text, "\ninterface=enp3s0.20\n"));
	assert_non_null(strstr(text, "\ndhcp-range=10.20.1.0,10.20.8.255,255.255.0.0,3600s\n"));
	assert_non_null(strstr(text, "\ndhcp-lease-max=65534\n"));
	assert_non_null(strstr(text, "\ndhcp-option=option:dns-server,10.20.255.254\n"));
	free(text);
}

static void test_deterministic(void **state)
{
	struct fixture f;
	fixture_init(&f);
	char *a = render(&f), *b = render(&f);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_refuses(void **state)
{
	struct fixture f;
	struct buf b;
	buf_init(&b, GOLDEN_MAX);

	/* Not enabled, in each way. */
	fixture_init(&f);
	f.dhcp.enabled = false;
	assert_false(svc_dnsmasq_enabled(&f.in));
	assert_int_equal(svc_dnsmasq_render(&f.in, &b), -EINVAL);
	fixture_init(&f);
	f.lan.present = false;
	assert_false(svc_dnsmasq_enabled(&f.in));
	assert_int_equal(svc_dnsmasq_render(&f.in, &b), -EINVAL);
	fixture_init(&f);
	f.in.lan = NULL;
	assert_false(svc_dnsmasq_enabled(&f.in));
	fixture_init(&f);
	f.in.dhcp = NULL;
	assert_false(svc_dnsmasq_enabled(&f.in));
	fixture_init(&f);
	assert_true(svc_dnsmasq_enabled(&f.in));

	/* The LAN moved under the settings. */
	f.lan.net = (struct ipv4_net){ IP(192, 168, 1, 0), 24 };
	f.lan.addr = IP(192, 168, 1, 1);
	assert_int_equal(svc_dnsmasq_render(&f.in, &b), -EINVAL);
	/* The host's address now inside the range. */
	fixture_init(&f);
	f.lan.addr = IP(192, 168, 77, 150);
	assert_int_equal(svc_dnsmasq_render(&f.in, &b), -EINVAL);
	/* The LAN is another interface than the one configured. */
	fixture_init(&f);
	snprintf(f.lan.interface, sizeof(f.lan.interface), "eth1");
	assert_int_equal(svc_dnsmasq_render(&f.in, &b), -EINVAL);
	/* An interface name that would break the file. */
	fixture_init(&f);
	snprintf(f.dhcp.interface, sizeof(f.dhcp.interface), "lan0\nport=53");
	snprintf(f.lan.interface, sizeof(f.lan.interface), "lan0\nport=53");
	assert_int_equal(svc_dnsmasq_render(&f.in, &b), -EINVAL);
	assert_int_equal(b.len, 0);
	buf_free(&b);

	/* Out of room. */
	fixture_init(&f);
	buf_init(&b, 64);
	assert_int_equal(svc_dnsmasq_render(&f.in, &b), -E2BIG);
	buf_free(&b);
}

static void test_host_line(void **state)
{
	struct dhcp_reservation r = { .ip = IP(192, 168, 77, 50) };
	assert_int_equal(dhcp_mac_parse("AA-BB-CC-DD-EE-FF", r.mac), 0);
	snprintf(r.hostname, sizeof(r.hostname), "printer");
	char line[SVC_DNSMASQ_HOST_LINE_MAX];
	assert_int_equal(svc_dnsmasq_host_line(&r, line, sizeof(line)), 0);
	assert_string_equal(line, "aa:bb:cc:dd:ee:ff,192.168.77.50,printer\n");

	r.hostname[0] = '\0';
	assert_int_equal(svc_dnsmasq_host_line(&r, line, sizeof(line)), 0);
	assert_string_equal(line, "aa:bb:cc:dd:ee:ff,192.168.77.50\n");

	/* The longest line fits the declared maximum, and one byte less does not. */
	r.ip = IP(255, 255, 255, 254);
	memset(r.hostname, 'a', DHCP_HOSTNAME_MAX);
	r.hostname[DHCP_HOSTNAME_MAX] = '\0';
	assert_int_equal(svc_dnsmasq_host_line(&r, line, sizeof(line)), 0);
	assert_int_equal(strlen(line), SVC_DNSMASQ_HOST_LINE_MAX - 1);
	assert_int_equal(svc_dnsmasq_host_line(&r, line, sizeof(line) - 1), -ENOBUFS);

	/* Nothing unchecked reaches the file. */
	snprintf(r.hostname, sizeof(r.hostname), "a,set:x");
	assert_int_equal(svc_dnsmasq_host_line(&r, line, sizeof(line)), -EINVAL);
	snprintf(r.hostname, sizeof(r.hostname), "p\nq");
	assert_int_equal(svc_dnsmasq_host_line(&r, line, sizeof(line)), -EINVAL);
	r.hostname[0] = '\0';
	r.mac[0] = 0x01;
	assert_int_equal(svc_dnsmasq_host_line(&r, line, sizeof(line)), -EINVAL);
}

static void test_host_file_name(void **state)
{
	uint8_t mac[6];
	assert_int_equal(dhcp_mac_parse("AA:BB:CC:0D:EE:F0", mac), 0);
	char name[SVC_DNSMASQ_HOST_FILE_NAME_MAX];
	assert_int_equal(svc_dnsmasq_host_file_name(mac, name, sizeof(name)), 0);
	assert_string_equal(name, "aa-bb-cc-0d-ee-f0");
	/* dnsmasq skips names starting with '.', so a real name must not. */
	assert_true(name[0] != '.');
	assert_int_equal(svc_dnsmasq_host_file_name(mac, name, sizeof(name) - 1), -ENOBUFS);
}

static void test_ops(void **state)
{
	const struct svc_ops *o = &svc_dnsmasq_ops;
	assert_string_equal(o->name, "dhcp");
	assert_string_equal(o->daemon, "dnsmasq");
	assert_string_equal(o->package, "dnsmasq-base");
	assert_string_equal(o->binary, "/usr/sbin/dnsmasq");
	assert_string_equal(o->config_file, "dnsmasq.conf");
	assert_string_equal(o->user, "nobody");
	assert_string_equal(o->run_argv[0], o->binary);
	assert_string_equal(o->run_argv[1], "--keep-in-foreground");
	assert_string_equal(o->run_argv[2], "--conf-file=/run/pic/dnsmasq.conf");
	assert_null(o->run_argv[3]);
	assert_string_equal(o->check_argv[0], o->binary);
	assert_string_equal(o->check_argv[1], "--test");
	assert_string_equal(o->check_argv[2], "--conf-file=/run/pic/dnsmasq.conf.new");
	assert_null(o->check_argv[3]);
	assert_int_equal(o->reload, SVC_RELOAD_RESTART);
	assert_true(o->host_network);
	assert_ptr_equal(o->enabled, svc_dnsmasq_enabled);
	assert_ptr_equal(o->render, svc_dnsmasq_render);
	assert_null(o->probe_send);
	assert_null(o->probe_check);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_no_gateway),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_refuses),
		cmocka_unit_test(test_host_line),
		cmocka_unit_test(test_host_file_name),
		cmocka_unit_test(test_ops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
