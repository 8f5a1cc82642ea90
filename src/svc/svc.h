/* The supervisor: runs each managed daemon (svc_ops.h) as a child in its
 * namespaces, restarts it on a crash with exponential backoff, parks it as
 * `failed` after a crash loop, follows its output, probes its health, and
 * on start adopts daemons a previous picd left running instead of starting
 * second copies (the data plane outlives the control plane). Everything
 * is driven by the event loop: pidfds for exits, inotify for logs, a tick
 * for deadlines. */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "svc_log.h"
#include "svc_ops.h"

#define SVC_MAX 16
#define SVC_CRASH_LOOP_EXITS 5     /* this many exits ... */
#define SVC_CRASH_LOOP_WINDOW_MS 60000 /* ... within this long: failed */
#define SVC_BACKOFF_FIRST_MS 200
#define SVC_BACKOFF_MAX_MS 10000
#define SVC_STOP_GRACE_MS 3000
#define SVC_HEALTH_INTERVAL_MS 5000
/* A running daemon whose probe has failed for this long is restarted
 * (with the usual back-off); failures in the first SVC_HEALTH_GRACE_MS
 * after it started or was adopted do not count: it may still be
 * loading. */
#define SVC_HEALTH_RESTART_MS 5000
#define SVC_HEALTH_GRACE_MS 2000
#define SVC_HEALTH_TIMEOUT_MS 1000
#define SVC_HEALTH_RETRY_MS 250
#define SVC_HEALTH_FIRST_MS 20 /* after a start, give the daemon a moment */

struct daemon;
struct loop_source;

enum svc_state {
	SVC_UNAVAILABLE, /* its Debian package is not installed */
	SVC_STOPPED,
	SVC_RUNNING,
	SVC_STOPPING,
	SVC_BACKOFF,     /* exited; restarts at restart_at_ms */
	SVC_FAILED,      /* crash loop; waits for a start by hand */
	SVC_DISABLED,    /* its settings say off (DHCP without an interface) */
};

struct svc {
	const struct svc_ops *ops;
	struct supervisor *sup;
	enum svc_state state;
	pid_t pid;
	int pidfd;
	struct loop_source *pidfd_source;
	bool adopted;
	int64_t started_at; /* wall clock seconds */
	uint64_t restart_at_ms, kill_at_ms;
	unsigned restarts;
	unsigned backoff_step;
	uint64_t exit_ms[SVC_CRASH_LOOP_EXITS];
	unsigned n_exits;
	char last_error[256];
	const char *disabled_reason; /* why it is SVC_DISABLED (a static string) */

	bool healthy;
	uint64_t running_since_ms;   /* started or adopted, loop clock */
	uint64_t unhealthy_since_ms; /* 0, or when its probe began failing (after the grace) */
	bool health_kill;            /* being stopped for failing its probe: to be restarted */
	bool serving; /* running and healthy, as last reported to serving_changed */
	/* Changes made to the running daemon beside its file (unbound's
	 * views): a config rendered before the last of them is stale. */
	uint64_t live_edits;
	char health_error[160];
	int probe_fd;
	struct loop_source *probe_source;
	uint64_t probe_deadline_ms, next_probe_ms;

	struct svc_log log;
	int log_watch;
	char dir[PATH_MAX];
	char log_path[PATH_MAX];
	char pid_path[PATH_MAX];
};

struct supervisor {
	struct daemon *d;
	size_t n;
	struct svc *svcs; /* n of them, one per table entry */
	int inotify_fd;
	struct loop_source *inotify_source;
	/* Called when a service's output grew (log followers). */
	void (*log_grew)(struct svc *s, void *cls);
	void *log_grew_cls;
	/* Called when a service starts or stops serving (running and
	 * healthy): the proxy follows the services it routes to, the VPN is
	 * configured when its daemon (re)starts. */
	void (*serving_changed)(struct svc *s, void *cls);
	void *serving_changed_cls;
};

const char *svc_state_name(enum svc_state s);

/* Sets up the table's services under <state_dir>/services/; marks those
 * whose binary is missing unavailable. */
int supervisor_init(struct supervisor *sup, struct daemon *d);
/* Writes ops->files into `dir` and, with ops->check_dir, into that
 * subdirectory of it too (made 0700). */
int svc_write_files(const struct svc_ops *ops, const char *dir);
void supervisor_free(struct supervisor *sup);
struct svc *supervisor_find(struct supervisor *sup, const char *name);

/* Adopts the running daemon recorded in the pidfile, if it is still that
 * daemon; 1 if adopted, 0 if not. */
int svc_adopt(struct svc *s);
/* Starts the daemon (its config must be installed). */
int svc_start(struct svc *s);
/* Asks it to stop (SIGTERM, SIGKILL after the grace time). With `wait`,
 * returns only once it is gone. */
int svc_stop(struct svc *s, bool wait);
/* Stop (waiting) and start: used by the apply engine. */
int svc_restart(struct svc *s);

/* Running, but its health probe has been failing past the start grace:
 * the cell is degraded, and the daemon is restarted once this lasts
 * SVC_HEALTH_RESTART_MS. */
bool svc_unhealthy(const struct svc *s);

/* Asks the daemon on the wire (ops->probe_send/probe_check, which must be
 * set) every 5 ms until it answers or `timeout_ms` is up, blocking: no
 * supervisor bookkeeping, so a child process may use it too. */
int svc_probe_wire(const struct svc_ops *ops, const struct netplan_service *net, unsigned timeout_ms, char *err,
		   size_t errlen);

/* Runs the health probe now, waiting up to `timeout_ms` (apply verify). */
int svc_probe_now(struct svc *s, unsigned timeout_ms, char *err, size_t errlen);
