/* GET /health: liveness for load balancers and scripts; no auth. */
#include <jansson.h>

#include "common/loop.h"
#include "daemon.h"
#include "handlers.h"
#include "version.h"
#include "common/banned.h"

HANDLER(api_health_get)
{
	uint64_t uptime_s = (loop_now_ms() - d->started_ms) / 1000;
	return http_reply(res, 200, json_pack("{s:s, s:s, s:I}", "status", "ok", "version", PIC_VERSION,
					      "uptime_s", (json_int_t)uptime_s));
}
