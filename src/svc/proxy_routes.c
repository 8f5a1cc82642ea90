/* The proxy's routes from the services' declarations (see proxy_routes.h). */
#include "proxy_routes.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model/cidr.h"
#include "common/banned.h"

#define PICD "picd"

/* The service declaring `vip`, or -1; -EINVAL if two do or a declaration
 * is unusable. */
static int declaring(const struct proxy_routes_input *in, const char *vip, const struct svc_route **ret)
{
	int found = -1;
	for (size_t i = 0; i < in->n_table; i++) {
		const struct svc_ops *ops = in->table[i];
		for (size_t j = 0; j < ops->n_routes; j++) {
			const struct svc_route *r = &ops->routes[j];
			if (strcmp(r->vip, vip) != 0)
				continue;
			if (found >= 0 || ops->host_network || r->port < 1 || r->port > 65535 || !r->name)
				return -EINVAL;
			found = (int)i;
			*ret = r;
		}
	}
	return found;
}

static int declarations_known(const struct proxy_routes_input *in)
{
	for (size_t i = 0; i < in->n_table; i++)
		for (size_t j = 0; j < in->table[i]->n_routes; j++) {
			const char *vip = in->table[i]->routes[j].vip;
			if (!vip || !proxy_vip_known(vip) || strcmp(vip, PROXY_WEBUI_VIP) == 0)
				return -EINVAL;
		}
	return 0;
}

int proxy_routes_build(const struct proxy_routes_input *in, struct proxy_route out[SVC_CADDY_MAX_ROUTES])
{
	int r = declarations_known(in);
	if (r < 0)
		return r;
	for (size_t i = 0; i < SVC_CADDY_MAX_ROUTES; i++) {
		const struct caddy_route *reserved = &svc_caddy_routes[i];
		struct proxy_route *o = &out[i];
		*o = (struct proxy_route){ .vip = reserved->vip, .name = reserved->name,
					   .state = PROXY_ROUTE_NO_SERVICE };
		bool webui = strcmp(o->vip, PROXY_WEBUI_VIP) == 0;
		const char *upstream = NULL;
		char addr[IPV4_STR_MAX + 8];
		if (webui) {
			o->service = PICD;
			upstream = in->ui_upstream;
			o->state = PROXY_ROUTE_NOT_RUNNING;
		} else {
			const struct svc_route *decl = NULL;
			int svc = declaring(in, o->vip, &decl);
			if (svc == -EINVAL)
				return -EINVAL;
			if (svc >= 0) {
				const struct svc_ops *ops = in->table[svc];
				const struct netplan_service *net = in->plan ? svc_ops_net(in->plan, ops) : NULL;
				o->service = ops->name;
				o->name = decl->name;
				o->port = decl->port;
				o->state = PROXY_ROUTE_NOT_RUNNING;
				if (net && in->serving && in->serving[svc]) {
					char ip[IPV4_STR_MAX];
					ipv4_format(net->addrs[0], ip);
					snprintf(addr, sizeof(addr), "%s:%u", ip, decl->port);
					upstream = addr;
				}
			}
		}
		if (upstream) {
			int n = snprintf(o->upstream, sizeof(o->upstream), "%s", upstream);
			if (n < 0 || (size_t)n >= sizeof(o->upstream))
				return -EINVAL;
			o->state = PROXY_ROUTE_SERVING;
		}
		if (in->settings && proxy_route_is_off(in->settings, o->vip) && !webui) {
			o->state = PROXY_ROUTE_OFF;
			o->upstream[0] = '\0';
		}
	}
	return 0;
}

const char *proxy_route_state_name(enum proxy_route_state s)
{
	switch (s) {
	case PROXY_ROUTE_SERVING: return "serving";
	case PROXY_ROUTE_NOT_RUNNING: return "not running";
	case PROXY_ROUTE_NO_SERVICE: return "no service";
	case PROXY_ROUTE_OFF: return "off";
	}
	return "?";
}

void proxy_routes_for_caddy(const struct proxy_route *routes, size_t n, struct caddy_route *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (struct caddy_route){ .vip = routes[i].vip, .name = routes[i].name,
					       .upstream = routes[i].upstream[0] ? routes[i].upstream : NULL,
					       .off = routes[i].state == PROXY_ROUTE_OFF };
}
