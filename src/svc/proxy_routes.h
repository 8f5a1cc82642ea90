/* The proxy's routes, worked out from what the services declare
 * (svc_ops.routes), which of them serve, and the owner's switches: one
 * route per web virtual IP of the address plan, in svc_caddy_routes'
 * order. The web interface's route is picd's own. A pure function: the
 * proxy's renderer and GET /api/proxy/routes read the same answer. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "svc_caddy.h"
#include "svc_ops.h"

enum proxy_route_state {
	PROXY_ROUTE_SERVING,     /* proxied to its running, healthy service */
	PROXY_ROUTE_NOT_RUNNING, /* its service is stopped, starting or failing: 503 */
	PROXY_ROUTE_NO_SERVICE,  /* no service of this version serves it yet: 503 */
	PROXY_ROUTE_OFF,         /* switched off by the owner: 503 */
};

struct proxy_route {
	const char *vip;
	const char *name;    /* for people: "The calendar" */
	const char *service; /* "picd" for the web interface, a svc_ops name, or NULL */
	unsigned port;       /* the service's port; 0 without one */
	enum proxy_route_state state;
	char upstream[SVC_CADDY_UPSTREAM_MAX + 1]; /* "host:port" while SERVING, else "" */
};

struct proxy_routes_input {
	const struct svc_ops *const *table;
	size_t n_table;
	const bool *serving;       /* per table entry; NULL: none serves */
	const struct netplan *plan; /* where the services are; NULL: nowhere yet */
	const char *ui_upstream;   /* picd as the proxy reaches it; NULL: not reachable */
	const struct proxy_settings *settings; /* NULL: every route on */
};

/* Fills `out` (SVC_CADDY_MAX_ROUTES of them). -EINVAL for declarations
 * that cannot be served: an unknown virtual IP, one declared twice or by
 * a service on the host network, the web interface's, or a port out of
 * range. */
int proxy_routes_build(const struct proxy_routes_input *in, struct proxy_route out[SVC_CADDY_MAX_ROUTES]);

/* "serving", "not running", "no service", "off". */
const char *proxy_route_state_name(enum proxy_route_state s);

/* The renderer's view of `routes`. */
void proxy_routes_for_caddy(const struct proxy_route *routes, size_t n, struct caddy_route *out);
