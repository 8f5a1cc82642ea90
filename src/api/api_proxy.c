/* /api/proxy/routes: the proxy's web routes (which service each virtual
 * IP's name reaches, and whether it serves now), and the owner's switch
 * that takes a route off the air and puts it back. A switch is applied
 * through the apply engine (one caddy /load) and committed only if the
 * proxy took it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "api_apply.h"
#include "api_body.h"
#include "apply/apply_input.h"
#include "common/log.h"
#include "daemon.h"
#include "handlers.h"
#include "model/ipplan.h"
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
	r = store_begin(d->store);
	if (r == 0)
		r = store_proxy_save(d->store, &p);
	if (r < 0) {
		store_rollback(d->store);
		return r;
	}
	r = api_apply_commit(d, PROXY_SERVICE, "enabled", res);
	if (r < 0 || res->status)
		return r;
	log_info("proxy route '%s' switched %s by '%s'", vip, json_is_true(enabled) ? "on" : "off",
		 req->auth.username);
	struct proxy_route routes[SVC_CADDY_MAX_ROUTES];
	r = routes_now(d, routes);
	if (r < 0)
		return r;
	return http_reply(res, 200, route_json(d, route_find(routes, vip)));
}
