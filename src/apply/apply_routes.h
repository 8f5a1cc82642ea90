/* The proxy follows the services it routes to: when a service that
 * declares web routes (svc_ops.routes) starts or stops serving, the
 * proxy's config is applied again — after APPLY_ROUTES_BATCH_MS, so that
 * services changing together cost one caddy /load, not one each. */
#pragma once

struct daemon;

#define APPLY_ROUTES_BATCH_MS 50

struct svc;

/* Registers the batching tick (d->loop must be set up). */
int apply_routes_follow(struct daemon *d);
/* For the supervisor's serving_changed: schedules the proxy when `s`
 * declares routes. */
void apply_routes_on_serving(struct daemon *d, struct svc *s);

/* Re-applies the proxy from the store after the batching delay (a change
 * caddy took that the store could not record is undone this way). */
void apply_routes_refresh(struct daemon *d);
