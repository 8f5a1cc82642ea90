/* The end of every API change to a daemon's settings: the settings are
 * written in the caller's open store transaction, visible to the renderer
 * but not yet committed; this applies the daemon's config through the apply
 * engine and commits only if the daemon took it. A refused config (the
 * daemon's own checker) answers 422 naming `field`, a failed apply 502 (the
 * previous config was restored); both roll the store back. The outcome is
 * also published on /api/events. */
#pragma once

#include "http.h"

struct daemon;

/* 0 when committed (res untouched); 0 with res set when refused; -errno
 * on a store failure (rolled back). A missing package commits anyway: the
 * settings take effect once it is installed. */
int api_apply_commit(struct daemon *d, const char *service, const char *field, struct http_response *res);

/* The same off the loop, for a daemon without a live API: the change is
 * written, the config rendered from it and the transaction rolled back;
 * the service's worker checks and installs, the daemon reloads, and only
 * then is the change written again and committed and the answer given
 * (deferred). Changes to one service wait for each other, each written
 * from what the one before committed. Where the apply cannot run off the
 * loop (not running, turned off by the change), the loop's way. */
struct api_change_ops {
	/* In an open transaction: the change into the store. 0, or -errno
	 * (with `res` set for the client's mistakes: 400, 404, 409). Runs
	 * twice: before the render and before the commit. */
	int (*write)(struct daemon *d, void *cls, struct http_response *res);
	/* Once committed: the answer. */
	void (*answer)(struct daemon *d, void *cls, struct http_response *res);
};

/* Takes `cls` (freed with free() once answered). Returns 0 (deferred, or
 * `res` set) or -errno. */
int api_apply_change(struct daemon *d, struct http_request *req, struct http_response *res, const char *service,
		     const char *field, const struct api_change_ops *ops, void *cls);
