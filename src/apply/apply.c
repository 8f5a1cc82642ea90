/* The apply engine (see apply.h). */
#include "apply.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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
#include "apply_steps.h"
#include "apply_tls.h"
#include "svc/svc.h"
#include "common/banned.h"

int apply_config_paths(const struct svc *s, struct config_paths *p)
{
	int a = snprintf(p->live, sizeof(p->live), "%s/%s", s->dir, s->ops->config_file);
	int b = s->ops->check_dir ? snprintf(p->candidate, sizeof(p->candidate), "%s/%s/%s", s->dir, s->ops->check_dir,
					     s->ops->config_file)
				  : snprintf(p->candidate, sizeof(p->candidate), "%s.new", p->live);
	int c = snprintf(p->last_good, sizeof(p->last_good), "%s.last-good", p->live);
	if (a < 0 || b < 0 || c < 0 || (size_t)a >= sizeof(p->live) || (size_t)b >= sizeof(p->candidate) ||
	    (size_t)c >= sizeof(p->last_good))
		return -ENAMETOOLONG;
	return 0;
}

bool apply_file_equals(const char *path, const char *data, size_t len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || (size_t)st.st_size != len)
		return false;
	_cleanup_free_ char *have = malloc(len + 1);
	return have && read(fd, have, len + 1) == (ssize_t)len && memcmp(have, data, len) == 0;
}

int apply_write_candidate(const struct svc_ops *ops, const char *path, const struct buf *text)
{
	int r = fs_write_atomic(path, text->data, text->len, 0644);
	if (r < 0 || !ops->config_backdate_s)
		return r;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec -= ops->config_backdate_s;
	const struct timespec times[2] = { now, now };
	return utimensat(AT_FDCWD, path, times, 0) < 0 ? -errno : 0;
}

int apply_render_with(struct daemon *d, const struct svc *s, const struct proxy_settings *proxy, struct buf *out)
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
	return apply_render_with(d, s, NULL, out);
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

int apply_check(const struct svc_ops *ops, const char *dir, const char *candidate, char *err, size_t errlen)
{
	char output[2048];
	struct spawn_spec spec = { .argv = ops->check_argv, .svc_dir = dir, .env = ops->env };
	int rc = priv_run(&spec, APPLY_CHECK_TIMEOUT_MS, output, sizeof(output));
	if (rc == 0)
		return 0;
	char line[256];
	first_line(output, line, sizeof(line));
	if (rc < 0)
		snprintf(err, errlen, "%s's check could not run: %s", ops->daemon, strerror(-rc));
	else
		snprintf(err, errlen, "%s refused the configuration: %s", ops->daemon,
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
		char err[256] = "";
		int r = apply_reload_live(s->ops, s->dir, live_path, force, err, sizeof(err));
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

int apply_reload_live(const struct svc_ops *ops, const char *dir, const char *live_path, bool force, char *err,
		      size_t errlen)
{
	struct buf text;
	buf_init(&text, APPLY_CONFIG_MAX);
	int r = fs_read_file(live_path, &text);
	if (r == 0)
		r = ops->apply_live(dir, text.data ? text.data : "", text.len, force, err, errlen);
	buf_free(&text);
	return r;
}

int apply_ca_file(const struct daemon *d, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "%s/" PKI_CA_CERT_FILE, d->opt.ca_dir);
	return n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
}

int apply_verify(const struct svc_ops *ops, const char *dir, const struct cell_config *cell, const char *ca_file,
		 const char *live_path, char *why, size_t whylen)
{
	if (!ops->verify)
		return 0;
	struct buf text;
	buf_init(&text, APPLY_CONFIG_MAX);
	int r = fs_read_file(live_path, &text);
	if (r < 0) {
		snprintf(why, whylen, "cannot read the installed config: %s", strerror(-r));
		buf_free(&text);
		return r;
	}
	struct svc_verify v = { .cell = cell, .svc_dir = dir, .config = text.data ? text.data : "",
				.len = text.len, .ca_file = ca_file, .timeout_ms = APPLY_VERIFY_TIMEOUT_MS };
	r = ops->verify(&v, why, whylen);
	buf_free(&text);
	return r;
}

int apply_probe_wire(const struct svc_ops *ops, const struct netplan_service *net, char *err, size_t errlen)
{
	if (!ops->probe_send)
		return 0;
	if (!net)
		return -ENOENT;
	return svc_probe_wire(ops, net, APPLY_VERIFY_TIMEOUT_MS, err, errlen);
}

/* The loop's verification, from the daemon's snapshot. */
static int verify(struct daemon *d, struct svc *s, const struct config_paths *p, char *why, size_t whylen)
{
	char ca_file[PATH_MAX];
	if (apply_ca_file(d, ca_file, sizeof(ca_file)) < 0) {
		snprintf(why, whylen, "the certificate authority's path is too long");
		return -ENAMETOOLONG;
	}
	return apply_verify(s->ops, s->dir, &d->config, ca_file, p->live, why, whylen);
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
	bool new_leaf;
	int r = apply_tls_ensure_if_needed(d, s, &new_leaf, err, errlen);
	if (r < 0)
		return r;
	r = apply_config_paths(s, &p);
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
	if (apply_file_equals(p.live, text.data, text.len)) {
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

	r = apply_write_candidate(s->ops, p.candidate, &text);
	buf_free(&text);
	if (r < 0) {
		snprintf(err, errlen, "cannot write %s: %s", p.candidate, strerror(-r));
		return r;
	}
	r = apply_check(s->ops, s->dir, p.candidate, err, errlen);
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
