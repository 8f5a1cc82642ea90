/* Apply-then-commit for settings changes (see api_apply.h). */
#include "api_apply.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apply/apply.h"
#include "common/log.h"
#include "daemon.h"
#include "deferred.h"
#include "sse.h"
#include "store/store.h"
#include "common/banned.h"

/* The answer to a change the daemon did not take (nothing is stored). */
static int refused(struct daemon *d, const char *service, const char *field, int r, const char *err,
		   struct http_response *res)
{
	sse_publish(d->events, "apply", json_pack("{s:s, s:b, s:s}", "service", service, "ok", 0, "error", err));
	if (r == -EINVAL)
		return http_error(res, 422, "rejected_by_daemon", field, "%s", err);
	if (r == -EBUSY) {
		http_response_header(res, "Retry-After", "1");
		return http_error(res, 503, "busy", NULL, "%s; try again in a second", err);
	}
	return http_error(res, 502, "apply_failed", NULL, "%s", err[0] ? err : strerror(-r));
}

int api_apply_commit(struct daemon *d, const char *service, const char *field, struct http_response *res)
{
	struct svc *s = supervisor_find(&d->sup, service);
	char err[512] = "";
	int r = s ? apply_service(d, s, false, err, sizeof(err)) : -ENOENT;
	if (r < 0 && r != -ENOPKG) {
		store_rollback(d->store);
		return refused(d, service, field, r, err, res);
	}
	r = store_commit(d->store);
	if (r < 0) {
		store_rollback(d->store);
		return r;
	}
	sse_publish(d->events, "apply", json_pack("{s:s, s:b}", "service", service, "ok", 1));
	return 0;
}

/* ---- A change applied off the loop (api_apply_change) ---- */

struct api_change {
	struct deferred *df;
	struct svc *svc;
	const char *field;
	const struct api_change_ops *ops;
	void *cls;
};

static void change_finish(struct api_change *c)
{
	deferred_answer(c->df);
	free(c->cls);
	free(c);
}

/* The change written in a new transaction: 0, or <0 rolled back (with
 * `res` set for the client's mistakes). */
static int change_write(struct daemon *d, struct api_change *c, struct http_response *res)
{
	int r = store_begin(d->store);
	if (r == 0)
		r = c->ops->write(d, c->cls, res);
	if (r < 0)
		store_rollback(d->store);
	return r;
}

static void change_answer(struct daemon *d, struct api_change *c, int r, struct http_response *res)
{
	if (r < 0 && !res->status)
		http_error(res, 500, "internal", NULL, "internal error");
	else if (r == 0 && !res->status)
		c->ops->answer(d, c->cls, res);
}

/* The loop's way: the transaction open across apply_service. */
static void change_in_loop(struct daemon *d, struct api_change *c, struct http_response *res)
{
	int r = change_write(d, c, res);
	if (r == 0)
		r = api_apply_commit(d, c->svc->ops->name, c->field, res);
	change_answer(d, c, r, res);
}

static void change_done(struct daemon *d, int r, const char *err, void *cls)
{
	struct api_change *c = cls;
	struct http_response *res = deferred_response(c->df);
	const char *service = c->svc->ops->name;
	if (r == APPLY_NOT_ASYNC) {
		change_in_loop(d, c, res);
	} else if (r < 0) {
		refused(d, service, c->field, r, err, res);
	} else {
		/* The daemon runs it: now it is stored. */
		r = change_write(d, c, res);
		if (r == 0 && (r = store_commit(d->store)) < 0)
			store_rollback(d->store);
		if (r < 0) {
			log_err("%s: the daemon took a change the store did not; applying the stored settings", service);
			char ignored[256];
			apply_service(d, c->svc, false, ignored, sizeof(ignored));
		} else {
			sse_publish(d->events, "apply", json_pack("{s:s, s:b}", "service", service, "ok", 1));
		}
		change_answer(d, c, r, res);
	}
	change_finish(c);
}

/* When the service is free: written, rendered from it, rolled back; the
 * rest in its worker. */
static void change_start(struct daemon *d, void *cls)
{
	struct api_change *c = cls;
	struct http_response *res = deferred_response(c->df);
	char err[512] = "";
	int r = change_write(d, c, res);
	if (r < 0) {
		change_answer(d, c, r, res);
		change_finish(c);
		return;
	}
	r = apply_change_async(d, c->svc, change_done, c, err, sizeof(err));
	store_rollback(d->store);
	if (r == APPLY_STARTED)
		return;
	if (r == APPLY_NOT_ASYNC)
		change_in_loop(d, c, res);
	else if (r < 0 && !res->status)
		refused(d, c->svc->ops->name, c->field, r, err, res);
	change_finish(c);
}

int api_apply_change(struct daemon *d, struct http_request *req, struct http_response *res, const char *service,
		     const char *field, const struct api_change_ops *ops, void *cls)
{
	struct svc *s = supervisor_find(&d->sup, service);
	struct api_change *c = s ? calloc(1, sizeof(*c)) : NULL;
	if (!c) {
		free(cls);
		return s ? -ENOMEM : -ENOENT;
	}
	*c = (struct api_change){ .svc = s, .field = field, .ops = ops, .cls = cls };
	if (deferred_begin(d->deferred, req, res, &c->df) < 0) {
		free(cls);
		free(c);
		return 0; /* res: 503 */
	}
	int r = apply_when_free(d, s, change_start, c);
	if (r < 0) {
		deferred_drop(c->df, res);
		free(cls);
		free(c);
		return r;
	}
	return 0;
}
