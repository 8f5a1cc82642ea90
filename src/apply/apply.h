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
struct proxy_settings;

enum apply_outcome {
	APPLY_UNCHANGED, /* the rendered config is what is installed */
	APPLY_APPLIED,
	APPLY_STARTED,   /* apply_service_async: under way, `done` will say */
	APPLY_NOT_ASYNC, /* apply_service_async: take the loop's path */
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

/* Changes off the loop. A running daemon with a live API (caddy) is
 * changed by the service's worker thread (apply_async.c): the loop loads
 * the renderer's input, the thread renders, checks, installs, reloads,
 * probes, verifies and restores on failure, and `done` runs in the loop
 * with the outcome (as apply_service's: APPLY_APPLIED, APPLY_UNCHANGED,
 * -EINVAL refused, -EIO, ...; APPLY_NOT_ASYNC when the settings turn the
 * service off: use apply_service) and the message. Returns APPLY_STARTED
 * (`done` will be called, once), APPLY_NOT_ASYNC (the daemon is not
 * running, has no live API, is being changed already, or needs a new
 * certificate: use apply_service), or -errno with `err` (nothing
 * changed). `proxy`: render with these proxy settings instead of the
 * store's, so a change can be committed only once caddy took it (NULL:
 * the store's). *
 * One change per service at a time: while one is in flight,
 * apply_service on that service answers -EBUSY, and a change that must
 * wait is queued with apply_when_free, whose `start` runs in the loop
 * once the service is free (at once if it is). */
typedef void (*apply_done_fn)(struct daemon *d, int r, const char *err, void *cls);
typedef void (*apply_start_fn)(struct daemon *d, void *cls);
int apply_service_async(struct daemon *d, struct svc *s, const struct proxy_settings *proxy, apply_done_fn done,
			void *cls, char *err, size_t errlen);
int apply_when_free(struct daemon *d, struct svc *s, apply_start_fn start, void *cls);
/* apply_install off the loop: the loop loads the renderer's input from
 * the store; the service's worker renders (unbound.conf is 8 MB at 10,000
 * peers), checks (unbound-checkconf on it takes seconds) and installs,
 * and `done` gets APPLY_UNCHANGED, APPLY_APPLIED or -errno. Returns
 * APPLY_STARTED, APPLY_NOT_ASYNC (busy or stopping: try later, or
 * apply_install), or -errno with `err`. */
int apply_install_async(struct daemon *d, struct svc *s, apply_done_fn done, void *cls, char *err, size_t errlen);
/* apply_service off the loop for a running daemon without a live API
 * (unbound, chronyd, dnsmasq): the loop loads the renderer's input now,
 * from the store as the caller's open transaction has it (the caller may
 * roll back once this returns, and commit its change once `done` says the
 * daemon took it); the worker renders, checks and installs; the loop
 * sends the daemon its reload signal or restarts it; the worker probes
 * and verifies; on a failure the loop puts the last good config back.
 * `done` gets APPLY_APPLIED, APPLY_UNCHANGED, APPLY_NOT_ASYNC (the
 * settings turn the service off: use apply_service), -EINVAL (refused by
 * the checker) or -EIO. Returns APPLY_STARTED, APPLY_NOT_ASYNC (not
 * running, a live API or a certificate of its own, busy, or stopping:
 * use apply_service), or -errno with `err`. */
int apply_change_async(struct daemon *d, struct svc *s, apply_done_fn done, void *cls, char *err, size_t errlen);
bool apply_busy(struct daemon *d, const struct svc *s);
int apply_async_new(struct daemon *d);
/* At exit: waits for the changes in flight and runs their `done`, then
 * the waiters' `start`. */
void apply_async_free(struct daemon *d);

/* apply_service for every available service; stops at nothing, returns
 * the first error. */
int apply_all(struct daemon *d, bool start, char *err, size_t errlen);
