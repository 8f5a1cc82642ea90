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
