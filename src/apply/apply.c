/* The apply engine (see apply.h). */
#include "apply.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/log.h"
#include "common/loop.h"
#include "daemon.h"
#include "pki/pki_ca.h"
#include "priv/priv_spawn.h"
#include "store/store_proxy.h"
#include "apply_input.h"
#include "apply_tls.h"
#include "svc/svc.h"
#include "common/banned.h"

/* unbound.conf holds a view per possible VPN peer address and, in each
 * peer's, the names it may not resolve: ~5 MB at 10,000 peers on a /18. */
#define APPLY_CONFIG_MAX (32u * 1024 * 1024)
#define APPLY_CHECK_TIMEOUT_MS 10000
#define APPLY_VERIFY_TIMEOUT_MS 3000

struct config_paths {
	char live[PATH_MAX];
	char candidate[PATH_MAX];
	char last_good[PATH_MAX];
};

static int config_paths(const struct svc *s, struct config_paths *p)
{
	int a = snprintf(p->live, sizeof(p->live), "%s/%s", s->dir, s->ops->config_file);
	int b = snprintf(p->candidate, sizeof(p->candidate), "%s.new", p->live);
	int c = snprintf(p->last_good, sizeof(p->last_good), "%s.last-good", p->live);
	if (a < 0 || b < 0 || c < 0 || (size_t)a >= sizeof(p->live) || (size_t)b >= sizeof(p->candidate) ||
	    (size_t)c >= sizeof(p->last_good))
		return -ENAMETOOLONG;
	return 0;
}

/* Whether the file at `path` holds exactly `data`. */
static bool file_equals(const char *path, const char *data, size_t len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || (size_t)st.st_size != len)
		return false;
	_cleanup_free_ char *have = malloc(len + 1);
	return have && read(fd, have, len + 1) == (ssize_t)len && memcmp(have, data, len) == 0;
}

/* Renders the config; 1 when the settings say the service is off.
 * `proxy`: the proxy's settings as they are about to be, instead of the
 * store's (NULL: the store's). */
static int render_with(struct daemon *d, const struct svc *s, const struct proxy_settings *proxy,
		       struct buf *out)
{
	_cleanup_free_ struct apply_input *a = malloc(sizeof(*a));
	if (!a)
		return -ENOMEM;
	int r = apply_input_load(d, s->ops->name, a);
	if (r < 0)
		return r;
	if (proxy)
		a->proxy = *proxy;
	if (!a->in.net && !s->ops->host_network)
		r = -ENOENT;
	else if (s->ops->enabled && !s->ops->enabled(&a->in))
		r = 1;
	else
		r = s->ops->render(&a->in, out);
	apply_input_free(a);
	return r;
}

static int render(struct daemon *d, const struct svc *s, struct buf *out)
{
	return render_with(d, s, NULL, out);
}

/* The settings turned the service off: stop it, remember why. */
static int disable(struct svc *s)
{
	if (s->pid > 0) {
		svc_stop(s, true);
		log_info("%s: disabled by its settings", s->ops->name);
	}
	s->state = SVC_DISABLED;
	s->disabled_reason = "its settings turn it off";
	return APPLY_UNCHANGED;
}

/* The first line of a checker's output, for a message. */
static void first_line(const char *text, char *out, size_t outlen)
{
	size_t len = strcspn(text, "\n");
	if (len >= outlen)
		len = outlen - 1;
	memcpy(out, text, len);
	out[len] = '\0';
}

static int check(struct svc *s, const char *candidate, char *err, size_t errlen)
{
	char output[2048];
	struct spawn_spec spec = { .argv = s->ops->check_argv, .svc_dir = s->dir, .env = s->ops->env };
	int rc = priv_run(&spec, APPLY_CHECK_TIMEOUT_MS, output, sizeof(output));
	if (rc == 0)
		return 0;
	char line[256];
	first_line(output, line, sizeof(line));
	if (rc < 0)
		snprintf(err, errlen, "%s's check could not run: %s", s->ops->daemon, strerror(-rc));
	else
		snprintf(err, errlen, "%s refused the configuration: %s", s->ops->daemon,
			 line[0] ? line : "(no message)");
	unlink(candidate);
	return -EINVAL;
}

/* Makes the running daemon take the installed config: its live API
 * when it has one (caddy's /load), else SIGHUP or a restart. `force`:
 * the config is unchanged but its certificate is new, which a live API
 * would otherwise take for nothing to do. */
static int reload(struct svc *s, const char *live_path, bool force)
{
	if (s->pid <= 0)
		return svc_start(s);
	if (s->ops->apply_live && live_path) {
		struct buf text;
		char err[256] = "";
		buf_init(&text, APPLY_CONFIG_MAX);
		int r = fs_read_file(live_path, &text);
		if (r == 0)
			r = s->ops->apply_live(s->dir, text.data ? text.data : "", text.len, force, err, sizeof(err));
		buf_free(&text);
		if (r == 0)
			return 0;
		log_warn("%s: live reload failed (%s); restarting", s->ops->name, err[0] ? err : strerror(-r));
	}
	if (s->ops->reload == SVC_RELOAD_SIGHUP)
		return kill(s->pid, SIGHUP) < 0 ? -errno : 0;
	return svc_restart(s);
}

static int restore_last_good(struct svc *s, const struct config_paths *p)
{
	if (rename(p->last_good, p->live) < 0)
		return -errno;
	return reload(s, p->live, false);
}

/* The daemon's own check from a client's side, when it has one. */
static int verify(struct daemon *d, struct svc *s, const struct config_paths *p, char *why, size_t whylen)
{
	if (!s->ops->verify)
		return 0;
	char ca_file[sizeof(d->opt.ca_dir) + 16];
	struct buf text;
	buf_init(&text, APPLY_CONFIG_MAX);
	int r = fs_read_file(p->live, &text);
	if (r < 0) {
		snprintf(why, whylen, "cannot read the installed config: %s", strerror(-r));
		buf_free(&text);
		return r;
	}
	snprintf(ca_file, sizeof(ca_file), "%s/" PKI_CA_CERT_FILE, d->opt.ca_dir);
	struct svc_verify v = { .cell = &d->config, .svc_dir = s->dir, .config = text.data ? text.data : "",
				.len = text.len, .ca_file = ca_file, .timeout_ms = APPLY_VERIFY_TIMEOUT_MS };
	r = s->ops->verify(&v, why, whylen);
	buf_free(&text);
	return r;
}

static int apply_mode(struct daemon *d, struct svc *s, bool start, bool install_only, char *err, size_t errlen)
{
	if (s->state == SVC_UNAVAILABLE) {
		snprintf(err, errlen, "%s", s->last_error);
		return -ENOPKG;
	}
	if (!s->ops->render) {
		/* Configured live once it runs (svc_ops.render); disabled when
		 * not needed (the kernel runs WireGuard). */
		if (s->state == SVC_DISABLED)
			return APPLY_UNCHANGED;
		if (s->pid <= 0 && start && s->state != SVC_FAILED)
			return svc_start(s) < 0 ? -EIO : APPLY_APPLIED;
		return APPLY_UNCHANGED;
	}
	struct config_paths p;
	struct buf text;
	buf_init(&text, APPLY_CONFIG_MAX);
	/* The certificate must be in place before the checker reads the
	 * config that names it. */
	bool new_leaf = false;
	if (s->ops->needs_leaf) {
		int t = apply_tls_ensure(d, s, err, errlen);
		if (t < 0)
			return t;
		new_leaf = t == 1;
	}
	int r = config_paths(s, &p);
	if (r == 0)
		r = render(d, s, &text);
	if (r < 0) {
		snprintf(err, errlen, "cannot render the %s configuration: %s", s->ops->name, strerror(-r));
		buf_free(&text);
		return r;
	}
	if (r == 1) {
		buf_free(&text);
		return disable(s);
	}
	if (s->state == SVC_DISABLED) {
		s->state = SVC_STOPPED;
		start = true; /* turned on by its settings */
	}
	bool running = s->pid > 0;
	if (file_equals(p.live, text.data, text.len)) {
		buf_free(&text);
		if (!running && start && s->state != SVC_FAILED)
			return svc_start(s) < 0 ? -EIO : APPLY_UNCHANGED;
		/* Same config, new certificate (a renewal): it must be read. */
		if (running && new_leaf) {
			char why[256] = "";
			if (reload(s, p.live, true) < 0 || verify(d, s, &p, why, sizeof(why)) < 0) {
				snprintf(err, errlen, "%s did not take its new certificate%s%s", s->ops->daemon,
					 why[0] ? ": " : "", why);
				return -EIO;
			}
		}
		return new_leaf ? APPLY_APPLIED : APPLY_UNCHANGED;
	}

	/* 0644: a daemon that dropped privileges re-reads it on reload. */
	r = fs_write_atomic(p.candidate, text.data, text.len, 0644);
	buf_free(&text);
	if (r < 0) {
		snprintf(err, errlen, "cannot write %s: %s", p.candidate, strerror(-r));
		return r;
	}
	r = check(s, p.candidate, err, errlen);
	if (r < 0)
		return r;

	bool had_live = access(p.live, F_OK) == 0;
	if ((had_live && rename(p.live, p.last_good) < 0) || rename(p.candidate, p.live) < 0) {
		r = -errno;
		snprintf(err, errlen, "cannot install %s: %s", p.live, strerror(-r));
		return r;
	}
	if ((!running && !start) || install_only) {
		log_info("%s: new configuration installed (%s)", s->ops->name,
			 running ? "it already runs with it" : "not running");
		return APPLY_APPLIED;
	}

	r = reload(s, p.live, new_leaf);
	char why[256] = "";
	if (r == 0)
		r = svc_probe_now(s, APPLY_VERIFY_TIMEOUT_MS, why, sizeof(why));
	if (r == 0)
		r = verify(d, s, &p, why, sizeof(why));
	else if (!why[0])
		snprintf(why, sizeof(why), "%s", s->last_error);
	if (r == 0) {
		log_info("%s: new configuration applied and verified", s->ops->name);
		return APPLY_APPLIED;
	}
	snprintf(err, errlen, "%s did not work with the new configuration (%s)", s->ops->daemon, why);
	if (had_live) {
		int rr = restore_last_good(s, &p);
		log_err("%s: %s; %s", s->ops->name, err,
			rr == 0 ? "the previous configuration was restored" : "restoring the previous one failed too");
		size_t used = strlen(err);
		snprintf(err + used, errlen - used, "; the previous configuration was restored");
	}
	return r < 0 ? r : -EIO;
}

/* A render builds from the whole store (at 10,000 peers and records,
 * unbound.conf is 8 MB from tens of thousands of small blocks): once it
 * is freed, the heap is trimmed, or those pages stay resident under
 * whatever was allocated after them. */
static int apply_mode_and_trim(struct daemon *d, struct svc *s, bool start, bool install_only, char *err,
			       size_t errlen)
{
	if (apply_busy(d, s)) {
		snprintf(err, errlen, "a change to the %s configuration is being applied", s->ops->name);
		return -EBUSY;
	}
	int r = apply_mode(d, s, start, install_only, err, errlen);
	malloc_trim(0);
	return r;
}

int apply_service(struct daemon *d, struct svc *s, bool start, char *err, size_t errlen)
{
	return apply_mode_and_trim(d, s, start, false, err, errlen);
}

int apply_install(struct daemon *d, struct svc *s, char *err, size_t errlen)
{
	return apply_mode_and_trim(d, s, false, true, err, errlen);
}

int apply_all(struct daemon *d, bool start, char *err, size_t errlen)
{
	int first = 0;
	for (size_t i = 0; i < d->sup.n; i++) {
		struct svc *s = &d->sup.svcs[i];
		if (s->state == SVC_UNAVAILABLE)
			continue;
		char e[512];
		int r = apply_service(d, s, start, e, sizeof(e));
		if (r < 0) {
			log_err("%s: %s", s->ops->name, e);
			if (first == 0) {
				first = r;
				snprintf(err, errlen, "%s: %s", s->ops->name, e);
			}
		}
	}
	return first;
}

/* ---- Changes applied off the loop (see apply.h: apply_service_async) ----
 *
 * For a running daemon with a live API (caddy), everything after the
 * render runs in a child process picd forks: the checker, the install,
 * the live reload, the wire probe, the client-side verification and, on a
 * failure, the restore. The child works on its copy of picd's memory and
 * touches nothing but files, the daemon's sockets and its own processes;
 * it never uses the store, the supervisor's state or the loop, and ends
 * with _exit. It reports through its exit status and a pipe (the error
 * message). The loop watches it through a pidfd. */

struct apply_waiter {
	apply_start_fn start;
	void *cls;
	struct apply_waiter *next;
};

struct apply_slot {
	bool busy;
	pid_t pid;
	int pidfd, errfd;
	struct loop_source *source;
	struct svc *svc;
	apply_done_fn done;
	void *cls;
	struct apply_waiter *head, *tail;
};

struct apply_async {
	struct daemon *d;
	struct apply_slot slots[APPLY_INPUT_SERVICES_MAX];
};

/* The child's exit statuses. */
enum {
	CHILD_APPLIED = 0,
	CHILD_REFUSED = 1,     /* the checker said no; nothing changed */
	CHILD_RESTORED = 2,    /* it did not work; the last good config is back */
	CHILD_UNRESTORED = 3,  /* ... and putting it back live failed too */
	CHILD_FAILED = 4,      /* could not even try (install failed) */
};

static struct apply_slot *slot_of(struct daemon *d, const struct svc *s)
{
	if (!d->applying || s < d->sup.svcs || s >= d->sup.svcs + d->sup.n)
		return NULL;
	size_t i = (size_t)(s - d->sup.svcs);
	return i < APPLY_INPUT_SERVICES_MAX ? &d->applying->slots[i] : NULL;
}

bool apply_busy(struct daemon *d, const struct svc *s)
{
	struct apply_slot *slot = slot_of(d, s);
	return slot && slot->busy;
}

int apply_async_new(struct daemon *d)
{
	d->applying = calloc(1, sizeof(*d->applying));
	if (!d->applying)
		return -ENOMEM;
	d->applying->d = d;
	for (size_t i = 0; i < APPLY_INPUT_SERVICES_MAX; i++)
		d->applying->slots[i] = (struct apply_slot){ .pidfd = -1, .errfd = -1 };
	return 0;
}

/* The daemon's wire probe, without the supervisor's bookkeeping (which
 * is the loop's). */
static int probe_wire(struct daemon *d, const struct svc *s, char *err, size_t errlen)
{
	if (!s->ops->probe_send)
		return 0;
	const struct netplan_service *net = netplan_find(&d->net, s->ops->name);
	if (!net)
		return -ENOENT;
	return svc_probe_wire(s->ops, net, APPLY_VERIFY_TIMEOUT_MS, err, errlen);
}

/* The live API only: a restart is the supervisor's, in the loop. */
static int reload_live(struct svc *s, const char *live_path, bool force, char *err, size_t errlen)
{
	struct buf text;
	buf_init(&text, APPLY_CONFIG_MAX);
	int r = fs_read_file(live_path, &text);
	if (r == 0)
		r = s->ops->apply_live(s->dir, text.data ? text.data : "", text.len, force, err, errlen);
	buf_free(&text);
	return r;
}

/* In the child: check → install → reload → probe → verify → restore. */
static int child_tail(struct daemon *d, struct svc *s, const struct config_paths *p, bool new_leaf, char *err,
		      size_t errlen)
{
	if (check(s, p->candidate, err, errlen) < 0)
		return CHILD_REFUSED;
	bool had_live = access(p->live, F_OK) == 0;
	if ((had_live && rename(p->live, p->last_good) < 0) || rename(p->candidate, p->live) < 0) {
		snprintf(err, errlen, "cannot install %.200s: %s", p->live, strerror(errno));
		return CHILD_FAILED;
	}
	char why[256] = "";
	int r = reload_live(s, p->live, new_leaf, why, sizeof(why));
	if (r == 0)
		r = probe_wire(d, s, why, sizeof(why));
	if (r == 0)
		r = verify(d, s, p, why, sizeof(why));
	if (r == 0)
		return CHILD_APPLIED;
	snprintf(err, errlen, "%s did not work with the new configuration (%s)", s->ops->daemon,
		 why[0] ? why : strerror(-r));
	if (!had_live)
		return CHILD_RESTORED;
	char ignored[256];
	if (rename(p->last_good, p->live) < 0 || reload_live(s, p->live, false, ignored, sizeof(ignored)) < 0)
		return CHILD_UNRESTORED;
	size_t used = strlen(err);
	snprintf(err + used, errlen - used, "; the previous configuration was restored");
	return CHILD_RESTORED;
}

static void slot_finish(struct apply_async *a, struct apply_slot *slot, int r, const char *err);

static void on_child(struct loop *l, int fd, uint32_t events, void *data)
{
	struct apply_slot *slot = data;
	struct daemon *d = slot->svc->sup->d;
	siginfo_t si = { 0 };
	if (waitid((idtype_t)P_PIDFD, (id_t)fd, &si, WEXITED | WNOHANG) < 0 || si.si_pid == 0)
		return;
	char err[512] = "";
	ssize_t n = read(slot->errfd, err, sizeof(err) - 1);
	err[n > 0 ? n : 0] = '\0';
	int code = si.si_code == CLD_EXITED ? si.si_status : CHILD_FAILED;
	struct svc *s = slot->svc;
	int r;
	switch (code) {
	case CHILD_APPLIED:
		log_info("%s: new configuration applied and verified", s->ops->name);
		r = APPLY_APPLIED;
		break;
	case CHILD_REFUSED:
		r = -EINVAL;
		break;
	case CHILD_UNRESTORED:
		/* The last good file is back; the daemon did not take it live:
		 * the supervisor's way (a restart). */
		log_err("%s: %s; restarting it with the previous configuration", s->ops->name, err);
		svc_restart(s);
		r = -EIO;
		break;
	case CHILD_RESTORED:
		log_err("%s: %s", s->ops->name, err);
		r = -EIO;
		break;
	default:
		if (!err[0])
			snprintf(err, sizeof(err), "the apply process of %s failed", s->ops->name);
		r = -EIO;
		break;
	}
	slot_finish(d->applying, slot, r, err);
}

static void slot_close(struct daemon *d, struct apply_slot *slot)
{
	loop_remove(d->loop, slot->source);
	slot->source = NULL;
	if (slot->pidfd >= 0)
		close(slot->pidfd);
	if (slot->errfd >= 0)
		close(slot->errfd);
	slot->pidfd = slot->errfd = -1;
	slot->pid = 0;
}

/* Runs the next change waiting for this service, if any. */
static void slot_next(struct daemon *d, struct apply_slot *slot)
{
	while (!slot->busy && slot->head) {
		struct apply_waiter *w = slot->head;
		slot->head = w->next;
		if (!slot->head)
			slot->tail = NULL;
		apply_start_fn start = w->start;
		void *cls = w->cls;
		free(w);
		start(d, cls);
	}
}

static void slot_finish(struct apply_async *a, struct apply_slot *slot, int r, const char *err)
{
	struct daemon *d = a->d;
	slot_close(d, slot);
	malloc_trim(0);
	apply_done_fn done = slot->done;
	void *cls = slot->cls;
	slot->busy = false;
	slot->done = NULL;
	slot->cls = NULL;
	/* The done callback commits the store first: the next change
	 * renders from it. */
	done(d, r, err, cls);
	slot_next(d, slot);
}

int apply_when_free(struct daemon *d, struct svc *s, apply_start_fn start, void *cls)
{
	struct apply_slot *slot = slot_of(d, s);
	if (!slot || !slot->busy) {
		start(d, cls);
		return 0;
	}
	struct apply_waiter *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	*w = (struct apply_waiter){ .start = start, .cls = cls };
	if (slot->tail)
		slot->tail->next = w;
	else
		slot->head = w;
	slot->tail = w;
	return 0;
}

int apply_service_async(struct daemon *d, struct svc *s, const struct proxy_settings *proxy, apply_done_fn done,
			void *cls, char *err, size_t errlen)
{
	struct apply_slot *slot = slot_of(d, s);
	if (!slot || slot->busy)
		return APPLY_NOT_ASYNC;
	/* Only a running daemon with a live API changes without the
	 * supervisor (starts and restarts are the loop's). */
	if (!s->ops->render || !s->ops->apply_live || s->state != SVC_RUNNING || s->pid <= 0)
		return APPLY_NOT_ASYNC;
	bool new_leaf = false;
	if (s->ops->needs_leaf) {
		int t = apply_tls_ensure(d, s, err, errlen);
		if (t < 0)
			return t;
		new_leaf = t == 1;
	}
	struct config_paths p;
	struct buf text;
	buf_init(&text, APPLY_CONFIG_MAX);
	int r = config_paths(s, &p);
	if (r == 0)
		r = render_with(d, s, proxy, &text);
	if (r < 0) {
		snprintf(err, errlen, "cannot render the %s configuration: %s", s->ops->name, strerror(-r));
		buf_free(&text);
		return r;
	}
	if (r == 1 || new_leaf) {
		/* Turned off, or a new certificate: the loop's path. */
		buf_free(&text);
		return APPLY_NOT_ASYNC;
	}
	if (file_equals(p.live, text.data, text.len)) {
		buf_free(&text);
		return APPLY_UNCHANGED;
	}
	r = fs_write_atomic(p.candidate, text.data, text.len, 0644);
	buf_free(&text);
	malloc_trim(0);
	if (r < 0) {
		snprintf(err, errlen, "cannot write %s: %s", p.candidate, strerror(-r));
		return r;
	}

	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) < 0) {
		r = -errno;
		snprintf(err, errlen, "cannot apply the %s configuration: %s", s->ops->name, strerror(-r));
		return r;
	}
	pid_t pid = fork();
	if (pid < 0) {
		r = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		snprintf(err, errlen, "cannot apply the %s configuration: %s", s->ops->name, strerror(-r));
		return r;
	}
	if (pid == 0) {
		/* None of picd's descriptors (listeners, connections, the
		 * store) but the pipe: what the child needs it opens. */
		int out = pipefd[1];
		if (out != 3 && dup2(out, 3) == 3)
			out = 3;
		syscall(SYS_close_range, out + 1, ~0U, 0);
		char cerr[512] = "";
		int code = child_tail(d, s, &p, new_leaf, cerr, sizeof(cerr));
		ssize_t ignored = write(out, cerr, strlen(cerr));
		(void)ignored;
		_exit(code);
	}
	close(pipefd[1]);
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0 || loop_add_fd(d->loop, pidfd, EPOLLIN, on_child, slot, &slot->source) < 0) {
		/* Cannot watch it: wait for it here (the old way's cost). */
		if (pidfd >= 0)
			close(pidfd);
		int status;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		close(pipefd[0]);
		snprintf(err, errlen, "cannot watch the apply process of %s", s->ops->name);
		return -EIO;
	}
	*slot = (struct apply_slot){ .busy = true, .pid = pid, .pidfd = pidfd, .errfd = pipefd[0],
				     .source = slot->source, .svc = s, .done = done, .cls = cls,
				     .head = slot->head, .tail = slot->tail };
	log_debug("%s: applying the new configuration in process %d", s->ops->name, (int)pid);
	return APPLY_STARTED;
}

void apply_async_free(struct daemon *d)
{
	struct apply_async *a = d->applying;
	if (!a)
		return;
	/* picd is stopping: each change in flight finishes (bounded by the
	 * checker's and the verification's timeouts) and its continuation
	 * runs, so the store records what the daemon took. */
	for (size_t i = 0; i < APPLY_INPUT_SERVICES_MAX; i++) {
		struct apply_slot *slot = &a->slots[i];
		while (slot->busy) {
			struct pollfd pfd = { .fd = slot->pidfd, .events = POLLIN };
			poll(&pfd, 1, -1);
			on_child(d->loop, slot->pidfd, POLLIN, slot);
		}
		/* Waiters never started: their start runs with nothing busy,
		 * and takes the loop's (synchronous) path. */
		slot_next(d, slot);
	}
	free(a);
	d->applying = NULL;
}
