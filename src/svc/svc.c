/* Supervisor: lifecycle of each managed daemon (see svc.h). */
#include "svc.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "common/loop.h"
#include "daemon.h"
#include "priv/priv_spawn.h"
#include "svc_proc.h"
#include "common/banned.h"

static const char *const state_names[] = {
	[SVC_UNAVAILABLE] = "unavailable", [SVC_STOPPED] = "stopped", [SVC_RUNNING] = "running",
	[SVC_STOPPING] = "stopping",       [SVC_BACKOFF] = "restarting", [SVC_FAILED] = "failed",
	[SVC_DISABLED] = "disabled",
};

const char *svc_state_name(enum svc_state s)
{
	return state_names[s];
}

static const struct netplan_service *svc_net(const struct svc *s)
{
	return svc_ops_net(&s->sup->d->net, s->ops);
}

static int path_in(char *out, size_t len, const char *dir, const char *file)
{
	int n = snprintf(out, len, "%s/%s", dir, file);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* --- output --------------------------------------------------------- */

static void svc_log_refresh(struct svc *s)
{
	int r = svc_log_poll(&s->log, s->log_path);
	if (r < 0)
		log_debug("%s: cannot read %s", s->ops->name, s->log_path);
	else if (r > 0 && s->sup->log_grew)
		s->sup->log_grew(s, s->sup->log_grew_cls);
}

static void on_inotify(struct loop *l, int fd, uint32_t events, void *data)
{
	struct supervisor *sup = data;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			for (size_t i = 0; i < sup->n; i++)
				if (sup->svcs[i].log_watch == ev->wd)
					svc_log_refresh(&sup->svcs[i]);
			p += sizeof(*ev) + ev->len;
		}
	}
}

/* Reports a change of "running and healthy". */
static void serving_update(struct svc *s)
{
	bool now = s->state == SVC_RUNNING && s->healthy;
	if (now == s->serving)
		return;
	s->serving = now;
	if (s->sup->serving_changed)
		s->sup->serving_changed(s, s->sup->serving_changed_cls);
}

/* --- exits and restarts --------------------------------------------- */

static void forget_process(struct svc *s)
{
	loop_remove(s->sup->d->loop, s->pidfd_source);
	s->pidfd_source = NULL;
	if (s->pidfd >= 0)
		close(s->pidfd);
	s->pidfd = -1;
	s->pid = 0;
	s->adopted = false;
	s->healthy = false;
	s->unhealthy_since_ms = 0;
	s->health_kill = false;
	unlink(s->pid_path);
	serving_update(s);
}

static void describe_exit(struct svc *s, const siginfo_t *si, bool known)
{
	if (!known)
		snprintf(s->last_error, sizeof(s->last_error), "%s exited", s->ops->daemon);
	else if (si->si_code == CLD_EXITED)
		snprintf(s->last_error, sizeof(s->last_error), "%s exited with status %d", s->ops->daemon,
			 si->si_status);
	else
		snprintf(s->last_error, sizeof(s->last_error), "%s was killed by signal %d (%s)",
			 s->ops->daemon, si->si_status, strsignal(si->si_status));
}

static unsigned recent_exits(struct svc *s, uint64_t now)
{
	unsigned n = 0;
	for (unsigned i = 0; i < s->n_exits && i < SVC_CRASH_LOOP_EXITS; i++)
		if (now - s->exit_ms[i] < SVC_CRASH_LOOP_WINDOW_MS)
			n++;
	return n;
}

static void handle_exit(struct svc *s, const siginfo_t *si, bool known)
{
	enum svc_state was = s->state;
	/* Stopped for failing its probe: last_error says so already. */
	if (was != SVC_STOPPING && was != SVC_STOPPED && !s->health_kill)
		describe_exit(s, si, known);
	uint64_t now = loop_now_ms();
	int64_t ran_s = time(NULL) - s->started_at;
	forget_process(s);
	svc_log_refresh(s);

	if (was == SVC_STOPPING || was == SVC_STOPPED || was == SVC_DISABLED) {
		s->state = was == SVC_DISABLED ? SVC_DISABLED : SVC_STOPPED;
		log_info("%s stopped", s->ops->name);
		return;
	}
	s->exit_ms[s->n_exits++ % SVC_CRASH_LOOP_EXITS] = now;
	if (recent_exits(s, now) >= SVC_CRASH_LOOP_EXITS) {
		s->state = SVC_FAILED;
		log_err("%s failed: %s; %d exits within %d s, not restarting until started by hand",
			s->ops->name, s->last_error, SVC_CRASH_LOOP_EXITS, SVC_CRASH_LOOP_WINDOW_MS / 1000);
		return;
	}
	if (ran_s * 1000 >= SVC_CRASH_LOOP_WINDOW_MS)
		s->backoff_step = 0; /* it had been fine for a while */
	uint64_t delay = 0;
	if (s->backoff_step > 0) {
		delay = (uint64_t)SVC_BACKOFF_FIRST_MS << (s->backoff_step - 1);
		if (delay > SVC_BACKOFF_MAX_MS)
			delay = SVC_BACKOFF_MAX_MS;
	}
	s->backoff_step++;
	s->state = SVC_BACKOFF;
	s->restart_at_ms = now + delay;
	log_warn("%s: %s; restarting in %" PRIu64 " ms", s->ops->name, s->last_error, delay);
}

static void on_pidfd(struct loop *l, int fd, uint32_t events, void *data)
{
	struct svc *s = data;
	siginfo_t si = { 0 };
	/* Our own child is reaped here; an adopted one (child of someone
	 * else) cannot be, and its exit status is unknown. */
	bool known = waitid((idtype_t)P_PIDFD, (id_t)fd, &si, WEXITED | WNOHANG) == 0 && si.si_pid != 0;
	if (!known && errno != ECHILD && svc_proc_alive(s->pid, s->ops->binary))
		return;
	handle_exit(s, &si, known);
}

/* --- health --------------------------------------------------------- */

/* A probe's outcome: healthy or not, since when. */
static void health_record(struct svc *s, bool ok, const char *err)
{
	uint64_t now = loop_now_ms();
	s->healthy = ok;
	snprintf(s->health_error, sizeof(s->health_error), "%s", ok ? "" : err);
	if (ok)
		s->unhealthy_since_ms = 0;
	else if (!s->unhealthy_since_ms && now >= s->running_since_ms + SVC_HEALTH_GRACE_MS)
		s->unhealthy_since_ms = now;
}

bool svc_unhealthy(const struct svc *s)
{
	return s->state == SVC_RUNNING && s->unhealthy_since_ms != 0;
}

/* It runs but has not answered for SVC_HEALTH_RESTART_MS: stop it so that
 * the exit restarts it like a crash (back-off, crash-loop parking). A
 * daemon stopped with SIGSTOP is continued so it can take the SIGTERM;
 * the tick sends SIGKILL after the grace time. */
static void health_restart(struct svc *s, uint64_t now)
{
	snprintf(s->last_error, sizeof(s->last_error), "%s did not answer its health probe for %d s (%s)",
		 s->ops->daemon, SVC_HEALTH_RESTART_MS / 1000, s->health_error[0] ? s->health_error : "no answer");
	log_warn("%s: %s: restarting it", s->ops->name, s->last_error);
	s->health_kill = true;
	s->kill_at_ms = now + SVC_STOP_GRACE_MS;
	kill(s->pid, SIGCONT);
	svc_proc_terminate(s->pid, s->ops->stop_wake_port);
}

static void probe_done(struct svc *s, int r, const char *err)
{
	bool was = s->healthy;
	health_record(s, r == 0, err);
	if (was && !s->healthy)
		log_warn("%s health probe failed: %s", s->ops->name, err);
	loop_remove(s->sup->d->loop, s->probe_source);
	s->probe_source = NULL;
	if (s->probe_fd >= 0)
		close(s->probe_fd);
	s->probe_fd = -1;
	/* An unhealthy daemon is asked again soon. */
	s->next_probe_ms = loop_now_ms() + (s->healthy ? SVC_HEALTH_INTERVAL_MS : SVC_HEALTH_RETRY_MS);
	serving_update(s);
}

static void on_probe_answer(struct loop *l, int fd, uint32_t events, void *data)
{
	struct svc *s = data;
	char err[160] = "";
	int r = s->ops->probe_check(fd, err, sizeof(err));
	probe_done(s, r, err);
}

static void probe_begin(struct svc *s)
{
	const struct netplan_service *net = svc_net(s);
	char err[160] = "";
	if (!s->ops->probe_send) {
		health_record(s, s->pid > 0, "not running");
		s->next_probe_ms = loop_now_ms() + SVC_HEALTH_INTERVAL_MS;
		serving_update(s);
		return;
	}
	if (!net)
		return;
	int r = s->ops->probe_send(net, &s->probe_fd, err, sizeof(err));
	if (r == 0)
		r = loop_add_fd(s->sup->d->loop, s->probe_fd, EPOLLIN, on_probe_answer, s, &s->probe_source);
	if (r < 0) {
		probe_done(s, r, err[0] ? err : strerror(-r));
		return;
	}
	s->probe_deadline_ms = loop_now_ms() + SVC_HEALTH_TIMEOUT_MS;
}

int svc_probe_wire(const struct svc_ops *ops, const struct netplan_service *net, unsigned timeout_ms, char *err,
		   size_t errlen)
{
	/* A daemon just (re)started may not listen yet, and the kernel
	 * rate-limits the "port unreachable" that would say so: ask again
	 * every 5 ms until it answers or the time is up. */
	uint64_t deadline = loop_now_ms() + timeout_ms;
	int r;
	do {
		int fd = -1;
		r = ops->probe_send(net, &fd, err, errlen);
		if (r == 0) {
			/* A greeting may take a while: the daemon forks a
			 * process for the connection (probe_wait_ms). */
			uint64_t now = loop_now_ms();
			unsigned wait = ops->probe_wait_ms ? ops->probe_wait_ms : 5;
			if (deadline > now && deadline - now < wait)
				wait = (unsigned)(deadline - now);
			struct pollfd p = { .fd = fd, .events = POLLIN };
			int ready = poll(&p, 1, (int)wait);
			r = ops->probe_check(fd, err, errlen);
			close(fd);
			if (r != 0 && ready > 0) { /* refused: not listening yet */
				struct timespec pause = { 0, 2 * 1000 * 1000 };
				nanosleep(&pause, NULL);
			}
		} else {
			struct timespec pause = { 0, 2 * 1000 * 1000 };
			nanosleep(&pause, NULL);
		}
	} while (r != 0 && loop_now_ms() < deadline);
	return r;
}

int svc_probe_now(struct svc *s, unsigned timeout_ms, char *err, size_t errlen)
{
	const struct netplan_service *net = svc_net(s);
	if (!s->ops->probe_send) {
		/* Nothing to ask on the wire: running is all we can tell. */
		snprintf(err, errlen, "%s is not running", s->ops->daemon);
		health_record(s, s->pid > 0, err);
		serving_update(s);
		return s->healthy ? 0 : -ESRCH;
	}
	if (!net)
		return -ENOENT;
	int r = svc_probe_wire(s->ops, net, timeout_ms, err, errlen);
	health_record(s, r == 0, err);
	serving_update(s);
	return r;
}

/* --- the tick: deadlines -------------------------------------------- */

static int64_t until(uint64_t deadline, uint64_t now)
{
	return deadline > now ? (int64_t)(deadline - now) : 0;
}

static int64_t on_tick(struct loop *l, void *data)
{
	struct supervisor *sup = data;
	uint64_t now = loop_now_ms();
	int64_t wait = -1;
	for (size_t i = 0; i < sup->n; i++) {
		struct svc *s = &sup->svcs[i];
		int64_t w = -1;
		if (s->state == SVC_BACKOFF) {
			if (now >= s->restart_at_ms) {
				s->restarts++;
				svc_start(s);
			} else {
				w = until(s->restart_at_ms, now);
			}
		} else if (s->state == SVC_STOPPING && s->pid > 0) {
			if (now >= s->kill_at_ms) {
				log_warn("%s did not stop within %d ms: killing it", s->ops->name, SVC_STOP_GRACE_MS);
				kill(s->pid, SIGKILL);
				s->kill_at_ms = now + SVC_STOP_GRACE_MS;
			}
			w = until(s->kill_at_ms, now);
		} else if (s->state == SVC_RUNNING && s->health_kill) {
			if (now >= s->kill_at_ms) {
				log_warn("%s did not stop within %d ms: killing it", s->ops->name, SVC_STOP_GRACE_MS);
				kill(s->pid, SIGKILL);
				s->kill_at_ms = now + SVC_STOP_GRACE_MS;
			}
			w = until(s->kill_at_ms, now);
		} else if (s->state == SVC_RUNNING && s->unhealthy_since_ms &&
			   now - s->unhealthy_since_ms >= SVC_HEALTH_RESTART_MS) {
			health_restart(s, now);
			w = until(s->kill_at_ms, now);
		} else if (s->state == SVC_RUNNING) {
			if (s->probe_fd >= 0 && now >= s->probe_deadline_ms)
				probe_done(s, -ETIMEDOUT, "no answer to the health probe in time");
			else if (s->probe_fd < 0 && now >= s->next_probe_ms)
				probe_begin(s);
			w = until(s->probe_fd >= 0 ? s->probe_deadline_ms : s->next_probe_ms, now);
		}
		if (w >= 0 && (wait < 0 || w < wait))
			wait = w;
	}
	return wait;
}

/* --- start, stop, adopt -------------------------------------------- */

static int watch_process(struct svc *s, pid_t pid, int pidfd)
{
	s->pid = pid;
	s->pidfd = pidfd;
	int r = loop_add_fd(s->sup->d->loop, pidfd, EPOLLIN, on_pidfd, s, &s->pidfd_source);
	if (r < 0)
		return r;
	s->state = SVC_RUNNING;
	s->probe_fd = -1;
	s->running_since_ms = loop_now_ms();
	s->unhealthy_since_ms = 0;
	s->health_kill = false;
	s->next_probe_ms = s->running_since_ms + SVC_HEALTH_FIRST_MS;
	return 0;
}

int svc_start(struct svc *s)
{
	if (s->state == SVC_UNAVAILABLE)
		return -ENOPKG;
	if (s->pid > 0)
		return 0;
	if (s->ops->own_pidfile) {
		char stale[PATH_MAX + 64];
		if (snprintf(stale, sizeof(stale), "%s/%s", s->dir, s->ops->own_pidfile) < (int)sizeof(stale))
			unlink(stale);
	}
	const struct netplan_service *net = svc_net(s);
	struct spawn_spec spec = { .argv = s->ops->run_argv, .svc_dir = s->dir,
				   .netns_path = net ? net->netns_path : NULL, .log_path = s->log_path,
				   .env = s->ops->env, .run_link = s->ops->run_link };
	pid_t pid;
	int pidfd;
	int r = priv_spawn(&spec, &pid, &pidfd);
	if (r < 0) {
		snprintf(s->last_error, sizeof(s->last_error), "cannot start %s: %s", s->ops->daemon, strerror(-r));
		log_err("%s: %s", s->ops->name, s->last_error);
		s->state = SVC_FAILED;
		return r;
	}
	s->started_at = time(NULL);
	r = svc_proc_write_pidfile(s->pid_path, pid);
	if (r < 0)
		log_warn("%s: cannot write %s: %s (a restarted picd will not adopt it)", s->ops->name,
			 s->pid_path, strerror(-r));
	r = watch_process(s, pid, pidfd);
	if (r < 0)
		return r;
	log_info("%s started (%s, pid %d)", s->ops->name, s->ops->daemon, (int)pid);
	return 0;
}

int svc_adopt(struct svc *s)
{
	pid_t pid;
	int64_t started_at;
	if (s->state == SVC_UNAVAILABLE || svc_proc_read_pidfile(s->pid_path, s->ops->binary, &pid, &started_at) < 0)
		return 0;
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return 0;
	if (watch_process(s, pid, pidfd) < 0) {
		close(pidfd);
		return 0;
	}
	s->adopted = true;
	s->started_at = started_at;
	log_info("%s: adopted the running %s (pid %d)", s->ops->name, s->ops->daemon, (int)pid);
	return 1;
}

int svc_stop(struct svc *s, bool wait)
{
	if (s->state == SVC_BACKOFF || s->state == SVC_FAILED) {
		s->state = SVC_STOPPED;
		return 0;
	}
	if (s->state == SVC_DISABLED)
		return 0;
	if (s->pid <= 0)
		return 0;
	s->state = SVC_STOPPING;
	s->kill_at_ms = loop_now_ms() + SVC_STOP_GRACE_MS;
	svc_proc_terminate(s->pid, s->ops->stop_wake_port);
	if (!wait)
		return 0;
	siginfo_t si = { 0 };
	int r = svc_proc_wait(s->pidfd, SVC_STOP_GRACE_MS, &si);
	if (r == -ETIMEDOUT) {
		log_warn("%s did not stop within %d ms: killing it", s->ops->name, SVC_STOP_GRACE_MS);
		kill(s->pid, SIGKILL);
		r = svc_proc_wait(s->pidfd, SVC_STOP_GRACE_MS, &si);
	}
	handle_exit(s, &si, r == 0 && si.si_pid != 0);
	return 0;
}

int svc_restart(struct svc *s)
{
	int r = svc_stop(s, true);
	if (r == 0) {
		s->state = SVC_STOPPED;
		r = svc_start(s);
	}
	return r;
}

/* --- setup ---------------------------------------------------------- */

static int dir_make(const char *svc_dir, const struct svc_dir *d)
{
	char path[PATH_MAX];
	int r = path_in(path, sizeof(path), svc_dir, d->path);
	mode_t mode = d->mode ? d->mode : 0755;
	if (r == 0)
		r = fs_ensure_dir(path, mode);
	if (r < 0)
		return r;
	uid_t uid = 0;
	gid_t gid = 0;
	if (d->user) {
		struct passwd *pw = getpwnam(d->user);
		if (!pw)
			return -ENOENT;
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	}
	if (d->group) {
		struct group *gr = getgrnam(d->group);
		if (!gr)
			return -ENOENT;
		gid = gr->gr_gid;
	}
	if (chown(path, uid, gid) < 0 || chmod(path, mode) < 0)
		return -errno;
	return 0;
}

int svc_write_files(const struct svc_ops *ops, const char *dir)
{
	char sub[PATH_MAX];
	int r = 0;
	if (ops->check_dir) {
		r = path_in(sub, sizeof(sub), dir, ops->check_dir);
		if (r == 0)
			r = fs_ensure_dir(sub, 0700);
	}
	for (size_t i = 0; r == 0 && i < ops->n_files; i++) {
		const struct svc_file *f = &ops->files[i];
		char path[PATH_MAX];
		for (int pass = 0; r == 0 && pass < (ops->check_dir ? 2 : 1); pass++) {
			r = path_in(path, sizeof(path), pass ? sub : dir, f->name);
			if (r == 0)
				r = fs_write_atomic(path, f->content, strlen(f->content), 0644);
		}
	}
	return r;
}

static int svc_prepare_dir(struct svc *s, const char *state_dir)
{
	char services[PATH_MAX];
	int r = path_in(services, sizeof(services), state_dir, "services");
	if (r == 0)
		r = fs_ensure_dir(services, 0755);
	if (r == 0)
		r = path_in(s->dir, sizeof(s->dir), services, s->ops->name);
	if (r == 0)
		r = fs_ensure_dir(s->dir, s->ops->dir_mode ? s->ops->dir_mode : 0700);
	if (r == 0)
		r = path_in(s->log_path, sizeof(s->log_path), s->dir, "output.log");
	if (r == 0)
		r = path_in(s->pid_path, sizeof(s->pid_path), s->dir, "daemon.pid");
	for (const struct svc_dir *d = s->ops->dirs; r == 0 && d && d->path; d++)
		r = dir_make(s->dir, d);
	if (r == 0)
		r = svc_write_files(s->ops, s->dir);
	if (r < 0)
		return r;
	if (s->ops->user && s->ops->user_owns_dir) {
		struct passwd *pw = getpwnam(s->ops->user);
		if (pw && chown(s->dir, pw->pw_uid, pw->pw_gid) < 0)
			return -errno;
	}
	int fd = open(s->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int supervisor_init(struct supervisor *sup, struct daemon *d)
{
	*sup = (struct supervisor){ .d = d, .inotify_fd = -1 };
	sup->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (sup->inotify_fd < 0)
		return -errno;
	int r = loop_add_fd(d->loop, sup->inotify_fd, EPOLLIN, on_inotify, sup, &sup->inotify_source);
	if (r < 0)
		return r;
	sup->svcs = calloc(svc_table_len, sizeof(*sup->svcs));
	if (!sup->svcs)
		return -ENOMEM;
	for (size_t i = 0; i < svc_table_len && i < SVC_MAX; i++) {
		struct svc *s = &sup->svcs[sup->n++];
		*s = (struct svc){ .ops = svc_table[i], .sup = sup, .state = SVC_STOPPED, .pidfd = -1,
				   .probe_fd = -1, .log_watch = -1 };
		if (access(s->ops->binary, X_OK) < 0) {
			s->state = SVC_UNAVAILABLE;
			snprintf(s->last_error, sizeof(s->last_error),
				 "%s is not installed (Debian package '%s')", s->ops->binary, s->ops->package);
			log_warn("%s: %s", s->ops->name, s->last_error);
		}
		r = svc_prepare_dir(s, d->opt.state_dir);
		if (r < 0)
			return r;
		svc_log_refresh(s);
		s->log_watch = inotify_add_watch(sup->inotify_fd, s->log_path, IN_MODIFY);
	}
	return loop_add_tick(d->loop, on_tick, sup);
}

void supervisor_free(struct supervisor *sup)
{
	if (!sup || !sup->d)
		return;
	for (size_t i = 0; i < sup->n; i++) {
		struct svc *s = &sup->svcs[i];
		/* The daemons keep running: only picd's handles go. */
		loop_remove(sup->d->loop, s->pidfd_source);
		loop_remove(sup->d->loop, s->probe_source);
		if (s->pidfd >= 0)
			close(s->pidfd);
		if (s->probe_fd >= 0)
			close(s->probe_fd);
		svc_log_free(&s->log);
	}
	free(sup->svcs);
	sup->svcs = NULL;
	loop_remove_tick(sup->d->loop, on_tick, sup);
	loop_remove(sup->d->loop, sup->inotify_source);
	if (sup->inotify_fd >= 0)
		close(sup->inotify_fd);
}

struct svc *supervisor_find(struct supervisor *sup, const char *name)
{
	for (size_t i = 0; i < sup->n; i++)
		if (strcmp(sup->svcs[i].ops->name, name) == 0)
			return &sup->svcs[i];
	return NULL;
}
