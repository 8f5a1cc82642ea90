/* Scope-bound cleanup helpers (systemd style).
 *
 * A variable declared with one of these attributes is released when it
 * leaves scope; TAKE_PTR/TAKE_FD hand ownership on and leave the variable
 * empty so the cleanup does nothing. */
#pragma once

#include <stdlib.h>
#include <unistd.h>

static inline void freep(void *p) { free(*(void **)p); }
static inline void closep(int *fd) { if (*fd >= 0) close(*fd); }

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)

#define TAKE_PTR(p) ({ __typeof__(p) _tp = (p); (p) = NULL; _tp; })
#define TAKE_FD(fd) ({ int _tf = (fd); (fd) = -1; _tf; })

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Declares a cleanup function `name##p` for `type *` that calls `fn`. */
#define DEFINE_PTR_CLEANUP(type, fn) \
	static inline void fn##p(type **p) { if (*p) fn(*p); }
