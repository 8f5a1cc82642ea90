/* Changes applied off the loop (see apply.h: apply_service_async,
 * apply_change_async, apply_install_async).
 *
 * Each service has its own worker thread (common/worker.h), made at its
 * first change; one change per service at a time, the others queued. The
 * loop copies into the job all the thread reads (the service's ops and
 * directory, the file paths, its addresses, the cell's settings and,
 * where the thread renders, the renderer's input); the thread touches
 * nothing but the job, files, the daemon's sockets and the checker it
 * starts, and never the store, the supervisor's state or the loop. Three
 * kinds of job:
 *   KIND_LIVE    (caddy) the thread renders, checks, installs, reloads
 *                through the live API, probes, verifies, and restores on
 *                a failure;
 *   KIND_RELOAD  (unbound, chronyd, dnsmasq) the thread renders, checks
 *                and installs; the loop signals or restarts the daemon;
 *                the thread probes and verifies; the loop restores on a
 *                failure;
 *   KIND_INSTALL the thread renders, checks and installs; the daemon
 *                already runs the same (live changes).
 * The loop gets the job back with the outcome and runs `done`.
 *
 * A thread, not a forked child: while a child lived, every page the
 * loop wrote cost it a copy and a TLB flush on the other CPU (a quarter
 * of its time during route changes). The worker runs below the loop's
 * priority, and so does the checker it starts (WORKER_NICE). */
#include "apply.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/fsutil.h"
#include "common/log.h"
#include "common/worker.h"
#include "daemon.h"
#include "apply_input.h"
#include "apply_steps.h"
#include "apply_tls.h"
#include "svc/svc.h"
#include "common/banned.h"

struct apply_waiter {
	apply_start_fn start;
	void *cls;
	struct apply_waiter *next;
};

/* One per service: its worker (made at its first change), the change in
 * flight, the ones waiting. */
struct apply_slot {
	bool busy;
	struct worker *worker;
	struct svc *svc;
	apply_done_fn done;
	void *cls;
	struct apply_waiter *head, *tail;
};

struct apply_async {
	struct daemon *d;
	bool closing; /* picd is stopping: no new change off the loop */
	struct apply_slot slots[APPLY_INPUT_SERVICES_MAX];
};

/* The outcome the thread reports. */
enum {
	JOB_UNCHANGED,  /* rendered here: the rendered config is what is installed */
	JOB_OFF,        /* rendered here: the settings turn the service off */
	JOB_APPLIED,
	JOB_REFUSED,    /* the checker said no; nothing changed */
	JOB_RESTORED,   /* it did not work; the last good config is back */
	JOB_UNRESTORED, /* ... and putting it back live failed too */
	JOB_FAILED,     /* could not even try (install failed) */
};
/* job_render's "the candidate is written": go on. */
#define JOB_CONTINUE (-1)

struct apply_job {
	struct worker_job job;
	struct apply_async *a; /* the loop's, not the thread's */
	struct apply_slot *slot;
	/* Copied in by the loop; the thread only reads them. */
	enum {
		KIND_LIVE,    /* through the daemon's live API */
		KIND_INSTALL, /* render, check, install; the daemon is not touched */
		KIND_RELOAD,  /* render, check, install; the loop reloads or
			       * restarts the daemon; then probe and verify */
	} kind;
	bool reloaded;             /* KIND_RELOAD: the loop did; probe and verify now */
	uint64_t live_edits;       /* the service's, when the input was loaded */
	bool rendered_again;       /* ... and it changed since: install even if unchanged */
	struct apply_input *input; /* rendered here: the snapshot the thread renders */
	struct netplan plan;       /* ... and the addresses it points to */
	const struct svc_ops *ops; /* static */
	char dir[PATH_MAX];
	struct config_paths paths;
	bool new_leaf;
	bool has_net;
	struct netplan_service net;
	struct cell_config cell;
	char ca_file[PATH_MAX];
	/* Written by the thread. */
	int outcome;
	size_t rendered; /* bytes it rendered, if it did */
	char err[512];
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
	return 0;
}

static int job_render(struct apply_job *j);

/* In the thread: render → check → install → reload → probe → verify →
 * restore. */
static int job_apply(struct apply_job *j)
{
	const struct config_paths *p = &j->paths;
	const struct netplan_service *net = j->has_net ? &j->net : NULL;
	char *err = j->err;
	size_t errlen = sizeof(j->err);
	int rendered = job_render(j);
	if (rendered != JOB_CONTINUE)
		return rendered;
	if (apply_check(j->ops, j->dir, p->candidate, err, errlen) < 0)
		return JOB_REFUSED;
	bool had_live = access(p->live, F_OK) == 0;
	if ((had_live && rename(p->live, p->last_good) < 0) || rename(p->candidate, p->live) < 0) {
		snprintf(err, errlen, "cannot install %.200s: %s", p->live, strerror(errno));
		return JOB_FAILED;
	}
	char why[256] = "";
	int r = apply_reload_live(j->ops, j->dir, p->live, j->new_leaf, why, sizeof(why));
	if (r == 0)
		r = apply_probe_wire(j->ops, net, why, sizeof(why));
	if (r == 0)
		r = apply_verify(j->ops, j->dir, &j->cell, j->ca_file, p->live, why, sizeof(why));
	if (r == 0)
		return JOB_APPLIED;
	snprintf(err, errlen, "%s did not work with the new configuration (%s)", j->ops->daemon,
		 why[0] ? why : strerror(-r));
	if (!had_live)
		return JOB_RESTORED;
	char ignored[256];
	if (rename(p->last_good, p->live) < 0 ||
	    apply_reload_live(j->ops, j->dir, p->live, false, ignored, sizeof(ignored)) < 0)
		return JOB_UNRESTORED;
	size_t used = strlen(err);
	snprintf(err + used, errlen - used, "; the previous configuration was restored");
	return JOB_RESTORED;
}

/* In the thread: the candidate rendered from the job's input and written
 * (JOB_CONTINUE), or the outcome. */
static int job_render(struct apply_job *j)
{
	const struct config_paths *p = &j->paths;
	struct svc_input *in = &j->input->in;
	in->cell = &j->cell;
	in->plan = &j->plan;
	in->net = svc_ops_net(&j->plan, j->ops);
	if (!in->net && !j->ops->host_network) {
		snprintf(j->err, sizeof(j->err), "%s has no address in the cell network", j->ops->name);
		return JOB_FAILED;
	}
	if (j->ops->enabled && !j->ops->enabled(in))
		return JOB_OFF; /* the loop's path stops it */
	struct buf text;
	buf_init(&text, APPLY_CONFIG_MAX);
	int r = j->ops->render(in, &text);
	j->rendered = text.len;
	apply_input_free(j->input);
	/* Rendered again: the file is the first rendering, which the
	 * daemon does not run yet. */
	if (r == 0 && !j->rendered_again && apply_file_equals(p->live, text.data, text.len)) {
		buf_free(&text);
		return JOB_UNCHANGED;
	}
	if (r == 0)
		r = apply_write_candidate(j->ops, p->candidate, &text);
	buf_free(&text);
	if (r < 0) {
		snprintf(j->err, sizeof(j->err), "cannot write the %s configuration: %s", j->ops->name, strerror(-r));
		return JOB_FAILED;
	}
	return JOB_CONTINUE;
}

/* In the thread: render → check → install. */
static int job_render_install(struct apply_job *j)
{
	const struct config_paths *p = &j->paths;
	int r = job_render(j);
	if (r != JOB_CONTINUE)
		return r;
	if (apply_check(j->ops, j->dir, p->candidate, j->err, sizeof(j->err)) < 0)
		return JOB_REFUSED;
	bool had_live = access(p->live, F_OK) == 0;
	if ((had_live && rename(p->live, p->last_good) < 0) || rename(p->candidate, p->live) < 0) {
		snprintf(j->err, sizeof(j->err), "cannot install %.200s: %s", p->live, strerror(errno));
		return JOB_FAILED;
	}
	return JOB_APPLIED;
}

/* In the thread, once the loop reloaded or restarted the daemon. */
static int job_probe_verify(struct apply_job *j)
{
	char why[256] = "";
	int r = apply_probe_wire(j->ops, j->has_net ? &j->net : NULL, why, sizeof(why));
	if (r == 0)
		r = apply_verify(j->ops, j->dir, &j->cell, j->ca_file, j->paths.live, why, sizeof(why));
	if (r == 0)
		return JOB_APPLIED;
	snprintf(j->err, sizeof(j->err), "%s did not work with the new configuration (%s)", j->ops->daemon,
		 why[0] ? why : strerror(-r));
	return JOB_FAILED;
}

static void job_run(struct worker_job *job)
{
	struct apply_job *j = (struct apply_job *)job;
	if (j->kind == KIND_LIVE)
		j->outcome = job_apply(j);
	else if (j->reloaded)
		j->outcome = job_probe_verify(j);
	else
		j->outcome = job_render_install(j);
}

static void job_free(struct apply_job *j)
{
	if (j->input) {
		apply_input_free(j->input);
		free(j->input);
	}
	free(j);
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

/* The daemon takes the installed config: its signal, or a restart. */
static int reload_daemon(struct svc *s)
{
	if (s->ops->reload == SVC_RELOAD_SIGHUP && s->pid > 0)
		return kill(s->pid, SIGHUP) < 0 ? -errno : 0;
	return svc_restart(s);
}

/* KIND_RELOAD, in the loop, between the thread's two steps: once the new
 * config is installed, reload the daemon and hand the probe back (0);
 * once probed, on a failure, put the last good config back. 1: the job
 * is over (its outcome says how). */
static int reload_stage(struct daemon *d, struct svc *s, struct apply_job *j)
{
	if (!j->reloaded && j->outcome == JOB_APPLIED && j->live_edits != s->live_edits) {
		/* The daemon was changed live since the input was loaded:
		 * reloading what was rendered would undo that. Render again
		 * with those parts of the input loaded afresh. */
		log_info("%s: changed live while its configuration was rendered: rendering it again", s->ops->name);
		j->live_edits = s->live_edits;
		j->rendered_again = true;
		int r = apply_input_load_live(d, s->ops->name, j->input);
		if (r == 0 && (r = worker_submit(j->slot->worker, &j->job)) == 0)
			return 0;
		snprintf(j->err, sizeof(j->err), "cannot render the %s configuration again: %s", s->ops->name,
			 strerror(-r));
		j->outcome = JOB_FAILED;
		return 1;
	}
	if (!j->reloaded && j->outcome == JOB_APPLIED) {
		j->reloaded = true;
		int r = reload_daemon(s);
		if (r < 0)
			snprintf(j->err, sizeof(j->err), "%s did not take the new configuration: %s", s->ops->daemon,
				 strerror(-r));
		else if (worker_submit(j->slot->worker, &j->job) == 0)
			return 0;
		j->outcome = JOB_FAILED;
	}
	if (!j->reloaded || j->outcome != JOB_FAILED)
		return 1;
	/* It was installed and did not work: the last good one back. */
	const struct config_paths *p = &j->paths;
	bool restored = rename(p->last_good, p->live) == 0 && reload_daemon(s) == 0;
	size_t used = strlen(j->err);
	snprintf(j->err + used, sizeof(j->err) - used, "%s",
		 restored ? "; the previous configuration was restored" : "; restoring the previous one failed too");
	j->outcome = JOB_RESTORED;
	return 1;
}

/* In the loop, with the thread's outcome. */
static void job_done(struct worker_job *job)
{
	struct apply_job *j = (struct apply_job *)job;
	struct apply_slot *slot = j->slot;
	struct daemon *d = j->a->d;
	struct svc *s = slot->svc;
	char *err = j->err;
	int r;
	if (j->kind == KIND_RELOAD && reload_stage(d, s, j) == 0)
		return; /* the worker probes and verifies next */
	switch (j->outcome) {
	case JOB_UNCHANGED:
		r = APPLY_UNCHANGED;
		break;
	case JOB_OFF:
		r = APPLY_NOT_ASYNC; /* stopping it is the loop's path */
		break;
	case JOB_APPLIED:
		if (j->kind == KIND_INSTALL)
			log_info("%s: new configuration installed (it already runs with it)", s->ops->name);
		else
			log_info("%s: new configuration applied and verified", s->ops->name);
		r = APPLY_APPLIED;
		break;
	case JOB_REFUSED:
		r = -EINVAL;
		break;
	case JOB_UNRESTORED:
		/* The last good file is back; the daemon did not take it live:
		 * the supervisor's way (a restart). */
		log_err("%s: %s; restarting it with the previous configuration", s->ops->name, err);
		svc_restart(s);
		r = -EIO;
		break;
	case JOB_RESTORED:
		log_err("%s: %s", s->ops->name, err);
		r = -EIO;
		break;
	default:
		if (!err[0])
			snprintf(j->err, sizeof(j->err), "the change to %s could not be applied", s->ops->name);
		r = -EIO;
		break;
	}
	if (j->rendered >= APPLY_TRIM_AFTER_BYTES)
		malloc_trim(0); /* the worker's arena too */
	apply_done_fn done = slot->done;
	void *cls = slot->cls;
	slot->busy = false;
	slot->done = NULL;
	slot->cls = NULL;
	/* The done callback commits the store first: the next change
	 * renders from it. */
	done(d, r, err, cls);
	job_free(j);
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

static struct apply_job *job_new(struct daemon *d, struct svc *s, struct apply_slot *slot,
				 const struct config_paths *p, bool new_leaf)
{
	struct apply_job *j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->job = (struct worker_job){ .run = job_run, .done = job_done };
	j->a = d->applying;
	j->slot = slot;
	j->ops = s->ops;
	snprintf(j->dir, sizeof(j->dir), "%s", s->dir);
	j->paths = *p;
	j->new_leaf = new_leaf;
	const struct netplan_service *net = svc_ops_net(&d->net, s->ops);
	j->has_net = net != NULL;
	if (net)
		j->net = *net;
	j->cell = d->config;
	j->outcome = JOB_FAILED;
	if (apply_ca_file(d, j->ca_file, sizeof(j->ca_file)) < 0) {
		free(j);
		return NULL;
	}
	return j;
}

/* Hands `j` to the service's worker (made at its first change); on
 * failure `j` is freed. */
static int submit(struct daemon *d, struct svc *s, struct apply_slot *slot, struct apply_job *j, apply_done_fn done,
		  void *cls)
{
	int r = 0;
	if (!slot->worker)
		r = worker_new(d->loop, 1, WORKER_NICE, &slot->worker);
	if (r == 0)
		r = worker_submit(slot->worker, &j->job);
	if (r < 0) {
		job_free(j);
		return r;
	}
	slot->busy = true;
	slot->svc = s;
	slot->done = done;
	slot->cls = cls;
	return 0;
}

static int render_async(struct daemon *d, struct svc *s, int kind, const struct proxy_settings *proxy,
			apply_done_fn done, void *cls, char *err, size_t errlen);

int apply_service_async(struct daemon *d, struct svc *s, const struct proxy_settings *proxy, apply_done_fn done,
			void *cls, char *err, size_t errlen)
{
	struct apply_slot *slot = slot_of(d, s);
	if (!slot || slot->busy || d->applying->closing)
		return APPLY_NOT_ASYNC;
	/* Only a running daemon with a live API changes without the
	 * supervisor (starts and restarts are the loop's). */
	if (!s->ops->render || !s->ops->apply_live || s->state != SVC_RUNNING || s->pid <= 0)
		return APPLY_NOT_ASYNC;
	bool new_leaf;
	int r = apply_tls_ensure_if_needed(d, s, &new_leaf, err, errlen);
	if (r < 0)
		return r;
	if (new_leaf)
		return APPLY_NOT_ASYNC; /* a new certificate: the loop's path */
	return render_async(d, s, KIND_LIVE, proxy, done, cls, err, errlen);
}

/* A job that renders in the worker, from the input loaded now (inside
 * the caller's transaction, if one is open; `proxy`: these proxy
 * settings instead of the store's). */
static int render_async(struct daemon *d, struct svc *s, int kind, const struct proxy_settings *proxy,
			apply_done_fn done, void *cls, char *err, size_t errlen)
{
	struct apply_slot *slot = slot_of(d, s);
	struct config_paths p;
	int r = apply_config_paths(s, &p);
	struct apply_job *j = r == 0 ? job_new(d, s, slot, &p, false) : NULL;
	if (r == 0 && !j)
		r = -ENOMEM;
	if (r == 0) {
		j->kind = kind;
		j->plan = d->net;
		j->live_edits = s->live_edits;
		j->input = malloc(sizeof(*j->input));
		r = j->input ? apply_input_load(d, s->ops->name, j->input) : -ENOMEM;
		if (r == 0 && proxy)
			j->input->proxy = *proxy;
		if (r < 0)
			job_free(j); /* with what the load got */
	}
	if (r < 0) {
		snprintf(err, errlen, "cannot render the %s configuration: %s", s->ops->name, strerror(-r));
		return r;
	}
	r = submit(d, s, slot, j, done, cls);
	if (r < 0) {
		snprintf(err, errlen, "cannot apply the %s configuration: %s", s->ops->name, strerror(-r));
		return r;
	}
	if (kind == KIND_LIVE)
		log_debug("%s: applying the new configuration in its worker", s->ops->name);
	else
		log_debug("%s: rendering and %s the configuration in its worker", s->ops->name,
			  kind == KIND_INSTALL ? "installing" : "applying");
	return APPLY_STARTED;
}

int apply_install_async(struct daemon *d, struct svc *s, apply_done_fn done, void *cls, char *err, size_t errlen)
{
	struct apply_slot *slot = slot_of(d, s);
	if (!slot || slot->busy || d->applying->closing || !s->ops->render || s->state == SVC_UNAVAILABLE)
		return APPLY_NOT_ASYNC;
	return render_async(d, s, KIND_INSTALL, NULL, done, cls, err, errlen);
}

int apply_change_async(struct daemon *d, struct svc *s, apply_done_fn done, void *cls, char *err, size_t errlen)
{
	struct apply_slot *slot = slot_of(d, s);
	if (!slot || slot->busy || d->applying->closing || !s->ops->render || s->ops->apply_live ||
	    s->ops->needs_leaf || s->state != SVC_RUNNING || s->pid <= 0)
		return APPLY_NOT_ASYNC;
	return render_async(d, s, KIND_RELOAD, NULL, done, cls, err, errlen);
}

void apply_async_free(struct daemon *d)
{
	struct apply_async *a = d->applying;
	if (!a)
		return;
	/* picd is stopping: each change in flight finishes (bounded by the
	 * checker's and the verification's timeouts) and its `done` runs, so
	 * the store records what the daemon took; the waiters' `start` then
	 * takes the loop's (synchronous) path. */
	a->closing = true;
	for (size_t i = 0; i < APPLY_INPUT_SERVICES_MAX; i++) {
		struct apply_slot *slot = &a->slots[i];
		worker_free(slot->worker);
		slot->worker = NULL;
		slot_next(d, slot);
	}
	free(a);
	d->applying = NULL;
}
