/* The steps of an apply (apply.h), shared by the loop's path (apply.c)
 * and the one that runs in a service's worker thread (apply_async.c).
 * The steps taking a service's ops and directory rather than its struct
 * svc use nothing of the loop's: they run in either. */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct buf;
struct cell_config;
struct daemon;
struct netplan_service;
struct proxy_settings;
struct svc;
struct svc_ops;

/* unbound.conf holds a view per possible VPN peer address and, in each
 * peer's, the names it may not resolve: ~5 MB at 10,000 peers on a /18. */
#define APPLY_CONFIG_MAX (32u * 1024 * 1024)
#define APPLY_CHECK_TIMEOUT_MS 10000
#define APPLY_VERIFY_TIMEOUT_MS 3000
/* A render this big is followed by malloc_trim (its pages would stay
 * resident under what is allocated after them); smaller ones are not
 * worth the trim's walk of the heap. */
#define APPLY_TRIM_AFTER_BYTES (1024u * 1024)

struct config_paths {
	char live[PATH_MAX];
	char candidate[PATH_MAX];
	char last_good[PATH_MAX];
};

int apply_config_paths(const struct svc *s, struct config_paths *p);
/* Whether the file at `path` holds exactly `data`. */
bool apply_file_equals(const char *path, const char *data, size_t len);
/* Writes the candidate config (0644: a daemon that dropped privileges
 * re-reads it on reload), dated back when the daemon asks for it. */
int apply_write_candidate(const struct svc_ops *ops, const char *path, const struct buf *text);
/* Renders the config; 1 when the settings say the service is off.
 * `proxy`: the proxy's settings as they are about to be, instead of the
 * store's (NULL: the store's). In the loop. */
int apply_render_with(struct daemon *d, const struct svc *s, const struct proxy_settings *proxy, struct buf *out);
/* The cell's root certificate, for a verification. */
int apply_ca_file(const struct daemon *d, char *out, size_t outlen);

/* The daemon's checker on `candidate`; -EINVAL (and the candidate
 * removed) when it refuses. */
int apply_check(const struct svc_ops *ops, const char *dir, const char *candidate, char *err, size_t errlen);
/* The installed config at `live_path` through the daemon's live API. */
int apply_reload_live(const struct svc_ops *ops, const char *dir, const char *live_path, bool force, char *err,
		      size_t errlen);
/* The daemon's own check from a client's side, when it has one. */
int apply_verify(const struct svc_ops *ops, const char *dir, const struct cell_config *cell, const char *ca_file,
		 const char *live_path, char *why, size_t whylen);
/* The daemon's wire probe, without the supervisor's bookkeeping;
 * -ENOENT without an address. */
int apply_probe_wire(const struct svc_ops *ops, const struct netplan_service *net, char *err, size_t errlen);
