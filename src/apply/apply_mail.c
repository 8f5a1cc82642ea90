/* The mail daemons' lookups in picd (see apply_mail.h). */
#include "apply_mail.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/account_dict.h"
#include "api/lookup_server.h"
#include "api/mail_lookup.h"
#include "common/buf.h"
#include "common/log.h"
#include "common/worker.h"
#include "daemon.h"
#include "model/account.h"
#include "priv/priv_spawn.h"
#include "svc/svc_dovecot.h"
#include "svc/svc_postfix.h"
#include "common/banned.h"

/* Opens `ops` at `socket` in the directory of service `svc` for its
 * processes of `group`, unless open or the service is not installed. */
static void open_for(struct daemon *d, const char *svc, const char *socket, const char *group,
		     const struct lookup_server_ops *ops, struct lookup_server **srv)
{
	struct svc *s = supervisor_find(&d->sup, svc);
	if (*srv || !s || s->state == SVC_UNAVAILABLE)
		return;
	char path[PATH_MAX + 32];
	int r = snprintf(path, sizeof(path), "%s/%s", s->dir, socket) >= (int)sizeof(path) ? -ENAMETOOLONG : 0;
	if (r == 0)
		r = lookup_server_open(d, ops, path, group, srv);
	if (r < 0)
		log_err("%s: cannot serve the %s at %s: %s", svc, ops->name, path, strerror(-r));
}

void apply_mail_start(struct daemon *d)
{
	/* Counting starts now: what postfix logged before picd is not. */
	struct svc *smtp = supervisor_find(&d->sup, svc_postfix_ops.name);
	if (smtp && !d->mail_stats.since) {
		d->mail_stats.since = time(NULL);
		d->mail_stats_cursor = smtp->log.total;
	}
	open_for(d, svc_postfix_ops.name, SVC_POSTFIX_MAPS_SOCKET, SVC_POSTFIX_GROUP, &mail_maps_ops, &d->mail_maps);
	open_for(d, svc_dovecot_ops.name, SVC_DOVECOT_DICT_SOCKET, SVC_DOVECOT_AUTH_GROUP, &account_dict_ops,
		 &d->account_dict);
}

void apply_mail_stop(struct daemon *d)
{
	lookup_server_free(d->mail_maps);
	lookup_server_free(d->account_dict);
	d->mail_maps = d->account_dict = NULL;
}

void apply_mail_log_grew(struct daemon *d, struct svc *s)
{
	if (s->ops != &svc_postfix_ops || !d->mail_stats.since)
		return;
	struct buf text;
	buf_init(&text, SVC_LOG_RING);
	if (svc_log_since(&s->log, d->mail_stats_cursor, &text) == 0 && text.len)
		mail_stats_feed(&d->mail_stats, text.data, text.len);
	d->mail_stats_cursor = s->log.total;
	buf_free(&text);
}

struct kick_job {
	struct worker_job job;
	char dir[PATH_MAX];
	char name[ACCOUNT_NAME_MAX + 1];
	int rc;
};

static void kick_run(struct worker_job *job)
{
	struct kick_job *k = (struct kick_job *)job;
	const char *argv[] = { "/usr/bin/doveadm", "-c", SVC_ROOT "/dovecot.conf", "kick", k->name, NULL };
	struct spawn_spec spec = { .argv = argv, .svc_dir = k->dir };
	char out[512];
	k->rc = priv_run(&spec, 10000, out, sizeof(out));
}

static void kick_done(struct worker_job *job)
{
	struct kick_job *k = (struct kick_job *)job;
	/* doveadm kick exits 68 (no such user) when nobody was connected. */
	if (k->rc != 0 && k->rc != 68)
		log_warn("imap: could not end the sessions of '%s' (doveadm kick: %d)", k->name, k->rc);
	free(k);
}

void apply_mail_kick(struct daemon *d, const char *name)
{
	struct svc *s = supervisor_find(&d->sup, svc_dovecot_ops.name);
	if (!s || s->pid <= 0)
		return;
	struct kick_job *k = calloc(1, sizeof(*k));
	if (!k)
		return;
	k->job = (struct worker_job){ .run = kick_run, .done = kick_done };
	snprintf(k->dir, sizeof(k->dir), "%s", s->dir);
	snprintf(k->name, sizeof(k->name), "%s", name);
	if (worker_submit(d->queries, &k->job) < 0) {
		log_warn("imap: no room to end the sessions of '%s' now", name);
		free(k);
	}
}
