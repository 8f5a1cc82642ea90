/* GET /health: liveness for load balancers and scripts, with each
 * service's state; no auth. */
#include <jansson.h>
#include <stdbool.h>

#include "common/loop.h"
#include "daemon.h"
#include "handlers.h"
#include "version.h"
#include "common/banned.h"

HANDLER(api_health_get)
{
	uint64_t uptime_s = (loop_now_ms() - d->started_ms) / 1000;
	json_t *services = json_object();
	bool degraded = false;
	for (size_t i = 0; services && i < d->sup.n; i++) {
		const struct svc *s = &d->sup.svcs[i];
		/* A daemon that runs but does not answer is not shown as running. */
		bool unhealthy = svc_unhealthy(s);
		json_object_set_new(services, s->ops->name,
				    json_string(unhealthy ? "unhealthy" : svc_state_name(s->state)));
		degraded = degraded || unhealthy || s->state == SVC_FAILED || s->state == SVC_BACKOFF;
	}
	/* picd answers, so the API is fine; "degraded" says a service is not. */
	return http_reply(res, 200, json_pack("{s:s, s:s, s:I, s:o}", "status", degraded ? "degraded" : "ok",
					      "version", PIC_VERSION, "uptime_s", (json_int_t)uptime_s,
					      "services", services));
}
