/* POST /api/cell/stop: stops every service and then picd itself (the
 * answer is sent first: picd stops as on SIGTERM). The network stays;
 * `picd --teardown` removes it. */
#include <signal.h>

#include "common/log.h"
#include "daemon.h"
#include "handlers.h"
#include "common/banned.h"

HANDLER(api_cell_stop)
{
	log_info("cell stop requested by '%s'", req->auth.username);
	json_t *stopped = json_array();
	for (size_t i = 0; i < d->sup.n; i++) {
		struct svc *s = &d->sup.svcs[i];
		if (s->pid > 0) {
			svc_stop(s, true);
			json_array_append_new(stopped, json_string(s->ops->name));
		}
	}
	/* Through the signal path, so requests in flight (this one
	 * included) finish before the loop ends. */
	raise(SIGTERM);
	return http_reply(res, 200, json_pack("{s:o, s:b}", "stopped", stopped, "picd_stopping", 1));
}
