/* /api/proxy/routes: the proxy's web routes (which service each virtual
 * IP's name reaches, and whether it serves now), and the owner's switch
 * that takes a route off the air and puts it back. A switch is applied
 * through the apply engine (one caddy /load), off the loop while caddy
 * runs, and committed only if the proxy took it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_apply.h"
#include "api_body.h"
#include "apply/apply.h"
#include "apply/apply_input.h"
#include "apply/apply_routes.h"
#include "common/log.h"
#include "daemon.h"
#include "deferred.h"
#include "handlers.h"
#include "model/ipplan.h"
#include "sse.h"
#include "store/store.h"
#include "store/store_proxy.h"
#include "svc/proxy_routes.h"
#include "common/banned.h"

#define PROXY_SERVICE "proxy"

static json_t *route_json(const struct daemon *d, const struct proxy_route *r)
{
	char zone[CONFIG_ZONE_MAX + 1], host[CONFIG_ZONE_MAX + 1], addr[IPV4_STR_MAX];
	if (config_zone(&d->config, zone, sizeof(zone)) < 0 || svc_caddy_host(r->vip, zone, host, sizeof(host)) < 0)
		host[0] = '\0';
	const struct ipplan_entry *e = ipplan_find_virtual_ip(r->vip);
	ipv4_format(e ? ipplan_address(&d->config.ip_range, e) : 0, addr);
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s, s:b, s:s?}", "vip", r->vip, "host", host, "address", addr,
			 "name", r->name, "service", r->service, "state", proxy_route_state_name(r->state), "enabled",
			 r->state != PROXY_ROUTE_OFF, "upstream", r->upstream[0] ? r->upstream : NULL);
}

static int routes_now(struct daemon *d, struct proxy_route out[SVC_CADDY_MAX_ROUTES])
{
	struct apply_input a;
	int r = apply_input_load(d, PROXY_SERVICE, &a);
	if (r < 0)
		return r;
	struct proxy_routes_input pi = { .table = svc_table, .n_table = svc_table_len, .serving = a.serving,
					 .plan = &d->net, .ui_upstream = a.ui_upstream, .settings = &a.proxy };
	r = proxy_routes_build(&pi, out);
	apply_input_free(&a);
	return r;
}

static const struct proxy_route *route_find(const struct proxy_route *routes, const char *vip)
{
	for (size_t i = 0; i < SVC_CADDY_MAX_ROUTES; i++)
		if (strcmp(routes[i].vip, vip) == 0)
			return &routes[i];
	return NULL;
}

HANDLER(api_proxy_routes_list)
{
	struct proxy_route routes[SVC_CADDY_MAX_ROUTES];
	int r = routes_now(d, routes);
	if (r < 0)
		return r;
	json_t *list = json_array();
	for (size_t i = 0; list && i < SVC_CADDY_MAX_ROUTES; i++)
		json_array_append_new(list, route_json(d, &routes[i]));
	return http_reply(res, 200, json_pack("{s:o}", "routes", list));
}

/* A route switch in flight: applied off the loop (apply_service_async),
 * its settings rendered before they are stored and committed once caddy
 * took them; switches wait for each other (apply_when_free). */
struct route_change {
	struct deferred *df;
	char vip[PROXY_VIP_MAX + 1];
	bool enabled;
	char user[sizeof(((struct auth_info *)0)->username)];
	struct proxy_settings settings;
};

static void route_answer(struct daemon *d, struct route_change *c, struct http_response *res)
{
	log_info("proxy route '%s' switched %s by '%s'", c->vip, c->enabled ? "on" : "off", c->user);
	struct proxy_route routes[SVC_CADDY_MAX_ROUTES];
	if (routes_now(d, routes) < 0) {
		http_error(res, 500, "internal", NULL, "internal error");
		return;
	}
	http_reply(res, 200, route_json(d, route_find(routes, c->vip)));
}

static int route_store(struct daemon *d, const struct proxy_settings *p)
{
	int r = store_begin(d->store);
	if (r == 0)
		r = store_proxy_save(d->store, p);
	if (r == 0)
		r = store_commit(d->store);
	if (r < 0)
		store_rollback(d->store);
	return r;
}

/* Not running, a new certificate, or off: the loop's path, with the
 * store's transaction open across it. */
static void route_in_loop(struct daemon *d, struct route_change *c, struct http_response *res)
{
	int r = store_begin(d->store);
	if (r == 0)
		r = store_proxy_save(d->store, &c->settings);
	if (r < 0) {
		store_rollback(d->store);
		http_error(res, 500, "internal", NULL, "internal error");
	} else if (api_apply_commit(d, PROXY_SERVICE, "enabled", res) == 0 && res->status == 0) {
		route_answer(d, c, res);
	} else if (res->status == 0) {
		http_error(res, 500, "internal", NULL, "internal error");
	}
}

static void route_done(struct daemon *d, int r, const char *err, void *cls)
{
	struct route_change *c = cls;
	struct http_response *res = deferred_response(c->df);
	if (r == APPLY_NOT_ASYNC) {
		route_in_loop(d, c, res);
	} else if (r < 0) {
		sse_publish(d->events, "apply", json_pack("{s:s, s:b, s:s}", "service", PROXY_SERVICE, "ok", 0, "error", err));
		if (r == -EINVAL)
			http_error(res, 422, "rejected_by_daemon", "enabled", "%s", err);
		else
			http_error(res, 502, "apply_failed", NULL, "%s", err);
	} else if (route_store(d, &c->settings) < 0) {
		/* caddy runs what the store does not say: bring it back. */
		log_err("proxy route '%s': caddy took the change but the store did not; re-applying", c->vip);
		apply_routes_refresh(d);
		http_error(res, 500, "internal", NULL, "the change could not be stored");
	} else {
		sse_publish(d->events, "apply", json_pack("{s:s, s:b}", "service", PROXY_SERVICE, "ok", 1));
		route_answer(d, c, res);
	}
	deferred_answer(c->df);
	free(c);
}

/* When the proxy is free: the settings as they are now plus this switch. */
static void route_start(struct daemon *d, void *cls)
{
	struct route_change *c = cls;
	struct http_response *res = deferred_response(c->df);
	struct svc *proxy = supervisor_find(&d->sup, PROXY_SERVICE);
	struct field_error e;
	char err[512] = "";
	int r = store_proxy_load(d->store, &c->settings);
	if (r == 0)
		r = proxy_route_set(&c->settings, c->vip, c->enabled, &e);
	if (r == -EINVAL) {
		http_error(res, 400, "invalid_field", e.field, "%s", e.message);
		goto answer;
	}
	if (r == 0)
		r = proxy ? apply_service_async(d, proxy, &c->settings, route_done, c, err, sizeof(err)) : -ENOENT;
	if (r == APPLY_STARTED)
		return;
	if (r == APPLY_NOT_ASYNC) {
		route_in_loop(d, c, res);
	} else if (err[0]) {
		http_error(res, 502, "apply_failed", NULL, "%s", err);
	} else {
		http_error(res, 500, "internal", NULL, "internal error");
	}
answer:
	deferred_answer(c->df);
	free(c);
}

HANDLER(api_proxy_route_put)
{
	const char *vip = req->params[0];
	if (!proxy_vip_known(vip))
		return http_error(res, 404, "not_found", "vip", "no web route '%s' (see GET /api/proxy/routes)", vip);
	static const char *const allowed[] = { "enabled", NULL };
	if (api_body_object(req, res, allowed) < 0)
		return 0;
	json_t *enabled = json_object_get(req->json, "enabled");
	if (!enabled)
		return http_error(res, 400, "missing_field", "enabled", "enabled is required");
	if (!json_is_boolean(enabled))
		return http_error(res, 400, "invalid_field", "enabled", "enabled must be true or false");

	/* Refused at once if the switch itself is invalid. */
	struct proxy_settings p;
	int r = store_proxy_load(d->store, &p);
	if (r < 0)
		return r;
	struct field_error e;
	r = proxy_route_set(&p, vip, json_is_true(enabled), &e);
	if (r == -EINVAL)
		return http_error(res, 400, "invalid_field", e.field, "%s", e.message);
	if (r < 0)
		return r;

	struct svc *proxy = supervisor_find(&d->sup, PROXY_SERVICE);
	if (!proxy)
		return -ENOENT;
	struct route_change *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	snprintf(c->vip, sizeof(c->vip), "%.*s", PROXY_VIP_MAX, vip);
	c->enabled = json_is_true(enabled);
	snprintf(c->user, sizeof(c->user), "%s", req->auth.username);
	if (deferred_begin(d->deferred, req, res, &c->df) < 0) {
		free(c);
		return 0;
	}
	r = apply_when_free(d, proxy, route_start, c);
	if (r < 0) {
		deferred_drop(c->df, res);
		free(c);
		return r;
	}
	return 0;
}
