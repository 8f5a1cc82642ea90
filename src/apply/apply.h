/* The apply engine: the one path every change to a managed daemon takes.
 *   render (pure) → write a candidate → check it with the daemon's own
 *   checker → install atomically (the old file kept as last-good) → apply
 *   live (the daemon's reload, or a restart when it has none) → verify with
 *   its health probe → on any failure put the last good config back.
 * Failures come back as a message for the API response. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct daemon;
struct svc;

enum apply_outcome {
	APPLY_UNCHANGED, /* the rendered config is what is installed */
	APPLY_APPLIED,
};

/* Renders, checks, installs and applies the configuration of `s` from the
 * daemon's current snapshot (d->config, d->net, settings in the store).
 * With `start`, a stopped daemon is started too. Returns an apply_outcome,
 * -EINVAL when the daemon's checker refused the config (nothing changed),
 * or another -errno when it could not be applied (the previous config was
 * restored); `err` says why. */
int apply_service(struct daemon *d, struct svc *s, bool start, char *err, size_t errlen);

/* Renders, checks and installs the config of `s` without touching the
 * running daemon: for a daemon that was already changed live to the same
 * state (the DNS service's VPN views), so that its next start reads what
 * it runs now. */
int apply_install(struct daemon *d, struct svc *s, char *err, size_t errlen);

/* apply_service for every available service; stops at nothing, returns
 * the first error. */
int apply_all(struct daemon *d, bool start, char *err, size_t errlen);
