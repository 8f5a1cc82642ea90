/* Starting managed daemons and their checkers. A service process runs
 *   - in a session of its own (setsid), so signals to picd's group miss it;
 *   - in a private mount namespace with a tmpfs on /run and /tmp, and the
 *     service's directory bind-mounted at SVC_ROOT (/run/pic), so rendered
 *     configs name the same fixed paths in every cell;
 *   - in the service's network namespace, when one is given;
 *   - with a clean environment, stdin on /dev/null and stdout/stderr
 *     appended to its log file (a file, not a pipe to picd: the daemon must
 *     not get SIGPIPE when picd dies);
 *   - with no other file descriptors, default signal dispositions and mask.
 * argv[0] must be an absolute path; nothing goes through a shell. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SVC_ROOT "/run/pic"

struct spawn_spec {
	const char *const *argv;
	const char *svc_dir;    /* host path bind-mounted at SVC_ROOT */
	const char *netns_path; /* NULL: stay in picd's network namespace */
	const char *log_path;   /* NULL: /dev/null */
	bool capture_stdout;    /* priv_run: capture stdout instead of stderr */
	const char *const *env; /* more "NAME=value" (NULL-ended), or NULL */
	/* NULL, or a name N: /run/N is a symlink to SVC_ROOT/N, for a daemon
	 * that insists on a fixed path under /run (wireguard-go's UAPI
	 * sockets in /run/wireguard) which picd must reach. */
	const char *run_link;
};

/* Starts the process; returns its pid and a pidfd for the loop. */
int priv_spawn(const struct spawn_spec *spec, pid_t *ret_pid, int *ret_pidfd);

/* Runs a short-lived command (a config checker, a control client) in the
 * same kind of sandbox and waits up to `timeout_ms`. Its standard error —
 * where checkers complain; their standard output often echoes the config —
 * or, with `capture_stdout`, its standard output goes into `out` (at most
 * `outlen` - 1 bytes, NUL-terminated); the other stream is dropped. Returns the exit
 * status (0..255), or -ETIMEDOUT (the process is killed), or -errno. */
int priv_run(const struct spawn_spec *spec, unsigned timeout_ms, char *out, size_t outlen);

/* A new session is a new autogroup, which the scheduler weighs as one
 * task at nice 0 whatever its members' niceness: a checker started by a
 * background worker (common/worker.h) would take the CPU from the loop as
 * much as the loop does. In a process that just made its session: the
 * group gets the process's niceness; without autogroups (or under a
 * cgroup) there is nothing to do. Async-signal-safe. */
void priv_keep_background_priority(void);
