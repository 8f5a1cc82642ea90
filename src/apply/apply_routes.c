/* Re-applying the proxy when the services behind its routes come and go
 * (see apply_routes.h). */
#include "apply_routes.h"

#include <stdint.h>

#include "apply.h"
#include "common/log.h"
#include "common/loop.h"
#include "daemon.h"
#include "common/banned.h"

#define PROXY_SERVICE "proxy"

void apply_routes_on_serving(struct daemon *d, struct svc *s)
{
	if (s->ops->n_routes == 0)
		return;
	log_info("%s %s serving: the proxy follows", s->ops->name, s->serving ? "is" : "stopped");
	if (d->proxy_refresh_at_ms == 0)
		d->proxy_refresh_at_ms = loop_now_ms() + APPLY_ROUTES_BATCH_MS;
}

static void on_done(struct daemon *d, int r, const char *err, void *cls)
{
	char why[512] = "";
	if (r == APPLY_NOT_ASYNC) {
		struct svc *proxy = supervisor_find(&d->sup, PROXY_SERVICE);
		r = proxy ? apply_service(d, proxy, false, why, sizeof(why)) : 0;
		err = why;
	}
	if (r < 0)
		log_err("proxy: the routes could not follow the services: %s", err);
}

static int64_t on_tick(struct loop *l, void *data)
{
	struct daemon *d = data;
	if (d->proxy_refresh_at_ms == 0)
		return -1;
	uint64_t now = loop_now_ms();
	if (now < d->proxy_refresh_at_ms)
		return (int64_t)(d->proxy_refresh_at_ms - now);
	d->proxy_refresh_at_ms = 0;
	struct svc *proxy = supervisor_find(&d->sup, PROXY_SERVICE);
	if (!proxy || proxy->state == SVC_UNAVAILABLE || proxy->state == SVC_DISABLED)
		return -1;
	if (apply_busy(d, proxy)) {
		/* A change is in flight: follow once it is done. */
		d->proxy_refresh_at_ms = now + APPLY_ROUTES_BATCH_MS;
		return APPLY_ROUTES_BATCH_MS;
	}
	char err[512] = "";
	int r = apply_service_async(d, proxy, NULL, on_done, NULL, err, sizeof(err));
	if (r == APPLY_NOT_ASYNC)
		r = apply_service(d, proxy, false, err, sizeof(err));
	if (r < 0)
		log_err("proxy: the routes could not follow the services: %s", err);
	return -1;
}

void apply_routes_refresh(struct daemon *d)
{
	if (d->proxy_refresh_at_ms == 0)
		d->proxy_refresh_at_ms = loop_now_ms() + APPLY_ROUTES_BATCH_MS;
}

int apply_routes_follow(struct daemon *d)
{
	return loop_add_tick(d->loop, on_tick, d);
}
