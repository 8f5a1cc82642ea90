/* Apply-then-commit for settings changes (see api_apply.h). */
#include "api_apply.h"

#include <errno.h>

#include "apply/apply.h"
#include "daemon.h"
#include "sse.h"
#include "store/store.h"
#include "common/banned.h"

int api_apply_commit(struct daemon *d, const char *service, const char *field, struct http_response *res)
{
	struct svc *s = supervisor_find(&d->sup, service);
	char err[512] = "";
	int r = s ? apply_service(d, s, false, err, sizeof(err)) : -ENOENT;
	if (r < 0 && r != -ENOPKG) {
		store_rollback(d->store);
		sse_publish(d->events, "apply", json_pack("{s:s, s:b, s:s}", "service", service, "ok", 0, "error", err));
		if (r == -EINVAL)
			return http_error(res, 422, "rejected_by_daemon", field, "%s", err);
		if (r == -EBUSY) {
			http_response_header(res, "Retry-After", "1");
			return http_error(res, 503, "busy", NULL, "%s; try again in a second", err);
		}
		return http_error(res, 502, "apply_failed", NULL, "%s", err);
	}
	r = store_commit(d->store);
	if (r < 0) {
		store_rollback(d->store);
		return r;
	}
	sse_publish(d->events, "apply", json_pack("{s:s, s:b}", "service", service, "ok", 1));
	return 0;
}
