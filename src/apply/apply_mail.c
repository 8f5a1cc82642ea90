/* The mail daemons' lookups in picd (see apply_mail.h). */
#include "apply_mail.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/account_dict.h"
#include "api/lookup_server.h"
#include "api/mail_lookup.h"
#include "common/buf.h"
#include "common/log.h"
#include "daemon.h"
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
