/* caddy: rendering caddy.json, loading it live through the admin API, and
 * the proxy's health probe.
 *
 * The config, for the routes given (see svc_caddy.h):
 *   admin    on the unix socket, origins ["localhost"] (caddy_admin.h
 *            says why), persist off;
 *   logging  everything, access logs included, as JSON on stderr, which
 *            picd keeps as the service's log; credentials are not logged
 *            (caddy 2.6 redacts Authorization and Cookie by default);
 *   storage  in the service directory;
 *   tls      the leaf and key files, tagged "cell"; OCSP stapling off
 *            (the cell's CA runs no responder); nothing is automated;
 *   https    one server per route, alone on its <vip>:443 (a peer allowed
 *            one virtual IP reaches no other service through it): security
 *            headers on every response (a CSP only where the upstream sent
 *            none), /ca.crt, the route's host (reverse_proxy, or a 503
 *            while the upstream is NULL), then 404 for any other Host
 *            (caddy's default would be an empty 200);
 *   http     one server on every route's <vip>:80: /ca.crt proxied to the
 *            web interface (503 without it), everything else a 308 to
 *            https://{host}{uri}.
 * Automatic HTTPS is disabled on every server, so caddy neither asks ACME
 * nor its own CA for certificates nor adds redirects of its own.
 *
 * Everything picd writes into a string caddy reads is checked against an
 * allow-list first: caddy expands {placeholders} in a static_response's
 * body and headers and in a reverse_proxy's dial address. */
#include "svc_caddy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "caddy_admin.h"
#include "proxy_routes.h"
#include "common/cleanup.h"
#include "model/config.h"
#include "model/ipplan.h"
#include "net/host_access.h"
#include "common/banned.h"

#define CADDY "/usr/bin/caddy"

static const char *const run_argv[] = {
	CADDY, "run", "--config", SVC_ROOT "/" SVC_CADDY_CONFIG_FILE, NULL,
};
/* `caddy validate` provisions every module (it reads the certificate
 * files) but opens no listener. A file name not ending in .json is still
 * read as JSON: only "Caddyfile" names select another adapter. */
static const char *const check_argv[] = {
	CADDY, "validate", "--config", SVC_ROOT "/" SVC_CADDY_CONFIG_FILE ".new", NULL,
};

const struct caddy_route svc_caddy_routes[SVC_CADDY_MAX_ROUTES] = {
	{ .vip = "webui", .upstream = NULL, .name = "The web interface" },
	{ .vip = "calendar", .upstream = NULL, .name = "The calendar" },
	{ .vip = "files", .upstream = NULL, .name = "The file service" },
	{ .vip = "mail", .upstream = NULL, .name = "Webmail" },
};

#define CERT_TAG "cell"
#define HSTS "max-age=31536000"
/* "same-origin": a full referrer inside the site, none to anyone else (the
 * cell's name stays home). Not "no-referrer": with it browsers send
 * "Origin: null" on same-site POSTs, which breaks Origin-based CSRF
 * checks. */
#define REFERRER_POLICY "same-origin"
#define CSP "frame-ancestors 'self'"
#define RETRY_AFTER_S "30"
#define READ_HEADER_TIMEOUT "10s"
#define NOT_FOUND_BODY "There is no site of this name here.\n"

#define _cleanup_json_ _cleanup_(json_decrefp)

/* A DNS name: labels of 1..63 lower-case letters, digits and inner '-'. */
static bool zone_ok(const char *s)
{
	size_t label = 0;
	if (!*s || strlen(s) > CONFIG_ZONE_MAX)
		return false;
	for (const char *p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0 || label > 63 || p[-1] == '-')
				return false;
			if (*p == '\0')
				return true;
			label = 0;
			continue;
		}
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (*p == '-' && label > 0);
		if (!ok)
			return false;
		label++;
	}
}

/* "host:port": a DNS name or IPv4 address (letters, digits, '.', '-') and
 * a port 1..65535 without leading zeros. */
static bool upstream_ok(const char *s)
{
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || strlen(s) > SVC_CADDY_UPSTREAM_MAX)
		return false;
	for (const char *p = s; p < colon; p++) {
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			  *p == '.' || *p == '-';
		if (!ok)
			return false;
	}
	const char *port = colon + 1;
	size_t plen = strlen(port);
	if (plen == 0 || plen > 5 || port[0] == '0' || strspn(port, "0123456789") != plen)
		return false;
	unsigned long v = strtoul(port, NULL, 10);
	return v >= 1 && v <= 65535;
}

static bool name_ok(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > SVC_CADDY_NAME_MAX)
		return false;
	for (const char *p = s; *p; p++) {
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			  strchr(" -'.,()", *p);
		if (!ok)
			return false;
	}
	return true;
}

static bool path_ok(const char *s)
{
	if (s[0] != '/' || strstr(s, "/../") || strlen(s) > 255)
		return false;
	for (const char *p = s; *p; p++) {
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			  *p == '/' || *p == '.' || *p == '_' || *p == '-';
		if (!ok)
			return false;
	}
	return true;
}

size_t svc_caddy_webui_aliases(const char *zone, char out[SVC_CADDY_MAX_ALIASES][CONFIG_ZONE_MAX + 1])
{
	size_t n = 0;
	for (size_t i = 0; i < ipplan_aliases_len && n < SVC_CADDY_MAX_ALIASES; i++) {
		const struct ipplan_alias *a = &ipplan_aliases[i];
		int len = a->virtual_ip && strcmp(a->target, "webui") == 0
				  ? snprintf(out[n], CONFIG_ZONE_MAX + 1, "%s.%s", a->label, zone)
				  : -1;
		if (len > 0 && len <= CONFIG_ZONE_MAX)
			n++;
	}
	return n;
}

int svc_caddy_host(const char *vip, const char *zone, char *out, size_t outlen)
{
	if (!ipplan_find_virtual_ip(vip))
		return -EINVAL;
	bool apex = strcmp(vip, "webui") == 0;
	int n = apex ? snprintf(out, outlen, "%s", zone) : snprintf(out, outlen, "%s.%s", vip, zone);
	if (n < 0 || (size_t)n >= outlen || n > CONFIG_ZONE_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* What render needs beyond the input, worked out (and the input checked)
 * before any JSON is built. */
struct plan {
	const char *zone, *cert, *key, *admin;
	const char *const *lan_hosts;
	size_t n_lan_hosts;
	size_t n;
	const struct caddy_route *routes;
	const struct caddy_route *webui;
	char hosts[SVC_CADDY_MAX_ROUTES][CONFIG_ZONE_MAX + 1];
	char addrs[SVC_CADDY_MAX_ROUTES][IPV4_STR_MAX];
	char verify_from[IPV4_STR_MAX + 3]; /* "a.b.c.d/32", or "" */
	char generation[SVC_CADDY_GENERATION_LEN + 1];
};

static int plan_make(const struct caddy_input *in, struct plan *p)
{
	*p = (struct plan){
		.zone = in->zone,
		.cert = in->cert_file ? in->cert_file : SVC_ROOT "/" SVC_TLS_CERT_FILE,
		.key = in->key_file ? in->key_file : SVC_ROOT "/" SVC_TLS_KEY_FILE,
		.admin = in->admin_socket ? in->admin_socket : SVC_ROOT "/" SVC_CADDY_ADMIN_FILE,
		.n = in->n_routes,
		.routes = in->routes,
		.lan_hosts = in->lan_hosts,
		.n_lan_hosts = in->n_lan_hosts,
	};
	if (!p->zone || !zone_ok(p->zone) || !path_ok(p->cert) || !path_ok(p->key) || !path_ok(p->admin))
		return -EINVAL;
	if (in->n_lan_hosts > SVC_CADDY_MAX_LAN_HOSTS || (in->n_lan_hosts && !in->lan_hosts))
		return -EINVAL;
	for (size_t i = 0; i < in->n_lan_hosts; i++) {
		uint32_t ip;
		if (!in->lan_hosts[i] || (!zone_ok(in->lan_hosts[i]) && ipv4_parse(in->lan_hosts[i], &ip) < 0))
			return -EINVAL;
	}
	if (in->verify_from) {
		char ip[IPV4_STR_MAX];
		ipv4_format(in->verify_from, ip);
		snprintf(p->verify_from, sizeof(p->verify_from), "%s/32", ip);
	}
	if (in->n_routes == 0 || in->n_routes > SVC_CADDY_MAX_ROUTES || !in->routes)
		return -EINVAL;
	for (size_t i = 0; i < in->n_routes; i++) {
		const struct caddy_route *r = &in->routes[i];
		const struct ipplan_entry *e = r->vip ? ipplan_find_virtual_ip(r->vip) : NULL;
		if (!e || !r->name || !name_ok(r->name) || (r->upstream && !upstream_ok(r->upstream)))
			return -EINVAL;
		for (size_t j = 0; j < i; j++)
			if (strcmp(in->routes[j].vip, r->vip) == 0)
				return -EINVAL;
		int rc = svc_caddy_host(r->vip, p->zone, p->hosts[i], sizeof(p->hosts[i]));
		if (rc < 0)
			return rc;
		ipv4_format(ipplan_address(&in->ip_range, e), p->addrs[i]);
		if (strcmp(r->vip, "webui") == 0)
			p->webui = r;
	}
	return p->webui ? 0 : -EINVAL;
}

/* Security headers, set when the response is written so that they
 * replace an upstream's own: HSTS, nosniff, the referrer policy. The CSP
 * only when the upstream sent none: overwriting a service's own policy
 * with frame-ancestors alone would weaken it. */
static json_t *headers_route(void)
{
	return json_pack("{s:[{s:s, s:{s:{s:[s], s:[s], s:[s]}, s:b}}, {s:s, s:{s:{s:{s:n}}, s:{s:[s]}, s:b}}]}",
			 "handle", "handler", "headers", "response", "set", "Strict-Transport-Security", HSTS,
			 "X-Content-Type-Options", "nosniff", "Referrer-Policy", REFERRER_POLICY, "deferred", 1,
			 "handler", "headers", "response", "require", "headers", "Content-Security-Policy", "set",
			 "Content-Security-Policy", CSP, "deferred", 1);
}

static json_t *text_response(int status, const char *body, const char *retry_after)
{
	json_t *h = json_pack("{s:s, s:i, s:{s:[s]}, s:s}", "handler", "static_response", "status_code", status,
			      "headers", "Content-Type", "text/plain; charset=utf-8", "body", body);
	if (h && retry_after &&
	    json_object_set_new(json_object_get(h, "headers"), "Retry-After", json_pack("[s]", retry_after)) < 0) {
		json_decref(h);
		return NULL;
	}
	return h;
}

/* The handler of a route's requests: its upstream, or a 503 that says
 * what is missing. */
static json_t *service_handler(const struct caddy_route *r)
{
	if (r->upstream && !r->off)
		return json_pack("{s:s, s:[{s:s}]}", "handler", "reverse_proxy", "upstreams", "dial", r->upstream);
	char body[SVC_CADDY_NAME_MAX + 48];
	int n = snprintf(body, sizeof(body), r->off ? "%s is switched off by the cell's owner.\n"
						    : "%s is not running yet.\n",
			 r->name);
	if (n < 0 || (size_t)n >= sizeof(body))
		return NULL; /* cannot happen: name_ok() bounds the name */
	/* Off is a decision, not a moment: no Retry-After. */
	return text_response(503, body, r->off ? NULL : RETRY_AFTER_S);
}

/* /ca.crt, on `hosts` (NULL: any host): the web interface's copy of the
 * cell's root. */
static json_t *ca_route(const struct plan *p, json_t *hosts)
{
	json_t *match = hosts ? json_pack("[{s:o, s:[s]}]", "host", hosts, "path", SVC_CADDY_CA_PATH)
			      : json_pack("[{s:[s]}]", "path", SVC_CADDY_CA_PATH);
	json_t *handle = p->webui->upstream
				 ? json_pack("[{s:s, s:s}, o]", "handler", "rewrite", "uri", SVC_CADDY_CA_UPSTREAM_PATH,
					     service_handler(p->webui))
				 : json_pack("[o]", service_handler(p->webui));
	return json_pack("{s:o, s:o, s:b}", "match", match, "handle", handle, "terminal", 1);
}

static json_t *listen_on_80(const struct plan *p)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < p->n; i++) {
		char addr[IPV4_STR_MAX + 8];
		int n = snprintf(addr, sizeof(addr), "%s:80", p->addrs[i]);
		if (n < 0 || (size_t)n >= sizeof(addr) || json_array_append_new(a, json_string(addr)) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

#define GENERATION_ID "pic-generation"

/* SVC_CADDY_VERIFY_PATH for picd's address alone, on any Host. */
static json_t *generation_route(const struct plan *p)
{
	return json_pack("{s:s, s:[{s:[s], s:{s:[s]}}], s:[{s:s, s:i, s:{s:[s]}, s:s}], s:b}", "@id", GENERATION_ID,
			 "match", "path", SVC_CADDY_VERIFY_PATH, "remote_ip", "ranges", p->verify_from, "handle",
			 "handler", "static_response", "status_code", 200, "headers", "Cache-Control", "no-store",
			 "body", p->generation, "terminal", 1);
}

/* The HTTPS server of routes[i], alone on its virtual IP: per-peer rules
 * allow or refuse a virtual IP, so a request that reached one must not
 * get at another service by naming it in Host. */
static json_t *https_server(const struct plan *p, size_t i)
{
	_cleanup_json_ json_t *routes = json_array(), *host = json_pack("[s]", p->hosts[i]);
	if (!routes || !host)
		return NULL;
	/* The web interface also answers for the host's own addresses and
	 * names, which the host publishes to its virtual IP. */
	bool webui = &p->routes[i] == p->webui;
	for (size_t k = 0; webui && k < p->n_lan_hosts; k++)
		if (json_array_append_new(host, json_string(p->lan_hosts[k])) < 0)
			return NULL;
	json_t *service = json_pack("{s:[{s:O}], s:[o], s:b}", "match", "host", host, "handle",
				    service_handler(&p->routes[i]), "terminal", 1);
	json_t *not_found = json_pack("{s:[o]}", "handle", text_response(404, NOT_FOUND_BODY, NULL));
	if (json_array_append_new(routes, headers_route()) < 0 ||
	    (p->verify_from[0] && json_array_append_new(routes, generation_route(p)) < 0) ||
	    json_array_append_new(routes, ca_route(p, json_incref(host))) < 0 ||
	    json_array_append_new(routes, service) < 0 || json_array_append_new(routes, not_found) < 0)
		return NULL;
	char listen[IPV4_STR_MAX + 8];
	int n = snprintf(listen, sizeof(listen), "%s:443", p->addrs[i]);
	if (n < 0 || (size_t)n >= sizeof(listen))
		return NULL;
	return json_pack("{s:[s], s:[s, s], s:s, s:[{s:{s:[s]}, s:s}], s:{s:b}, s:{}, s:O}", "listen", listen,
			 "protocols", "h1", "h2", "read_header_timeout", READ_HEADER_TIMEOUT,
			 "tls_connection_policies", "certificate_selection", "any_tag", CERT_TAG, "default_sni",
			 p->zone, "automatic_https", "disable", 1, "logs", "routes", routes);
}

static json_t *http_server(const struct plan *p)
{
	json_t *redirect = json_pack("{s:s, s:i, s:{s:[s]}}", "handler", "static_response", "status_code", 308,
				     "headers", "Location", "https://{http.request.host}{http.request.uri}");
	return json_pack("{s:o, s:[s], s:s, s:{s:b}, s:{}, s:[o, o, {s:[o]}]}", "listen", listen_on_80(p),
			 "protocols", "h1", "read_header_timeout", READ_HEADER_TIMEOUT, "automatic_https",
			 "disable", 1, "logs", "routes", headers_route(), ca_route(p, NULL), "handle", redirect);
}

static json_t *config_json(const struct plan *p)
{
	char admin[300];
	int n = snprintf(admin, sizeof(admin), "unix/%s", p->admin);
	if (n < 0 || (size_t)n >= sizeof(admin))
		return NULL; /* cannot happen: path_ok() bounds the path */
	json_t *admin_block = json_pack("{s:s, s:[s], s:{s:b}}", "listen", admin, "origins", CADDY_ADMIN_HOST,
					"config", "persist", 0);
	json_t *logging = json_pack("{s:{s:{s:{s:s}, s:{s:s}, s:s}}}", "logs", "default", "writer", "output", "stderr",
				    "encoder", "format", "json", "level", "INFO");
	json_t *storage = json_pack("{s:s, s:s}", "module", "file_system", "root",
				    SVC_ROOT "/" SVC_CADDY_DATA_DIR);
	json_t *tls = json_pack("{s:{s:[{s:s, s:s, s:[s]}]}, s:{s:[{s:b}]}, s:b}", "certificates", "load_files",
				"certificate", p->cert, "key", p->key, "tags", CERT_TAG, "automation", "policies",
				"disable_ocsp_stapling", 1, "disable_ocsp_stapling", 1);
	/* Servers "https-<vip>" in the order of the routes, then "http". */
	json_t *servers = json_object();
	for (size_t i = 0; servers && i < p->n; i++) {
		char name[32];
		int len = snprintf(name, sizeof(name), "https-%s", p->routes[i].vip);
		if (len < 0 || (size_t)len >= sizeof(name) || json_object_set_new(servers, name, https_server(p, i)) < 0) {
			json_decref(servers);
			servers = NULL;
		}
	}
	if (servers && json_object_set_new(servers, "http", http_server(p)) < 0) {
		json_decref(servers);
		servers = NULL;
	}
	json_t *http = json_pack("{s:o}", "servers", servers);
	return json_pack("{s:o, s:o, s:o, s:{s:o, s:o}}", "admin", admin_block, "logging", logging, "storage",
			 storage, "apps", "tls", tls, "http", http);
}

static char *config_text(const struct plan *p)
{
	_cleanup_json_ json_t *doc = config_json(p);
	return doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
}

/* The generation: the start of a BLAKE2b hash of the config rendered
 * without one. */
static int generation_of(struct plan *p)
{
	p->generation[0] = '\0';
	_cleanup_free_ char *text = config_text(p);
	if (!text)
		return -ENOMEM;
	unsigned char hash[SVC_CADDY_GENERATION_LEN / 2];
	if (crypto_generichash(hash, sizeof(hash), (const unsigned char *)text, strlen(text), NULL, 0) < 0)
		return -EIO;
	sodium_bin2hex(p->generation, sizeof(p->generation), hash, sizeof(hash));
	return 0;
}

int svc_caddy_render(const struct caddy_input *in, struct buf *out)
{
	struct plan p;
	int r = plan_make(in, &p);
	if (r == 0 && p.verify_from[0])
		r = generation_of(&p);
	if (r < 0)
		return r;
	_cleanup_free_ char *text = config_text(&p);
	if (!text)
		return -ENOMEM;
	size_t start = out->len;
	if ((r = buf_append(out, text, strlen(text))) < 0 || (r = buf_append(out, "\n", 1)) < 0) {
		if (out->data) {
			out->len = start; /* as it was */
			out->data[start] = '\0';
		}
		return r;
	}
	return 0;
}

int svc_caddy_generation(const char *config, size_t len, char out[SVC_CADDY_GENERATION_LEN + 1])
{
	_cleanup_json_ json_t *doc = json_loadb(config, len, 0, NULL);
	json_t *routes = json_object_get(
		json_object_get(json_object_get(json_object_get(json_object_get(doc, "apps"), "http"), "servers"),
				"https-webui"),
		"routes");
	size_t i;
	json_t *route;
	json_array_foreach(routes, i, route) {
		if (!json_is_string(json_object_get(route, "@id")) ||
		    strcmp(json_string_value(json_object_get(route, "@id")), GENERATION_ID) != 0)
			continue;
		const char *g = json_string_value(json_object_get(json_array_get(json_object_get(route, "handle"), 0), "body"));
		if (!g || strlen(g) != SVC_CADDY_GENERATION_LEN)
			return -EINVAL;
		memcpy(out, g, SVC_CADDY_GENERATION_LEN + 1);
		return 0;
	}
	return -EINVAL;
}

/* A test hook (picd --test-faults proxy-reject-off=VIP): while that
 * route is switched off, the config carries a handler caddy's own check
 * refuses (no such module), standing in for any change our validation accepts and caddy
 * does not. */
static bool fault_rejects(const char *faults, const struct proxy_route *built)
{
	static const char key[] = "proxy-reject-off=";
	const char *p = faults ? strstr(faults, key) : NULL;
	if (!p)
		return false;
	p += strlen(key);
	size_t len = strcspn(p, ",");
	for (size_t i = 0; i < SVC_CADDY_MAX_ROUTES; i++)
		if (built[i].state == PROXY_ROUTE_OFF && strlen(built[i].vip) == len &&
		    strncmp(built[i].vip, p, len) == 0)
			return true;
	return false;
}

/* svc_ops.render: the routes the services declare (proxy_routes.h), the
 * cell's own name to picd (in->ui_upstream). The proxy's namespace must
 * hold the virtual IPs caddy listens on. */
static int caddy_render_svc(const struct svc_input *in, struct buf *out)
{
	char zone[CONFIG_ZONE_MAX + 1];
	if (config_zone(in->cell, zone, sizeof(zone)) < 0)
		return -ENAMETOOLONG;
	struct proxy_routes_input pi = { .table = svc_table, .n_table = svc_table_len, .serving = in->serving,
					 .plan = in->plan, .ui_upstream = in->ui_upstream, .settings = in->proxy };
	struct proxy_route built[SVC_CADDY_MAX_ROUTES];
	int r = proxy_routes_build(&pi, built);
	if (r < 0)
		return r;
	struct caddy_route routes[SVC_CADDY_MAX_ROUTES];
	proxy_routes_for_caddy(built, SVC_CADDY_MAX_ROUTES, routes);
	struct caddy_input ci = { .zone = zone, .ip_range = in->cell->ip_range, .routes = routes,
				  .n_routes = SVC_CADDY_MAX_ROUTES, .verify_from = in->plan ? in->plan->host_addr : 0 };
	char hosts[HOST_ACCESS_MAX_HOSTS][PKI_NAME_MAX + 1], aliases[SVC_CADDY_MAX_ALIASES][CONFIG_ZONE_MAX + 1];
	const char *lan_hosts[HOST_ACCESS_MAX_HOSTS + SVC_CADDY_MAX_ALIASES];
	_Static_assert(HOST_ACCESS_MAX_HOSTS + SVC_CADDY_MAX_ALIASES <= SVC_CADDY_MAX_LAN_HOSTS, "LAN hosts");
	/* Other names of the web interface's address (autoconfig.<zone>). */
	size_t n_aliases = svc_caddy_webui_aliases(zone, aliases);
	for (size_t i = 0; i < n_aliases; i++)
		lan_hosts[ci.n_lan_hosts++] = aliases[i];
	size_t n_hosts = in->host ? host_access_hosts(in->host, hosts) : 0;
	for (size_t i = 0; i < n_hosts; i++)
		if (strlen(hosts[i]) <= CONFIG_ZONE_MAX)
			lan_hosts[ci.n_lan_hosts++] = hosts[i];
	ci.lan_hosts = lan_hosts;
	for (size_t i = 0; in->net && i < ci.n_routes; i++) {
		uint32_t vip = ipplan_address(&in->cell->ip_range, ipplan_find_virtual_ip(routes[i].vip));
		bool held = false;
		for (unsigned j = 0; j < in->net->n_addrs; j++)
			held |= in->net->addrs[j] == vip;
		if (!held)
			return -EINVAL;
	}
	if (!fault_rejects(in->faults, built))
		return svc_caddy_render(&ci, out);
	struct buf text;
	buf_init(&text, out->limit);
	r = svc_caddy_render(&ci, &text);
	static const char servers[] = "\"servers\": {";
	static const char bad[] = "\"pic_test_fault\":{\"listen\":[\":1\"],"
				  "\"routes\":[{\"handle\":[{\"handler\":\"pic_test_fault\"}]}]},";
	const char *at = r == 0 && text.data ? strstr(text.data, servers) : NULL;
	if (r == 0 && !at)
		r = -EINVAL;
	size_t head = at ? (size_t)(at - text.data) + strlen(servers) : 0;
	if (r == 0)
		r = buf_append(out, text.data, head);
	if (r == 0)
		r = buf_append(out, bad, strlen(bad));
	if (r == 0)
		r = buf_append(out, text.data + head, text.len - head);
	buf_free(&text);
	return r;
}

int svc_caddy_apply_live(const char *svc_dir, const char *json, size_t len, bool force, char *err,
			 size_t errlen)
{
	char sock[PATH_MAX];
	int n = snprintf(sock, sizeof(sock), "%s/" SVC_CADDY_ADMIN_FILE, svc_dir);
	if (n < 0 || (size_t)n >= sizeof(sock))
		return -ENAMETOOLONG;
	return caddy_admin_load(sock, json, len, force, SVC_CADDY_LIVE_TIMEOUT_MS, err, errlen);
}

/* The health probe: a TLS ClientHello to the web interface's virtual IP,
 * port 443, answered by a ServerHello only if caddy serves TLS there with
 * a certificate (without one it sends an alert). picd links no TLS
 * library, so the hello is a fixed TLS 1.2 one: no SNI (caddy answers
 * with the cert of `default_sni`, the zone), ECDHE suites with AES-GCM and
 * ChaCha20, P-256 and X25519, ECDSA and RSA signatures. The handshake is
 * never finished, so its client random need not be random. */
static const uint8_t client_hello[] = {
	0x16, 0x03, 0x01, 0x00, 0x5c,      /* record: handshake, 92 bytes */
	0x01, 0x00, 0x00, 0x58,             /* ClientHello, 88 bytes */
	0x03, 0x03,                         /* TLS 1.2 */
	'p', 'i', 'c', ' ', 'h', 'e', 'a', 'l', 't', 'h', ' ', 'p', 'r', 'o', 'b', 'e', /* random */
	'p', 'i', 'c', ' ', 'h', 'e', 'a', 'l', 't', 'h', ' ', 'p', 'r', 'o', 'b', 'e',
	0x00,                               /* no session id */
	0x00, 0x0c, 0xc0, 0x2b, 0xc0, 0x2f, 0xc0, 0x2c, 0xc0, 0x30, 0xcc, 0xa9, 0xcc, 0xa8,
	0x01, 0x00,                         /* compression: null */
	0x00, 0x23,                         /* extensions, 35 bytes */
	0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x1d, 0x00, 0x17, /* groups: x25519, P-256 */
	0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, /* point formats: uncompressed */
	0x00, 0x0d, 0x00, 0x0a, 0x00, 0x08, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03, /* sig algs */
	0xff, 0x01, 0x00, 0x01, 0x00,       /* renegotiation_info, empty */
};
_Static_assert(sizeof(client_hello) == 5 + 92, "ClientHello lengths");

#define PROBE_PORT 443
/* The connection must be up before the hello can go: on the cell bridge
 * that takes microseconds, and a refused one fails at once; a namespace
 * that is gone could leave it pending for seconds, hence the bound. */
#define PROBE_CONNECT_MS 100
#define TLS_ALERT 0x15
#define TLS_HANDSHAKE 0x16
#define TLS_SERVER_HELLO 0x02

static int caddy_probe_send(const struct netplan_service *net, int *ret_fd, char *err, size_t errlen)
{
	const struct ipplan_entry *e = ipplan_find_virtual_ip("webui");
	struct ipv4_net range = { net->addrs[0] & cidr_mask(net->prefix), net->prefix };
	uint32_t vip = e ? ipplan_address(&range, e) : 0;
	bool held = false;
	for (unsigned i = 0; i < net->n_addrs; i++)
		held |= vip && net->addrs[i] == vip;
	if (!held) {
		snprintf(err, errlen, "the proxy holds no web interface address");
		return -ENOENT;
	}
	char ip[IPV4_STR_MAX];
	ipv4_format(vip, ip);

	_cleanup_close_ int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(PROBE_PORT), .sin_addr.s_addr = htonl(vip) };
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS) {
		int r = -errno;
		snprintf(err, errlen, "cannot connect to %s:%d: %s", ip, PROBE_PORT, strerror(-r));
		return r;
	}
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int n;
	do
		n = poll(&p, 1, PROBE_CONNECT_MS);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		snprintf(err, errlen, "no connection to %s:%d in %d ms", ip, PROBE_PORT, PROBE_CONNECT_MS);
		return n < 0 ? -errno : -ETIMEDOUT;
	}
	int so_error = 0;
	socklen_t len = sizeof(so_error);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) < 0)
		return -errno;
	if (so_error) {
		snprintf(err, errlen, "cannot connect to %s:%d: %s", ip, PROBE_PORT, strerror(so_error));
		return -so_error;
	}
	if (send(fd, client_hello, sizeof(client_hello), MSG_NOSIGNAL) != (ssize_t)sizeof(client_hello)) {
		snprintf(err, errlen, "cannot send the TLS hello to %s:%d", ip, PROBE_PORT);
		return -EIO;
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

static int caddy_probe_check(int fd, char *err, size_t errlen)
{
	uint8_t ans[16];
	ssize_t got = recv(fd, ans, sizeof(ans), MSG_DONTWAIT);
	if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		snprintf(err, errlen, "no TLS answer in time");
		return -ETIMEDOUT;
	}
	if (got < 0) {
		int r = -errno;
		snprintf(err, errlen, "no TLS answer: %s", strerror(-r));
		return r;
	}
	if (got >= 7 && ans[0] == TLS_ALERT) {
		snprintf(err, errlen, "TLS alert %u from the proxy (no certificate loaded?)", ans[6]);
		return -EPROTO;
	}
	if (got < 6 || ans[0] != TLS_HANDSHAKE || ans[1] != 0x03 || ans[5] != TLS_SERVER_HELLO) {
		snprintf(err, errlen, "%s", got == 0 ? "the proxy closed the connection without a TLS answer"
						     : "the proxy's answer is not a TLS ServerHello");
		return -EPROTO;
	}
	return 0;
}

/* caddy wants a home and XDG directories; inside its mount namespace they
 * are its own service directory. */
static const char *const caddy_env[] = { SVC_CADDY_ENV_HOME, SVC_CADDY_ENV_DATA, SVC_CADDY_ENV_CONFIG, NULL };

const struct svc_ops svc_caddy_ops = {
	.name = "proxy",
	.daemon = "caddy",
	.package = "caddy",
	.binary = CADDY,
	.config_file = SVC_CADDY_CONFIG_FILE,
	/* Root in its own namespaces: caddy binds 80 and 443 and cannot drop
	 * privileges itself. As the "caddy" user with no capabilities it runs
	 * fine when the namespace's net.ipv4.ip_unprivileged_port_start is 80
	 * and that user owns the service directory; priv_spawn would have to
	 * switch users before exec. */
	.user = NULL,
	.run_argv = run_argv,
	.check_argv = check_argv,
	.env = caddy_env,
	.apply_live = svc_caddy_apply_live,
	.verify = svc_caddy_verify,
	.needs_leaf = true,
	/* Live changes go through the admin API (svc_caddy_apply_live); the
	 * supervisor's own way is a restart. */
	.reload = SVC_RELOAD_RESTART,
	.dir_mode = 0,
	.user_owns_dir = false,
	.dirs = (const struct svc_dir[]){ { .path = "tls" } /* SVC_TLS_CERT_FILE, SVC_TLS_KEY_FILE */, { .path = NULL } },
	.host_network = false,
	.enabled = NULL,
	.render = caddy_render_svc,
	.probe_send = caddy_probe_send,
	.probe_check = caddy_probe_check,
};
