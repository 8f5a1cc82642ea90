/* unbound.conf and records.d rendering: for fixed inputs the text is
 * the golden file in tests/golden/unbound/ (checked by unbound-checkconf
 * in golden-check). The cell zone is static with every address-plan name
 * (virtual IPs win, services get -svc) and PTRs; reverse zones sit on the
 * enclosing octet boundary; DNSSEC only with the anchor installed; cache
 * split a third / two thirds; upstreams forward first only with recursion;
 * forward zones under built-in local zones are unshadowed the way that
 * works; records.conf single-quotes records and escapes what would end the
 * string, and leaves out LAN host names that are invalid, reserved, taken
 * or repeated; unsafe input is refused rather than rendered. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "model/config.h"
#include "model/dns.h"
#include "net/netplan.h"
#include "svc/svc_unbound.h"
#include "golden.h"
#include "model/vpn_peer.h"
#include "common/banned.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

struct fixture {
	struct cell_config cell;
	struct dns_settings dns;
	struct dns_forward forwards[4];
	size_t n_forwards;
	bool anchor;
	struct vpn_peer peers[3];
	size_t n_peers;
	const struct dkim_key *dkim;
};

static void fixture_defaults(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	config_defaults(&f->cell);
	dns_settings_defaults(&f->dns);
	f->anchor = true;
}

/* The rendered text, or NULL with *ret_r set when rendering fails. */
static char *render_r(const struct fixture *f, int *ret_r)
{
	struct netplan *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	const char *names[] = { "dns" };
	assert_int_equal(netplan_build(&f->cell, "/run/pic-test", names, 1, p), 0);
	struct svc_input in = {
		.cell = &f->cell,
		.plan = p,
		.net = netplan_find(p, "dns"),
		.dns = &f->dns,
		.forwards = f->forwards,
		.n_forwards = f->n_forwards,
		.dnssec_anchor = f->anchor,
		.peers = f->peers,
		.n_peers = f->n_peers,
		.dkim = f->dkim,
		.now = 1000,
	};
	struct buf b;
	buf_init(&b, GOLDEN_MAX);
	*ret_r = svc_unbound_render(&in, &b);
	free(p);
	if (*ret_r < 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static char *render(const struct fixture *f)
{
	int r;
	char *text = render_r(f, &r);
	assert_int_equal(r, 0);
	return text;
}

static void add_forward(struct fixture *f, const char *zone, const char *s1, const char *s2)
{
	struct dns_forward *fw = &f->forwards[f->n_forwards++];
	snprintf(fw->zone, sizeof(fw->zone), "%s", zone);
	snprintf(fw->servers[fw->n_servers++], DNS_ADDR_MAX, "%s", s1);
	if (s2)
		snprintf(fw->servers[fw->n_servers++], DNS_ADDR_MAX, "%s", s2);
}

static void test_default(void **state)
{
	struct fixture f;
	fixture_defaults(&f);
	char *text = render(&f);
	golden_check("tests/golden/unbound/default.conf", text);
	assert_non_null(strstr(text, "\tinterface: 0.0.0.0\n\tport: 53\n"));
	assert_non_null(strstr(text, "\tusername: \"unbound\"\n"));
	assert_non_null(strstr(text, "\tdirectory: \"/run/pic\"\n"));
	assert_non_null(strstr(text, "\taccess-control: 0.0.0.0/0 refuse\n"));
	assert_non_null(strstr(text, "\taccess-control: 172.20.0.0/16 allow\n\taccess-control: 10.0.0.0/24 allow\n"));
	assert_non_null(strstr(text, "\taccess-control: 192.168.0.0/16 allow\n"));
	assert_non_null(strstr(text, "\tmodule-config: \"validator iterator\"\n"
				     "\ttrust-anchor-file: \"/usr/share/dns/root.key\"\n"));
	/* 16 MB: a third and two thirds */
	assert_non_null(strstr(text, "\tmsg-cache-size: 5461k\n\trrset-cache-size: 10922k\n"));
	assert_non_null(strstr(text, "\tlocal-zone: \"mycell.cell.\" static\n"));
	/* the virtual IPs; the services behind them get -svc */
	assert_non_null(strstr(text, "\"webui.mycell.cell. 300 IN A 172.20.0.23\""));
	assert_non_null(strstr(text, "\"webui-svc.mycell.cell. 300 IN A 172.20.0.10\""));
	assert_non_null(strstr(text, "\"files.mycell.cell. 300 IN A 172.20.0.21\""));
	assert_non_null(strstr(text, "\"files-svc.mycell.cell. 300 IN A 172.20.0.9\""));
	assert_non_null(strstr(text, "\"mail-svc.mycell.cell. 300 IN A 172.20.0.7\""));
	assert_non_null(strstr(text, "\"dns.mycell.cell. 300 IN A 172.20.0.2\""));
	assert_non_null(strstr(text, "\"calendar.mycell.cell. 300 IN A 172.20.0.20\""));
	assert_null(strstr(text, "calendar-svc"));
	assert_non_null(strstr(text, "local-data-ptr: \"172.20.0.23 300 webui.mycell.cell.\""));
	assert_non_null(strstr(text, "local-data-ptr: \"172.20.0.10 300 webui-svc.mycell.cell.\""));
	assert_non_null(strstr(text, "\tlocal-zone: \"20.172.in-addr.arpa.\" static\n"));
	assert_non_null(strstr(text, "\tlocal-zone: \"0.0.10.in-addr.arpa.\" static\n"));
	assert_non_null(strstr(text, "\tinclude: \"/run/pic/records.d/*.conf\"\n"));
	/* no upstreams: recursion from the root */
	assert_null(strstr(text, "forward-zone:"));
	assert_non_null(strstr(text, "\tcontrol-interface: \"/run/pic/unbound.ctl\"\n\tcontrol-use-cert: no\n"));
	assert_non_null(strstr(text, "\"" SVC_UNBOUND_PROBE_NAME ". 0 IN A 127.0.0.1\""));
	free(text);
}

/* The text from `from` to `to` (exclusive), or to the end. */
static char *between(const char *text, const char *from, const char *to)
{
	const char *a = strstr(text, from);
	assert_non_null(a);
	const char *b = to ? strstr(a, to) : NULL;
	size_t len = b ? (size_t)(b - a) : strlen(a);
	char *out = malloc(len + 1);
	assert_non_null(out);
	memcpy(out, a, len);
	out[len] = '\0';
	return out;
}

static size_t count(const char *text, const char *s)
{
	size_t n = 0;
	for (const char *p = strstr(text, s); p; p = strstr(p + 1, s))
		n++;
	return n;
}

/* The apex's A is in the views of those who may see it, not in the
 * global zone: cell-clients, attached to exactly the allowed networks,
 * and the view of a peer granted webui. */
static void test_apex_address_in_views(void **state)
{
	struct fixture f;
	fixture_defaults(&f);
	struct field_error e;
	f.peers[0] = (struct vpn_peer){ .address = IP(10, 0, 0, 2), .enabled = true };
	assert_int_equal(vpn_peer_add_service(&f.peers[0], "services", "webui", &e), 0);
	f.peers[1] = (struct vpn_peer){ .address = IP(10, 0, 0, 3), .enabled = true };
	assert_int_equal(vpn_peer_add_service(&f.peers[1], "services", "calendar", &e), 0);
	/* granted webui but disabled: nothing */
	f.peers[2] = (struct vpn_peer){ .address = IP(10, 0, 0, 4), .enabled = false };
	assert_int_equal(vpn_peer_add_service(&f.peers[2], "services", "webui", &e), 0);
	f.n_peers = 3;
	char *text = render(&f);
	const char *apex_a = "\tlocal-data: \"mycell.cell. 300 IN A 172.20.0.23\"\n";
	const char *apex_zone = "\tlocal-zone: \"mycell.cell.\" typetransparent\n";

	char *global = between(text, "server:", "\nview:");
	assert_null(strstr(global, "\"mycell.cell. 300 IN A"));
	assert_null(strstr(global, "'mycell.cell. 300 IN A"));
	assert_non_null(strstr(global, "\tlocal-data: 'mycell.cell. 300 IN NS dns.mycell.cell.'\n"));
	assert_non_null(strstr(global, "\tlocal-data: 'mycell.cell. 300 IN SOA dns.mycell.cell. "));
	assert_non_null(strstr(global, "\tlocal-data: 'mycell.cell. 300 IN MX 10 smtp.mycell.cell.'\n"));
	/* cell-clients for each allowed network, and for nothing else */
	size_t allowed = count(global, " allow\n");
	assert_int_equal(allowed, 6);
	assert_int_equal(count(global, " cell-clients\n"), allowed);
	const char *nets[] = { "127.0.0.0/8", "172.20.0.0/16", "10.0.0.0/24", "10.0.0.0/8", "172.16.0.0/12",
			       "192.168.0.0/16" };
	for (size_t i = 0; i < ARRAY_SIZE(nets); i++) {
		char allow[64], view[64];
		snprintf(allow, sizeof(allow), "\taccess-control: %s allow\n", nets[i]);
		snprintf(view, sizeof(view), "\taccess-control-view: %s cell-clients\n", nets[i]);
		assert_non_null(strstr(global, allow));
		assert_non_null(strstr(global, view));
	}
	assert_null(strstr(global, "0.0.0.0/0 cell-clients"));
	free(global);

	char *clients = between(text, "\nview:\n\tname: \"cell-clients\"\n", "\nview:\n\tname: \"vpn-");
	assert_string_equal(clients, "\nview:\n\tname: \"cell-clients\"\n\tview-first: yes\n"
				      "\tlocal-zone: \"mycell.cell.\" typetransparent\n"
				      "\tlocal-data: \"mycell.cell. 300 IN A 172.20.0.23\"\n");
	free(clients);
	char *webui = between(text, "\tname: \"vpn-10-0-0-2\"\n", "\nview:");
	assert_non_null(strstr(webui, apex_zone));
	assert_non_null(strstr(webui, apex_a));
	assert_null(strstr(webui, "\"webui.mycell.cell.\" always_nxdomain"));
	assert_non_null(strstr(webui, "\"calendar.mycell.cell.\" always_nxdomain"));
	free(webui);
	char *no_webui = between(text, "\tname: \"vpn-10-0-0-3\"\n", "\nview:");
	assert_null(strstr(no_webui, "typetransparent"));
	assert_null(strstr(no_webui, "IN A"));
	assert_non_null(strstr(no_webui, "\"webui.mycell.cell.\" always_nxdomain"));
	free(no_webui);
	char *disabled = between(text, "\tname: \"vpn-10-0-0-4\"\n", "\nview:");
	assert_string_equal(disabled, "\tname: \"vpn-10-0-0-4\"\n\tview-first: yes\n");
	free(disabled);
	/* the apex's A: once for cell-clients, once for 10.0.0.2 */
	assert_int_equal(count(text, apex_a), 2);
	assert_int_equal(count(text, apex_zone), 2);
	free(text);
}

static void test_custom(void **state)
{
	struct fixture f;
	fixture_defaults(&f);
	snprintf(f.cell.cell_name, sizeof(f.cell.cell_name), "Home");
	snprintf(f.cell.domain, sizeof(f.cell.domain), "example.net");
	f.cell.ip_range = (struct ipv4_net){ IP(192, 168, 50, 0), 27 };
	f.cell.vpn_subnet = (struct ipv4_net){ IP(10, 8, 0, 0), 24 };
	f.dns.recursion = false;
	f.dns.cache_mb = 64;
	f.dns.n_upstreams = 3;
	snprintf(f.dns.upstreams[0], DNS_ADDR_MAX, "9.9.9.9");
	snprintf(f.dns.upstreams[1], DNS_ADDR_MAX, "192.0.2.53@5353");
	snprintf(f.dns.upstreams[2], DNS_ADDR_MAX, "2620:fe::fe");
	add_forward(&f, "corp.example", "192.168.1.1", "192.168.1.2@5353");
	add_forward(&f, "lab.test", "10.8.0.9", NULL);
	add_forward(&f, "home.arpa", "192.168.1.1", NULL);
	add_forward(&f, "1.168.192.in-addr.arpa", "192.168.1.1", NULL);
	/* A peer granted the calendar, and one disabled (its view stays empty). */
	struct field_error e;
	f.peers[0] = (struct vpn_peer){ .address = IP(10, 8, 0, 2), .enabled = true };
	assert_int_equal(vpn_peer_add_service(&f.peers[0], "services", "calendar", &e), 0);
	f.peers[1] = (struct vpn_peer){ .address = IP(10, 8, 0, 3), .enabled = false };
	f.n_peers = 2;
	/* The mail service's key: a real RSA-2048 public key's length, so
	 * the TXT data is split into strings of at most 255 bytes. */
	struct dkim_key key = { .selector = "p1765100000" };
	for (size_t i = 0; i < 392; i++)
		key.public_b64[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i % 64];
	f.dkim = &key;
	char *text = render(&f);
	golden_check("tests/golden/unbound/custom.conf", text);
	assert_non_null(strstr(text, "\tlocal-data: 'p1765100000._domainkey.home.example.net. 300 IN TXT \"v=DKIM1; k=rsa; "
				     "p=ABCDEFGH"));
	assert_non_null(strstr(text, "\tlocal-data: '_dmarc.home.example.net. 300 IN TXT \"v=DMARC1; p=quarantine; "
				     "adkim=r; aspf=r\"'\n"));
	assert_non_null(strstr(text, "\taccess-control-view: 10.8.0.2/32 vpn-10-8-0-2\n"));
	assert_null(strstr(text, "10.8.0.1/32")); /* the server's address */
	assert_null(strstr(text, "10.8.0.255/32"));
	assert_non_null(strstr(text, "\nview:\n\tname: \"vpn-10-8-0-2\"\n\tview-first: yes\n"
				     "\tlocal-zone: \"webui.home.example.net.\" always_nxdomain\n"));
	assert_null(strstr(text, "\"calendar.home.example.net.\" always_nxdomain"));
	assert_non_null(strstr(text, "\"files.home.example.net.\" always_nxdomain"));
	assert_non_null(strstr(text, "\nview:\n\tname: \"vpn-10-8-0-3\"\n\tview-first: yes\n\nview:"));
	/* the apex's address follows the zone and ip_range */
	assert_non_null(strstr(text, "\nview:\n\tname: \"cell-clients\"\n\tview-first: yes\n"
				     "\tlocal-zone: \"home.example.net.\" typetransparent\n"
				     "\tlocal-data: \"home.example.net. 300 IN A 192.168.50.23\"\n"));
	assert_non_null(strstr(text, "\taccess-control-view: 192.168.50.0/27 cell-clients\n"));
	/* the zone is lower case */
	assert_non_null(strstr(text, "\tlocal-zone: \"home.example.net.\" static\n"));
	assert_non_null(strstr(text, "\tinterface: 0.0.0.0\n"));
	/* a /27 network: the /24 reverse zone */
	assert_non_null(strstr(text, "\tlocal-zone: \"50.168.192.in-addr.arpa.\" static\n"));
	assert_non_null(strstr(text, "\tlocal-zone: \"0.8.10.in-addr.arpa.\" static\n"));
	assert_non_null(strstr(text, "\taccess-control: 192.168.50.0/27 allow\n"));
	assert_non_null(strstr(text, "\tmsg-cache-size: 21845k\n\trrset-cache-size: 43690k\n"));
	assert_non_null(strstr(text, "\nforward-zone:\n\tname: \".\"\n\tforward-addr: 9.9.9.9\n"
				     "\tforward-addr: 192.0.2.53@5353\n\tforward-addr: 2620:fe::fe\n"
				     "\tforward-first: no\n"));
	assert_non_null(strstr(text, "\nforward-zone:\n\tname: \"corp.example.\"\n\tforward-addr: 192.168.1.1\n"
				     "\tforward-addr: 192.168.1.2@5353\n"));
	/* unshadowing: nodefault for a built-in zone itself, transparent inside one */
	assert_null(strstr(text, "\"corp.example.\" nodefault"));
	assert_null(strstr(text, "\"corp.example.\" transparent"));
	assert_non_null(strstr(text, "\tlocal-zone: \"lab.test.\" transparent\n"));
	assert_non_null(strstr(text, "\tlocal-zone: \"home.arpa.\" nodefault\n"));
	assert_non_null(strstr(text, "\tlocal-zone: \"1.168.192.in-addr.arpa.\" transparent\n"));
	assert_non_null(strstr(text, "\tdomain-insecure: \"corp.example.\"\n"));
	free(text);
}

static void test_no_anchor_no_validation(void **state)
{
	struct fixture f;
	fixture_defaults(&f);
	f.anchor = false;
	add_forward(&f, "corp.example", "192.168.1.1", NULL);
	char *text = render(&f);
	assert_non_null(strstr(text, "\tmodule-config: \"iterator\"\n"));
	assert_null(strstr(text, "trust-anchor-file"));
	assert_null(strstr(text, "domain-insecure"));
	free(text);

	fixture_defaults(&f);
	f.dns.dnssec = false;
	text = render(&f);
	assert_non_null(strstr(text, "\tmodule-config: \"iterator\"\n"));
	free(text);
}

static void test_upstreams_with_recursion(void **state)
{
	struct fixture f;
	fixture_defaults(&f);
	f.dns.n_upstreams = 1;
	snprintf(f.dns.upstreams[0], DNS_ADDR_MAX, "1.1.1.1");
	char *text = render(&f);
	assert_non_null(strstr(text, "\tforward-addr: 1.1.1.1\n\tforward-first: yes\n"));
	free(text);
}

static void test_lan_outside_private_ranges(void **state)
{
	struct fixture f;
	fixture_defaults(&f);
	struct lan_info lan = { .present = true, .net = { IP(100, 64, 7, 0), 24 }, .addr = IP(100, 64, 7, 1) };
	struct netplan *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	const char *names[] = { "dns" };
	assert_int_equal(netplan_build(&f.cell, "/run/pic-test", names, 1, p), 0);
	struct svc_input in = { .cell = &f.cell, .plan = p, .net = netplan_find(p, "dns"), .dns = &f.dns,
				.lan = &lan, .dnssec_anchor = true };
	struct buf b;
	buf_init(&b, GOLDEN_MAX);
	assert_int_equal(svc_unbound_render(&in, &b), 0);
	assert_non_null(strstr(b.data, "\taccess-control: 100.64.7.0/24 allow\n"));
	assert_non_null(strstr(b.data, "\taccess-control-view: 100.64.7.0/24 cell-clients\n"));
	buf_free(&b);
	/* a private LAN is already allowed: no extra line */
	lan.net = (struct ipv4_net){ IP(192, 168, 1, 0), 24 };
	buf_init(&b, GOLDEN_MAX);
	assert_int_equal(svc_unbound_render(&in, &b), 0);
	assert_null(strstr(b.data, "192.168.1.0/24"));
	buf_free(&b);
	free(p);
}

static void test_reverse_zone_boundaries(void **state)
{
	struct fixture f;
	fixture_defaults(&f);
	f.cell.ip_range = (struct ipv4_net){ IP(172, 21, 64, 0), 18 };
	f.cell.vpn_subnet = (struct ipv4_net){ IP(172, 21, 200, 0), 30 };
	char *text = render(&f);
	assert_non_null(strstr(text, "\tlocal-zone: \"21.172.in-addr.arpa.\" static\n"));
	assert_non_null(strstr(text, "\tlocal-zone: \"200.21.172.in-addr.arpa.\" static\n"));
	free(text);

	/* both networks in one /24: the zone once */
	fixture_defaults(&f);
	f.cell.ip_range = (struct ipv4_net){ IP(10, 9, 9, 0), 27 };
	f.cell.vpn_subnet = (struct ipv4_net){ IP(10, 9, 9, 128), 27 };
	text = render(&f);
	const char *zone = "\tlocal-zone: \"9.9.10.in-addr.arpa.\" static\n";
	const char *first = strstr(text, zone);
	assert_non_null(first);
	assert_null(strstr(first + 1, zone));
	/* and a network that is one of the private ranges is not allowed twice */
	free(text);
	fixture_defaults(&f);
	f.cell.ip_range = (struct ipv4_net){ IP(192, 168, 0, 0), 16 };
	text = render(&f);
	first = strstr(text, "access-control: 192.168.0.0/16 allow");
	assert_non_null(first);
	assert_null(strstr(first + 1, "access-control: 192.168.0.0/16 allow"));
	free(text);
}

static void test_unsafe_input_refused(void **state)
{
	struct fixture f;
	int r;
	fixture_defaults(&f);
	f.dns.n_upstreams = 1;
	snprintf(f.dns.upstreams[0], DNS_ADDR_MAX, "1.1.1.1\"\ninclude: \"/etc/x");
	assert_null(render_r(&f, &r));
	assert_int_equal(r, -EINVAL);

	fixture_defaults(&f);
	add_forward(&f, "corp\".example", "192.168.1.1", NULL);
	assert_null(render_r(&f, &r));
	assert_int_equal(r, -EINVAL);

	fixture_defaults(&f);
	add_forward(&f, "corp.example", "192.168.1.1 x", NULL);
	assert_null(render_r(&f, &r));
	assert_int_equal(r, -EINVAL);

	fixture_defaults(&f);
	snprintf(f.cell.cell_name, sizeof(f.cell.cell_name), "a\"b");
	assert_null(render_r(&f, &r));
	assert_int_equal(r, -EINVAL);
}

static void test_shadowed(void **state)
{
	assert_int_equal(svc_unbound_shadowed("test"), SVC_UNBOUND_SHADOWED);
	assert_int_equal(svc_unbound_shadowed("test."), SVC_UNBOUND_SHADOWED);
	assert_int_equal(svc_unbound_shadowed("lab.test"), SVC_UNBOUND_SHADOWED_UNDER);
	assert_int_equal(svc_unbound_shadowed("a.b.invalid."), SVC_UNBOUND_SHADOWED_UNDER);
	assert_int_equal(svc_unbound_shadowed("local"), SVC_UNBOUND_SHADOWED);
	assert_int_equal(svc_unbound_shadowed("localhost"), SVC_UNBOUND_SHADOWED);
	assert_int_equal(svc_unbound_shadowed("onion"), SVC_UNBOUND_SHADOWED);
	assert_int_equal(svc_unbound_shadowed("x.home.arpa"), SVC_UNBOUND_SHADOWED_UNDER);
	assert_int_equal(svc_unbound_shadowed("16.172.in-addr.arpa"), SVC_UNBOUND_SHADOWED);
	assert_int_equal(svc_unbound_shadowed("5.31.172.in-addr.arpa"), SVC_UNBOUND_SHADOWED_UNDER);
	assert_int_equal(svc_unbound_shadowed("64.100.in-addr.arpa"), SVC_UNBOUND_SHADOWED);
	assert_int_equal(svc_unbound_shadowed("3.127.100.in-addr.arpa"), SVC_UNBOUND_SHADOWED_UNDER);
	assert_int_equal(svc_unbound_shadowed("15.172.in-addr.arpa"), SVC_UNBOUND_NOT_SHADOWED);
	assert_int_equal(svc_unbound_shadowed("32.172.in-addr.arpa"), SVC_UNBOUND_NOT_SHADOWED);
	assert_int_equal(svc_unbound_shadowed("contest"), SVC_UNBOUND_NOT_SHADOWED);
	assert_int_equal(svc_unbound_shadowed("test.example"), SVC_UNBOUND_NOT_SHADOWED);
	assert_int_equal(svc_unbound_shadowed("corp.example"), SVC_UNBOUND_NOT_SHADOWED);
	assert_int_equal(svc_unbound_shadowed("arpa"), SVC_UNBOUND_NOT_SHADOWED);
}

static void test_rr_escape(void **state)
{
	char out[64];
	assert_int_equal(svc_unbound_rr_escape("a.z. 60 IN TXT \"it's\"", out, sizeof(out)), 0);
	assert_string_equal(out, "a.z. 60 IN TXT \"it\\039s\"");
	assert_int_equal(svc_unbound_rr_escape("\"a\nb\tc\x7f\"", out, sizeof(out)), 0);
	assert_string_equal(out, "\"a\\010b\\009c\\127\"");
	/* UTF-8 and escapes dns_record_rr made stay as they are */
	assert_int_equal(svc_unbound_rr_escape("\"caf\xc3\xa9 \\\" \\\\\"", out, sizeof(out)), 0);
	assert_string_equal(out, "\"caf\xc3\xa9 \\\" \\\\\"");
	/* exact fit, one short */
	assert_int_equal(svc_unbound_rr_escape("'", out, 5), 0);
	assert_int_equal(svc_unbound_rr_escape("'", out, 4), -ENOBUFS);
	assert_int_equal(svc_unbound_rr_escape("abc", out, 4), 0);
	assert_int_equal(svc_unbound_rr_escape("abc", out, 3), -ENOBUFS);
}

static void test_apex_rrs(void **state)
{
	struct cell_config c;
	char rrs[SVC_UNBOUND_APEX_RRS][SVC_UNBOUND_APEX_RR_MAX];
	config_defaults(&c);
	assert_int_equal(svc_unbound_apex_rrs(&c, rrs), 0);
	assert_string_equal(rrs[0], "mycell.cell. 300 IN SOA dns.mycell.cell. hostmaster.mycell.cell. 1 3600 900 604800 60");
	assert_string_equal(rrs[1], "mycell.cell. 300 IN NS dns.mycell.cell.");
	struct svc_unbound_apex_a a;
	assert_int_equal(svc_unbound_apex_a(&c, &a), 0);
	assert_string_equal(a.zone, "mycell.cell");
	assert_string_equal(a.rr, "mycell.cell. 300 IN A 172.20.0.23");
	snprintf(c.cell_name, sizeof(c.cell_name), "a\"b");
	assert_int_equal(svc_unbound_apex_a(&c, &a), -EINVAL);
}

static struct dns_record record(const char *name, enum dns_type type, uint32_t ttl, const char *value)
{
	struct dns_record r = { .type = type, .ttl = ttl };
	snprintf(r.name, sizeof(r.name), "%s", name);
	snprintf(r.value, sizeof(r.value), "%s", value);
	return r;
}

static struct dns_host host(const char *name, uint32_t ip)
{
	struct dns_host h = { .ip = ip };
	snprintf(h.hostname, sizeof(h.hostname), "%s", name);
	return h;
}

/* The auth zone's file: SOA and NS, then the given RRs of the zone only
 * (not its apex's SOA/NS again, not PTRs), escaped as in the records. */
static void test_auth_zone(void **state)
{
	const char *rrs[] = {
		"fixed.mycell.cell. 3600 IN A 192.0.2.99",
		"fixed.mycell.cell. 3600 IN TXT \"it's\ta \\\"test\\\"\"",
		"mycell.cell. 300 IN SOA dns.mycell.cell. hostmaster.mycell.cell. 1 3600 900 604800 60",
		"mycell.cell. 300 IN NS dns.mycell.cell.",
		"mycell.cell. 3600 IN MX 10 mail.mycell.cell.",
		"50.1.168.192.in-addr.arpa. 300 IN PTR laptop.mycell.cell.",
		"othercell.cell. 300 IN A 192.0.2.1",
	};
	struct buf b;
	buf_init(&b, GOLDEN_MAX);
	assert_int_equal(svc_unbound_auth_zone("mycell.cell", rrs, ARRAY_SIZE(rrs), &b), 0);
	golden_check("tests/golden/unbound/cell.zone", b.data);
	const char *t = b.data;
	assert_non_null(strstr(t, "\nmycell.cell. 300 IN SOA dns.mycell.cell. hostmaster.mycell.cell. 1 3600 900 604800 60\n"));
	assert_null(strstr(strstr(t, " IN SOA ") + 1, " IN SOA "));
	assert_null(strstr(strstr(t, " IN NS ") + 1, " IN NS "));
	assert_non_null(strstr(t, "\nfixed.mycell.cell. 3600 IN TXT \"it\\039s\\009a \\\"test\\\"\"\n"));
	assert_non_null(strstr(t, "\nmycell.cell. 3600 IN MX 10 mail.mycell.cell.\n"));
	assert_null(strstr(t, "in-addr.arpa"));
	assert_null(strstr(t, "othercell"));
	buf_free(&b);
	buf_init(&b, GOLDEN_MAX);
	assert_int_equal(svc_unbound_auth_zone("my\"cell", NULL, 0, &b), -EINVAL);
	buf_free(&b);
}

static void test_part_names(void **state)
{
	char name[SVC_UNBOUND_PART_NAME_MAX];
	int64_t first;
	assert_int_equal(svc_unbound_part_name(1, name, &first), 0);
	assert_string_equal(name, "r0.conf");
	assert_int_equal(first, 0);
	assert_int_equal(svc_unbound_part_name(SVC_UNBOUND_PART_IDS * 3 + 5, name, &first), 0);
	assert_string_equal(name, "r3.conf");
	assert_int_equal(first, SVC_UNBOUND_PART_IDS * 3);
	assert_int_equal(svc_unbound_part_name(0, name, &first), -EINVAL);
	assert_true(svc_unbound_is_part_name("r0.conf"));
	assert_true(svc_unbound_is_part_name("r390.conf"));
	assert_false(svc_unbound_is_part_name("hosts.conf"));
	assert_false(svc_unbound_is_part_name("r.conf"));
	assert_false(svc_unbound_is_part_name("r1.conf.tmp"));
}

static void test_records(void **state)
{
	struct dns_record rec[10];
	size_t n = 0;
	rec[n++] = record("www.mycell.cell", DNS_A, 3600, "192.0.2.10");
	rec[n++] = record("www.mycell.cell", DNS_AAAA, 3600, "2001:db8::10");
	rec[n++] = record("blog.mycell.cell", DNS_CNAME, 600, "www.mycell.cell");
	rec[n] = record("mycell.cell", DNS_MX, 3600, "mail.mycell.cell");
	rec[n++].priority = 10;
	rec[n++] = record("mycell.cell", DNS_TXT, 3600, "v=spf1 mx -all");
	/* quotes, a single quote, a backslash, a hash, a tab, UTF-8; and
	 * longer than one 255-byte string */
	char text[400];
	int len = snprintf(text, sizeof(text), "say \"hi\" it's a \\ back # not a comment\tcaf\xc3\xa9 ");
	memset(text + len, 'x', 300);
	text[len + 300] = '\0';
	rec[n++] = record("note.mycell.cell", DNS_TXT, 300, text);
	rec[n] = record("_sip._tcp.mycell.cell", DNS_SRV, 3600, "sip.example.org");
	rec[n].priority = 10, rec[n].weight = 60, rec[n++].port = 5060;
	rec[n] = record("mycell.cell", DNS_CAA, 3600, "letsencrypt.org");
	snprintf(rec[n].tag, sizeof(rec[n].tag), "issue");
	n++;

	struct dns_host hosts[] = {
		host("laptop", IP(192, 168, 1, 50)),
		host("Phone", IP(192, 168, 1, 51)),   /* published lower case */
		host("bad_name", IP(192, 168, 1, 52)), /* not a label */
		host("webui", IP(192, 168, 1, 53)),    /* the address plan's */
		host("dns-svc", IP(192, 168, 1, 54)),  /* likewise */
		host("www", IP(192, 168, 1, 55)),      /* a record's */
		host("laptop", IP(192, 168, 1, 56)),   /* repeated */
		host("printer", IP(192, 168, 1, 50)),  /* the laptop's address: no PTR */
		host("-x", IP(192, 168, 1, 57)),
		host("zero", 0),
	};
	struct buf b;
	buf_init(&b, GOLDEN_MAX);
	assert_int_equal(svc_unbound_render_records("mycell.cell", rec, n, hosts, ARRAY_SIZE(hosts), &b), 0);
	golden_check("tests/golden/unbound/records.conf", b.data);
	const char *t = b.data;
	assert_non_null(strstr(t, "\nserver:\n"));
	assert_non_null(strstr(t, "\tlocal-data: 'www.mycell.cell. 3600 IN A 192.0.2.10'\n"));
	assert_non_null(strstr(t, "\tlocal-data: 'note.mycell.cell. 300 IN TXT \"say \\\"hi\\\" it\\039s a \\\\ back "
				  "# not a comment\\009caf\xc3\xa9 xxx"));
	assert_non_null(strstr(t, "\tlocal-data: \"laptop.mycell.cell. 300 IN A 192.168.1.50\"\n"
				  "\tlocal-data-ptr: \"192.168.1.50 300 laptop.mycell.cell.\"\n"));
	assert_non_null(strstr(t, "\"phone.mycell.cell. 300 IN A 192.168.1.51\""));
	assert_non_null(strstr(t, "\tlocal-data: \"printer.mycell.cell. 300 IN A 192.168.1.50\"\n"));
	assert_null(strstr(t, "printer.mycell.cell.\"\n"));
	assert_null(strstr(t, "bad_name"));
	assert_null(strstr(t, "192.168.1.53"));
	assert_null(strstr(t, "192.168.1.54"));
	assert_null(strstr(t, "192.168.1.55"));
	assert_null(strstr(t, "192.168.1.56"));
	assert_null(strstr(t, "192.168.1.57"));
	assert_null(strstr(t, "zero"));
	buf_free(&b);

	/* nothing at all: still a valid file */
	buf_init(&b, GOLDEN_MAX);
	assert_int_equal(svc_unbound_render_records("mycell.cell", NULL, 0, NULL, 0, &b), 0);
	assert_non_null(strstr(b.data, "\nserver:\n"));
	buf_free(&b);
	buf_init(&b, GOLDEN_MAX);
	assert_int_equal(svc_unbound_render_records("my'cell", NULL, 0, NULL, 0, &b), -EINVAL);
	buf_free(&b);
}

static void test_ops(void **state)
{
	const struct svc_ops *o = &svc_unbound_ops;
	assert_string_equal(o->name, "dns");
	assert_string_equal(o->daemon, "unbound");
	assert_string_equal(o->package, "unbound");
	assert_string_equal(o->binary, "/usr/sbin/unbound");
	assert_string_equal(o->config_file, "unbound.conf");
	assert_string_equal(o->user, "unbound");
	assert_string_equal(o->run_argv[0], o->binary);
	assert_string_equal(o->run_argv[1], "-d");
	assert_string_equal(o->run_argv[3], "/run/pic/unbound.conf");
	assert_null(o->run_argv[4]);
	assert_string_equal(o->check_argv[0], "/usr/sbin/unbound-checkconf");
	assert_string_equal(o->check_argv[1], "/run/pic/unbound.conf.new");
	assert_null(o->check_argv[2]);
	assert_int_equal(o->reload, SVC_RELOAD_SIGHUP);
	assert_int_equal(o->dir_mode, 0755);
	assert_false(o->user_owns_dir);
	assert_false(o->host_network);
	assert_null(o->enabled);
	assert_ptr_equal(o->render, svc_unbound_render);
	assert_non_null(o->probe_send);
	assert_non_null(o->probe_check);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_apex_address_in_views),
		cmocka_unit_test(test_custom),
		cmocka_unit_test(test_no_anchor_no_validation),
		cmocka_unit_test(test_upstreams_with_recursion),
		cmocka_unit_test(test_lan_outside_private_ranges),
		cmocka_unit_test(test_reverse_zone_boundaries),
		cmocka_unit_test(test_unsafe_input_refused),
		cmocka_unit_test(test_shadowed),
		cmocka_unit_test(test_rr_escape),
		cmocka_unit_test(test_apex_rrs),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_auth_zone),
		cmocka_unit_test(test_part_names),
		cmocka_unit_test(test_ops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
