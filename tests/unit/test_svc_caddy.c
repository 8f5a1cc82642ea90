/* caddy.json rendering: for fixed inputs the text is the golden file in
 * tests/golden/caddy/ (checked by `caddy validate` in golden-check). The
 * structure is also checked here, parsed back with jansson: the admin
 * block, TLS from files only with automatic HTTPS off, every virtual IP on
 * 443 and 80, headers first, /ca.crt, one route per host (proxy or 503),
 * 404 last, the 308 redirect; and input that would reach caddy as a
 * placeholder or a bad name is refused. Also the svc_ops entry and its
 * render from svc_input. */
#include <errno.h>
#include <jansson.h>
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
#include "net/netplan.h"
#include "svc/svc_caddy.h"
#include "golden.h"
#include "common/banned.h"

#define ZONE "mycell.cell"
#define RANGE ((struct ipv4_net){ 0xac140000u, 16 }) /* 172.20.0.0/16 */

static char *render_routes(const struct caddy_route *routes, size_t n)
{
	struct caddy_input in = { .zone = ZONE, .ip_range = RANGE, .routes = routes, .n_routes = n,
				  .verify_from = RANGE.addr + 1 };
	struct buf b;
	buf_init(&b, GOLDEN_MAX);
	assert_int_equal(svc_caddy_render(&in, &b), 0);
	return buf_steal(&b);
}

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *doc = json_loads(text, 0, &e);
	if (!doc)
		fail_msg("rendered JSON does not parse: %s (line %d)", e.text, e.line);
	return doc;
}

/* The value at a path of object keys and array indices ("apps", "http",
 * ...; an index as "#3"). */
static json_t *at(json_t *doc, ...)
{
	va_list ap;
	va_start(ap, doc);
	json_t *j = doc;
	for (const char *k; j && (k = va_arg(ap, const char *));)
		j = k[0] == '#' ? json_array_get(j, strtoul(k + 1, NULL, 10)) : json_object_get(j, k);
	va_end(ap);
	return j;
}

static const char *string_or_none(json_t *j)
{
	const char *s = json_string_value(j);
	return s ? s : "(none)";
}
/* The string at a path: str_at(doc, "admin", "listen"). */
#define str_at(...) string_or_none(at(__VA_ARGS__, NULL))

static json_t *server(json_t *doc, const char *name)
{
	json_t *s = at(doc, "apps", "http", "servers", name, NULL);
	assert_non_null(s);
	return s;
}

static const char *const vips[] = { "webui", "calendar", "files", "mail" };
static const char *const vip_addrs[] = { "172.20.0.23", "172.20.0.20", "172.20.0.21", "172.20.0.22" };
static const char *const hosts[] = { ZONE, "calendar." ZONE, "files." ZONE, "mail." ZONE };

/* The HTTPS server of the i-th default route. */
static json_t *https_server(json_t *doc, size_t i)
{
	char name[32];
	snprintf(name, sizeof(name), "https-%s", vips[i]);
	return server(doc, name);
}

static void assert_headers_first(json_t *srv)
{
	json_t *h = at(srv, "routes", "#0", NULL);
	assert_null(json_object_get(h, "match"));
	assert_int_equal(json_array_size(json_object_get(h, "handle")), 2);
	assert_string_equal(str_at(h, "handle", "#0", "handler"), "headers");
	assert_true(json_is_true(at(h, "handle", "#0", "response", "deferred", NULL)));
	json_t *set = at(h, "handle", "#0", "response", "set", NULL);
	assert_int_equal(json_object_size(set), 3);
	assert_string_equal(str_at(set, "Strict-Transport-Security", "#0"), "max-age=31536000");
	assert_string_equal(str_at(set, "X-Content-Type-Options", "#0"), "nosniff");
	assert_string_equal(str_at(set, "Referrer-Policy", "#0"), "same-origin");
	/* The CSP only if the upstream sent none (a null value: absent). */
	assert_string_equal(str_at(h, "handle", "#1", "handler"), "headers");
	assert_true(json_is_true(at(h, "handle", "#1", "response", "deferred", NULL)));
	assert_true(json_is_null(at(h, "handle", "#1", "response", "require", "headers", "Content-Security-Policy", NULL)));
	assert_string_equal(str_at(h, "handle", "#1", "response", "set", "Content-Security-Policy", "#0"),
			    "frame-ancestors 'self'");
}

static void assert_common(json_t *doc)
{
	assert_string_equal(str_at(doc, "admin", "listen"),
			    "unix//run/pic/caddy-admin.sock");
	assert_string_equal(str_at(doc, "admin", "origins", "#0"), "localhost");
	assert_true(json_is_false(at(doc, "admin", "config", "persist", NULL)));
	assert_string_equal(str_at(doc, "logging", "logs", "default", "writer", "output"), "stderr");
	json_t *lf = at(doc, "apps", "tls", "certificates", "load_files", NULL);
	assert_int_equal(json_array_size(lf), 1);
	assert_string_equal(str_at(lf, "#0", "certificate"), "/run/pic/tls/cell.crt");
	assert_string_equal(str_at(lf, "#0", "key"), "/run/pic/tls/cell.key");

	/* Servers in order: one HTTPS server per virtual IP, then HTTP. */
	json_t *servers = at(doc, "apps", "http", "servers", NULL);
	assert_int_equal(json_object_size(servers), 5);
	const char *key;
	json_t *v;
	size_t k = 0;
	json_object_foreach(servers, key, v) {
		char want[32];
		snprintf(want, sizeof(want), k < 4 ? "https-%s" : "http", k < 4 ? vips[k] : "");
		assert_string_equal(key, want);
		assert_true(json_is_true(at(v, "automatic_https", "disable", NULL)));
		assert_non_null(json_object_get(v, "logs"));
		assert_headers_first(v);
		k++;
	}

	/* HTTPS, alone on its VIP: headers, /ca.crt, its host, 404 for any
	 * other Host (another service's name included). */
	for (size_t i = 0; i < 4; i++) {
		json_t *srv = https_server(doc, i);
		char listen[32];
		snprintf(listen, sizeof(listen), "%s:443", vip_addrs[i]);
		assert_int_equal(json_array_size(json_object_get(srv, "listen")), 1);
		assert_string_equal(str_at(srv, "listen", "#0"), listen);
		assert_string_equal(str_at(srv, "tls_connection_policies", "#0", "default_sni"), ZONE);
		assert_string_equal(str_at(srv, "tls_connection_policies", "#0", "certificate_selection", "any_tag", "#0"),
				    "cell");
		json_t *routes = json_object_get(srv, "routes");
		assert_int_equal(json_array_size(routes), 5);
		assert_string_equal(str_at(routes, "#1", "match", "#0", "path", "#0"), SVC_CADDY_VERIFY_PATH);
		assert_int_equal(json_array_size(at(routes, "#2", "match", "#0", "host", NULL)), 1);
		assert_string_equal(str_at(routes, "#2", "match", "#0", "host", "#0"), hosts[i]);
		assert_string_equal(str_at(routes, "#2", "match", "#0", "path", "#0"), "/ca.crt");
		assert_int_equal(json_array_size(at(routes, "#3", "match", "#0", "host", NULL)), 1);
		assert_string_equal(str_at(routes, "#3", "match", "#0", "host", "#0"), hosts[i]);
		assert_true(json_is_true(at(routes, "#3", "terminal", NULL)));
		json_t *last = json_array_get(routes, 4);
		assert_null(json_object_get(last, "match"));
		assert_int_equal(json_integer_value(at(last, "handle", "#0", "status_code", NULL)), 404);
	}

	json_t *http = server(doc, "http");
	assert_null(json_object_get(http, "tls_connection_policies"));
	json_t *l = json_object_get(http, "listen");
	assert_int_equal(json_array_size(l), 4);
	for (size_t i = 0; i < 4; i++) {
		char want[32];
		snprintf(want, sizeof(want), "%s:80", vip_addrs[i]);
		assert_string_equal(json_string_value(json_array_get(l, i)), want);
	}

	/* HTTP: headers, /ca.crt for any host, 308 to HTTPS. */
	json_t *routes = json_object_get(http, "routes");
	assert_int_equal(json_array_size(routes), 3);
	assert_null(at(routes, "#1", "match", "#0", "host", NULL));
	assert_string_equal(str_at(routes, "#1", "match", "#0", "path", "#0"), "/ca.crt");
	assert_int_equal(json_integer_value(at(routes, "#2", "handle", "#0", "status_code", NULL)), 308);
	assert_string_equal(str_at(routes, "#2", "handle", "#0", "headers", "Location", "#0"),
			    "https://{http.request.host}{http.request.uri}");
}

/* The handler list of the HTTPS route for routes[i]. */
static json_t *service_handle(json_t *doc, size_t i)
{
	return at(https_server(doc, i), "routes", "#3", "handle", NULL);
}

/* The /ca.crt handlers: on each HTTPS server (i < 4), on HTTP (i == 4). */
static json_t *ca_handle(json_t *doc, size_t i)
{
	return at(i < 4 ? https_server(doc, i) : server(doc, "http"), "routes", i < 4 ? "#2" : "#1", "handle", NULL);
}

static void test_all_down(void **state)
{
	char *text = render_routes(svc_caddy_routes, SVC_CADDY_MAX_ROUTES);
	golden_check("tests/golden/caddy/down.json", text);
	json_t *doc = parse(text);
	assert_common(doc);
	for (size_t i = 0; i < 4; i++) {
		json_t *h = service_handle(doc, i);
		assert_int_equal(json_array_size(h), 1);
		assert_int_equal(json_integer_value(at(h, "#0", "status_code", NULL)), 503);
		char want[128];
		snprintf(want, sizeof(want), "%s is not running yet.\n", svc_caddy_routes[i].name);
		assert_string_equal(str_at(h, "#0", "body"), want);
	}
	/* /ca.crt without the web interface: 503 on every server. */
	for (size_t s = 0; s < 5; s++) {
		json_t *ca = ca_handle(doc, s);
		assert_int_equal(json_array_size(ca), 1);
		assert_int_equal(json_integer_value(at(ca, "#0", "status_code", NULL)), 503);
		assert_string_equal(str_at(ca, "#0", "body"),
				    "The web interface is not running yet.\n");
	}
	json_decref(doc);
	free(text);
}

static void test_webui_and_calendar_up(void **state)
{
	struct caddy_route routes[SVC_CADDY_MAX_ROUTES];
	memcpy(routes, svc_caddy_routes, sizeof(routes));
	routes[0].upstream = "172.20.0.1:3000";
	routes[1].upstream = "172.20.0.8:5232";
	char *text = render_routes(routes, SVC_CADDY_MAX_ROUTES);
	golden_check("tests/golden/caddy/webui-calendar.json", text);
	json_t *doc = parse(text);
	assert_common(doc);
	static const char *const dial[] = { "172.20.0.1:3000", "172.20.0.8:5232" };
	for (size_t i = 0; i < 2; i++) {
		json_t *h = service_handle(doc, i);
		assert_string_equal(str_at(h, "#0", "handler"), "reverse_proxy");
		assert_string_equal(str_at(h, "#0", "upstreams", "#0", "dial"), dial[i]);
	}
	for (size_t i = 2; i < 4; i++)
		assert_int_equal(json_integer_value(at(service_handle(doc, i), "#0", "status_code", NULL)), 503);
	for (size_t s = 0; s < 5; s++) {
		json_t *ca = ca_handle(doc, s);
		assert_int_equal(json_array_size(ca), 2);
		assert_string_equal(str_at(ca, "#0", "handler"), "rewrite");
		assert_string_equal(str_at(ca, "#0", "uri"), "/api/vault/ca.crt");
		assert_string_equal(str_at(ca, "#1", "upstreams", "#0", "dial"),
				    "172.20.0.1:3000");
	}
	json_decref(doc);
	free(text);
}

/* The host's own addresses and names (published ports 80 and 443) reach
 * the web interface's server only: its Host matcher and its /ca.crt list
 * them, the other services' do not; no-SNI clients get the zone's leaf. */
static void test_lan_hosts(void **state)
{
	struct caddy_route routes[SVC_CADDY_MAX_ROUTES];
	memcpy(routes, svc_caddy_routes, sizeof(routes));
	routes[0].upstream = "172.20.0.1:3000";
	static const char *const lan[] = { "192.168.77.1", "picbox", "picbox.local" };
	struct caddy_input in = { .zone = ZONE, .ip_range = RANGE, .routes = routes, .n_routes = SVC_CADDY_MAX_ROUTES,
				  .verify_from = RANGE.addr + 1, .lan_hosts = lan, .n_lan_hosts = 3 };
	struct buf b;
	buf_init(&b, GOLDEN_MAX);
	assert_int_equal(svc_caddy_render(&in, &b), 0);
	char *text = buf_steal(&b);
	golden_check("tests/golden/caddy/lan-hosts.json", text);
	json_t *doc = parse(text);
	json_t *webui = at(https_server(doc, 0), "routes", NULL);
	for (const char *route = "#2"; route; route = strcmp(route, "#2") == 0 ? "#3" : NULL) {
		json_t *matched = at(webui, route, "match", "#0", "host", NULL);
		assert_int_equal(json_array_size(matched), 4);
		assert_string_equal(json_string_value(json_array_get(matched, 0)), ZONE);
		for (size_t k = 0; k < 3; k++)
			assert_string_equal(json_string_value(json_array_get(matched, k + 1)), lan[k]);
	}
	assert_string_equal(str_at(https_server(doc, 0), "tls_connection_policies", "#0", "default_sni"), ZONE);
	for (size_t i = 1; i < 4; i++)
		assert_int_equal(json_array_size(at(https_server(doc, i), "routes", "#3", "match", "#0", "host", NULL)), 1);
	json_decref(doc);
	free(text);

	static const char *const bad[] = { "", "Picbox", "a b", "{env.X}", "pic_box", "1.2.3.4:80" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		in.lan_hosts = &bad[i];
		in.n_lan_hosts = 1;
		buf_init(&b, GOLDEN_MAX);
		if (svc_caddy_render(&in, &b) != -EINVAL)
			fail_msg("LAN host '%s' accepted", bad[i]);
		buf_free(&b);
	}
	in.lan_hosts = NULL;
	in.n_lan_hosts = 1;
	buf_init(&b, GOLDEN_MAX);
	assert_int_equal(svc_caddy_render(&in, &b), -EINVAL);
	buf_free(&b);
}

/* A route the owner switched off answers its own 503, without
 * Retry-After, even with its service up; the others are untouched. */
static void test_route_switched_off(void **state)
{
	struct caddy_route routes[SVC_CADDY_MAX_ROUTES];
	memcpy(routes, svc_caddy_routes, sizeof(routes));
	routes[0].upstream = "172.20.0.1:3000";
	routes[1].upstream = "172.20.0.8:5232";
	routes[1].off = true;
	char *text = render_routes(routes, SVC_CADDY_MAX_ROUTES);
	golden_check("tests/golden/caddy/calendar-off.json", text);
	json_t *doc = parse(text);
	assert_common(doc);
	json_t *h = service_handle(doc, 1);
	assert_int_equal(json_array_size(h), 1);
	assert_int_equal(json_integer_value(at(h, "#0", "status_code", NULL)), 503);
	assert_string_equal(str_at(h, "#0", "body"), "The calendar is switched off by the cell's owner.\n");
	assert_null(at(h, "#0", "headers", "Retry-After", NULL));
	assert_string_equal(str_at(service_handle(doc, 0), "#0", "handler"), "reverse_proxy");
	assert_non_null(at(service_handle(doc, 2), "#0", "headers", "Retry-After", NULL));
	json_decref(doc);
	free(text);
}

/* Every HTTPS server answers picd (the bridge's host address) alone with
 * the config's generation: a hash that differs between configs and that
 * svc_caddy_generation reads back. */
static void test_generation_route(void **state)
{
	struct caddy_route routes[SVC_CADDY_MAX_ROUTES];
	memcpy(routes, svc_caddy_routes, sizeof(routes));
	char *down = render_routes(routes, SVC_CADDY_MAX_ROUTES);
	routes[0].upstream = "172.20.0.1:3000";
	char *up = render_routes(routes, SVC_CADDY_MAX_ROUTES);
	char g_down[SVC_CADDY_GENERATION_LEN + 1], g_up[SVC_CADDY_GENERATION_LEN + 1];
	assert_int_equal(svc_caddy_generation(down, strlen(down), g_down), 0);
	assert_int_equal(svc_caddy_generation(up, strlen(up), g_up), 0);
	assert_int_equal(strlen(g_down), SVC_CADDY_GENERATION_LEN);
	assert_string_not_equal(g_down, g_up);
	json_t *doc = parse(up);
	for (size_t i = 0; i < 4; i++) {
		json_t *r = at(https_server(doc, i), "routes", "#1", NULL);
		assert_string_equal(str_at(r, "match", "#0", "path", "#0"), SVC_CADDY_VERIFY_PATH);
		assert_string_equal(str_at(r, "match", "#0", "remote_ip", "ranges", "#0"), "172.20.0.1/32");
		assert_string_equal(str_at(r, "handle", "#0", "body"), g_up);
	}
	json_decref(doc);
	/* Not a config of ours, or none at all. */
	char g[SVC_CADDY_GENERATION_LEN + 1];
	assert_int_equal(svc_caddy_generation("{}", 2, g), -EINVAL);
	assert_int_equal(svc_caddy_generation("not json", 8, g), -EINVAL);
	free(down);
	free(up);
}

/* Same input, same bytes; a subset of routes listens on its VIPs only. */
static void test_stable_and_subset(void **state)
{
	char *a = render_routes(svc_caddy_routes, SVC_CADDY_MAX_ROUTES);
	char *b = render_routes(svc_caddy_routes, SVC_CADDY_MAX_ROUTES);
	assert_string_equal(a, b);
	free(a);
	free(b);
	struct caddy_route one[] = { { .vip = "webui", .upstream = "picd.example:8443", .name = "PIC" } };
	char *text = render_routes(one, 1);
	json_t *doc = parse(text);
	assert_int_equal(json_object_size(at(doc, "apps", "http", "servers", NULL)), 2);
	assert_string_equal(str_at(server(doc, "https-webui"), "listen", "#0"), "172.20.0.23:443");
	assert_int_equal(json_array_size(at(server(doc, "http"), "listen", NULL)), 1);
	json_decref(doc);
	free(text);
}

static int render_one(const char *zone, const struct caddy_route *routes, size_t n, const char *cert)
{
	struct caddy_input in = { .zone = zone, .ip_range = RANGE, .routes = routes, .n_routes = n, .cert_file = cert };
	struct buf b;
	buf_init(&b, GOLDEN_MAX);
	int r = svc_caddy_render(&in, &b);
	assert_true(r < 0 || b.len > 0);
	buf_free(&b);
	return r;
}

static void test_refused_input(void **state)
{
	struct caddy_route ok[] = { { .vip = "webui", .upstream = NULL, .name = "Web" } };
	assert_int_equal(render_one(ZONE, ok, 1, NULL), 0);

	static const char *const bad_zones[] = { "", "MyCell.cell", "a..b", "-a.b", "a-.b", "a.b.", "a b", "{env.X}",
						 "a_b.cell" };
	for (size_t i = 0; i < sizeof(bad_zones) / sizeof(bad_zones[0]); i++)
		assert_int_equal(render_one(bad_zones[i], ok, 1, NULL), -EINVAL);
	assert_int_equal(render_one(NULL, ok, 1, NULL), -EINVAL);

	static const char *const bad_upstreams[] = { "{env.SECRET}:80", "host", ":80", "host:", "host:0", "host:65536",
						     "host:080", "host:80x", "a/b:80", "[::1]:80", "h o:80" };
	for (size_t i = 0; i < sizeof(bad_upstreams) / sizeof(bad_upstreams[0]); i++) {
		struct caddy_route r[] = { { .vip = "webui", .upstream = bad_upstreams[i], .name = "Web" } };
		assert_int_equal(render_one(ZONE, r, 1, NULL), -EINVAL);
	}
	struct caddy_route good_upstream[] = { { .vip = "webui", .upstream = "localhost:65535", .name = "Web" } };
	assert_int_equal(render_one(ZONE, good_upstream, 1, NULL), 0);

	static const char *const bad_names[] = { "", "{http.request.uri}", "a\nb", "50%", "<b>",
						 "A name that is far too long to be shown in a short 503 text body, really" };
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		struct caddy_route r[] = { { .vip = "webui", .upstream = NULL, .name = bad_names[i] } };
		assert_int_equal(render_one(ZONE, r, 1, NULL), -EINVAL);
	}
	struct caddy_route no_name[] = { { .vip = "webui", .upstream = NULL, .name = NULL } };
	assert_int_equal(render_one(ZONE, no_name, 1, NULL), -EINVAL);

	struct caddy_route unknown[] = { { .vip = "webui", .upstream = NULL, .name = "W" }, { .vip = "dns", .upstream = NULL, .name = "DNS" } };
	assert_int_equal(render_one(ZONE, unknown, 2, NULL), -EINVAL);
	struct caddy_route twice[] = { { .vip = "webui", .upstream = NULL, .name = "W" }, { .vip = "webui", .upstream = NULL, .name = "W2" } };
	assert_int_equal(render_one(ZONE, twice, 2, NULL), -EINVAL);
	struct caddy_route no_webui[] = { { .vip = "calendar", .upstream = NULL, .name = "C" } };
	assert_int_equal(render_one(ZONE, no_webui, 1, NULL), -EINVAL);
	assert_int_equal(render_one(ZONE, ok, 0, NULL), -EINVAL);
	struct caddy_route five[5] = { { .vip = "webui", .upstream = NULL, .name = "W" } };
	assert_int_equal(render_one(ZONE, five, 5, NULL), -EINVAL);

	static const char *const bad_paths[] = { "relative/cell.crt", "/run/pic/../x.crt", "/run/pic/{x}.crt",
						 "/run/pic/a b.crt" };
	for (size_t i = 0; i < sizeof(bad_paths) / sizeof(bad_paths[0]); i++)
		assert_int_equal(render_one(ZONE, ok, 1, bad_paths[i]), -EINVAL);

	/* Names past 253 characters once "calendar." is added. */
	char zone[260];
	memset(zone, 'a', sizeof(zone));
	for (size_t i = 63; i < 250; i += 64)
		zone[i] = '.';
	zone[250] = '\0';
	struct caddy_route cal[] = { { .vip = "webui", .upstream = NULL, .name = "W" }, { .vip = "calendar", .upstream = NULL, .name = "C" } };
	assert_int_equal(render_one(zone, ok, 1, NULL), 0);
	assert_int_equal(render_one(zone, cal, 2, NULL), -ENAMETOOLONG);
}

static void test_buffer_full(void **state)
{
	struct caddy_input in = { .zone = ZONE, .ip_range = RANGE, .routes = svc_caddy_routes,
				  .n_routes = SVC_CADDY_MAX_ROUTES };
	struct buf b;
	buf_init(&b, 1024);
	assert_int_equal(buf_printf(&b, "kept"), 0);
	assert_int_equal(svc_caddy_render(&in, &b), -E2BIG);
	assert_string_equal(b.data, "kept");
	buf_free(&b);
}

static void test_host(void **state)
{
	char h[300];
	assert_int_equal(svc_caddy_host("webui", ZONE, h, sizeof(h)), 0);
	assert_string_equal(h, ZONE);
	assert_int_equal(svc_caddy_host("mail", ZONE, h, sizeof(h)), 0);
	assert_string_equal(h, "mail." ZONE);
	assert_int_equal(svc_caddy_host("proxy", ZONE, h, sizeof(h)), -EINVAL);
	assert_int_equal(svc_caddy_host("files", ZONE, h, 8), -ENAMETOOLONG);
}

static void test_ops(void **state)
{
	assert_string_equal(svc_caddy_ops.name, "proxy");
	assert_string_equal(svc_caddy_ops.daemon, "caddy");
	assert_string_equal(svc_caddy_ops.package, "caddy");
	assert_string_equal(svc_caddy_ops.binary, "/usr/bin/caddy");
	assert_string_equal(svc_caddy_ops.config_file, "caddy.json");
	assert_null(svc_caddy_ops.user);
	assert_int_equal(svc_caddy_ops.reload, SVC_RELOAD_RESTART);
	static const char *const run[] = { "/usr/bin/caddy", "run", "--config", "/run/pic/caddy.json", NULL };
	static const char *const check[] = { "/usr/bin/caddy", "validate", "--config", "/run/pic/caddy.json.new",
					     NULL };
	for (size_t i = 0; i < 5; i++) {
		assert_true(run[i] ? svc_caddy_ops.run_argv[i] && strcmp(run[i], svc_caddy_ops.run_argv[i]) == 0
				   : !svc_caddy_ops.run_argv[i]);
		assert_true(check[i] ? svc_caddy_ops.check_argv[i] && strcmp(check[i], svc_caddy_ops.check_argv[i]) == 0
				     : !svc_caddy_ops.check_argv[i]);
	}
	assert_non_null(svc_caddy_ops.probe_send);
	assert_non_null(svc_caddy_ops.probe_check);
	assert_ptr_equal(svc_caddy_ops.verify, svc_caddy_verify);

	/* Rendered from svc_input: the proxy's plan entry holds the VIPs. */
	struct cell_config c;
	config_defaults(&c);
	struct netplan *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	const char *names[] = { "proxy" };
	assert_int_equal(netplan_build(&c, "/run/pic-test", names, 1, p), 0);
	struct svc_input in = { .cell = &c, .plan = p, .net = netplan_find(p, "proxy") };
	assert_int_equal(p->host_addr, RANGE.addr + 1);
	struct buf b;
	buf_init(&b, GOLDEN_MAX);
	assert_int_equal(svc_caddy_ops.render(&in, &b), 0);
	/* The web interface answers for autoconfig.<zone> too (the mail
	 * clients' autoconfiguration, ipplan_aliases). */
	char aliases[SVC_CADDY_MAX_ALIASES][CONFIG_ZONE_MAX + 1];
	assert_int_equal(svc_caddy_webui_aliases(ZONE, aliases), 1);
	assert_string_equal(aliases[0], "autoconfig." ZONE);
	const char *alias_hosts[] = { aliases[0] };
	struct caddy_input ci = { .zone = ZONE, .ip_range = RANGE, .routes = svc_caddy_routes,
				  .n_routes = SVC_CADDY_MAX_ROUTES, .verify_from = RANGE.addr + 1, .lan_hosts = alias_hosts,
				  .n_lan_hosts = 1 };
	struct buf w;
	buf_init(&w, GOLDEN_MAX);
	assert_int_equal(svc_caddy_render(&ci, &w), 0);
	assert_string_equal(b.data, w.data);
	assert_non_null(strstr(w.data, "\"autoconfig." ZONE "\""));
	buf_free(&w);
	buf_free(&b);

	/* A namespace without the virtual IPs: caddy could not listen. */
	struct netplan_service bare = p->services[0];
	bare.n_addrs = 1;
	in.net = &bare;
	buf_init(&b, GOLDEN_MAX);
	assert_int_equal(svc_caddy_ops.render(&in, &b), -EINVAL);
	buf_free(&b);

	/* The probe needs the webui VIP among the plan's addresses. */
	char err[128] = "";
	int fd = -1;
	assert_int_equal(svc_caddy_ops.probe_send(&bare, &fd, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "web interface"));
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_down),
		cmocka_unit_test(test_webui_and_calendar_up),
		cmocka_unit_test(test_route_switched_off),
		cmocka_unit_test(test_lan_hosts),
		cmocka_unit_test(test_generation_route),
		cmocka_unit_test(test_stable_and_subset),
		cmocka_unit_test(test_refused_input),
		cmocka_unit_test(test_buffer_full),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_ops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
