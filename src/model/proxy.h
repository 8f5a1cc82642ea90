/* The owner's say over the proxy's web routes: each web service's route
 * (one per virtual IP of the address plan) can be switched off, so that
 * its name answers 503 "switched off" whatever the service is doing —
 * maintenance, or a service the owner does not want reachable for now.
 * The web interface's route cannot be: it is how the owner gets back. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "field_error.h"

/* One per web virtual IP in ipplan_table. */
#define PROXY_ROUTES_MAX 8
#define PROXY_VIP_MAX 15
/* The route of the web interface (picd): never switched off. */
#define PROXY_WEBUI_VIP "webui"

struct proxy_settings {
	size_t n_off;
	char off[PROXY_ROUTES_MAX][PROXY_VIP_MAX + 1]; /* virtual IP names, sorted */
};

/* True when `vip` names a web virtual IP of the address plan. */
bool proxy_vip_known(const char *vip);
bool proxy_route_is_off(const struct proxy_settings *p, const char *vip);
/* Switches the route of `vip` on or off (`enabled`). -ENOENT for a name
 * that is no web virtual IP, -EINVAL with `e` (field "enabled") for the
 * web interface's route switched off. */
int proxy_route_set(struct proxy_settings *p, const char *vip, bool enabled, struct field_error *e);
