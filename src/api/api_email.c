/* /api/email: the mail service's state and postfix's queue. The queue is
 * postfix's to tell (postqueue -j, postsuper), asked from the queries
 * worker inside postfix's sandbox; the counts are picd's, from postfix's
 * log (model/mail_stats.h). */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/worker.h"
#include "daemon.h"
#include "deferred.h"
#include "handlers.h"
#include "priv/priv_spawn.h"
#include "svc/svc_dovecot.h"
#include "svc/svc_postfix.h"
#include "common/banned.h"

#define POSTQUEUE "/usr/sbin/postqueue"
#define POSTSUPER "/usr/sbin/postsuper"
#define QUEUE_TIMEOUT_MS 10000
#define QUEUE_OUTPUT_MAX (1024 * 1024)
#define QUEUE_ID_MAX 32
#define QUEUE_LIST_MAX 1000

enum queue_kind { QUEUE_STATUS, QUEUE_LIST, QUEUE_FLUSH, QUEUE_DELETE };

struct queue_query {
	struct worker_job job;
	struct deferred *df; /* the loop's */
	struct daemon *d;    /* the loop's: read in done only */
	enum queue_kind kind;
	char dir[PATH_MAX];       /* copied in */
	char id[QUEUE_ID_MAX + 1];
	int rc;                   /* written by the thread */
	char *out;                /* QUEUE_OUTPUT_MAX */
};

/* In the worker: postfix's tools with the service directory at /run/pic,
 * as the daemon sees it. */
static void queue_run(struct worker_job *job)
{
	struct queue_query *q = (struct queue_query *)job;
	const char *list[] = { POSTQUEUE, "-c", SVC_ROOT, "-j", NULL };
	const char *flush[] = { POSTQUEUE, "-c", SVC_ROOT, "-f", NULL };
	const char *del[] = { POSTSUPER, "-c", SVC_ROOT, "-d", q->id, NULL };
	struct spawn_spec spec = { .svc_dir = q->dir };
	spec.argv = q->kind == QUEUE_FLUSH ? flush : q->kind == QUEUE_DELETE ? del : list;
	spec.capture_stdout = q->kind == QUEUE_STATUS || q->kind == QUEUE_LIST;
	q->rc = priv_run(&spec, QUEUE_TIMEOUT_MS, q->out, QUEUE_OUTPUT_MAX);
}

static json_t *message_json(json_t *m)
{
	json_t *rcpts = json_array(), *in = json_object_get(m, "recipients");
	size_t i;
	json_t *r;
	json_array_foreach(in, i, r)
	{
		const char *reason = json_string_value(json_object_get(r, "delay_reason"));
		json_array_append_new(rcpts, json_pack("{s:s, s:s?}", "address",
						       json_string_value(json_object_get(r, "address")) ?: "",
						       "delay_reason", reason));
	}
	return json_pack("{s:s, s:s, s:I, s:I, s:s, s:o}", "id", json_string_value(json_object_get(m, "queue_id")) ?: "",
			 "queue", json_string_value(json_object_get(m, "queue_name")) ?: "", "arrival_time",
			 json_integer_value(json_object_get(m, "arrival_time")), "size",
			 json_integer_value(json_object_get(m, "message_size")), "sender",
			 json_string_value(json_object_get(m, "sender")) ?: "", "recipients", rcpts);
}

/* postqueue -j: one JSON object per line. */
static int parse_queue(char *text, json_t *list, json_t *counts, size_t *total)
{
	*total = 0;
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		json_t *m = json_loads(line, 0, NULL);
		if (!m)
			return -EPROTO;
		const char *queue = json_string_value(json_object_get(m, "queue_name"));
		if (queue && json_object_get(counts, queue))
			json_object_set_new(counts, queue,
					    json_integer(json_integer_value(json_object_get(counts, queue)) + 1));
		if (list && json_array_size(list) < QUEUE_LIST_MAX)
			json_array_append_new(list, message_json(m));
		(*total)++;
		json_decref(m);
	}
	return 0;
}

static json_t *status_json(struct daemon *d, json_t *counts, size_t total)
{
	char zone[CONFIG_ZONE_MAX + 1] = "";
	config_zone(&d->config, zone, sizeof(zone));
	struct svc *smtp = supervisor_find(&d->sup, svc_postfix_ops.name);
	struct svc *imap = supervisor_find(&d->sup, svc_dovecot_ops.name);
	const struct mail_stats *st = &d->mail_stats;
	json_object_set_new(counts, "total", json_integer((json_int_t)total));
	return json_pack("{s:s, s:{s:s+, s:s+}, s:{s:s, s:s}, s:o, s:{s:I, s:I, s:I, s:I, s:I}}", "domain", zone,
			 "hosts", "imap", "imap.", zone, "smtp", "smtp.", zone, "services", "smtp",
			 smtp ? svc_state_name(smtp->state) : "unavailable", "imap",
			 imap ? svc_state_name(imap->state) : "unavailable", "queue", counts, "counts", "since",
			 (json_int_t)st->since, "delivered", (json_int_t)st->delivered, "deferred",
			 (json_int_t)st->deferred, "bounced", (json_int_t)st->bounced, "rejected",
			 (json_int_t)st->rejected);
}

static void queue_answer(struct queue_query *q, struct http_response *res)
{
	if (q->rc != 0) {
		q->out[strcspn(q->out, "\n")] = '\0';
		http_error(res, 502, "daemon_unreachable", NULL, "postfix did not answer: %s",
			   q->rc < 0 ? strerror(-q->rc) : q->out[0] ? q->out : "failed");
		return;
	}
	if (q->kind == QUEUE_FLUSH || q->kind == QUEUE_DELETE) {
		if (q->kind == QUEUE_DELETE && !strstr(q->out, "Deleted: 1 message")) {
			http_error(res, 404, "not_found", NULL, "no message '%s' in the queue", q->id);
			return;
		}
		http_reply(res, 204, NULL);
		return;
	}
	json_t *list = q->kind == QUEUE_LIST ? json_array() : NULL;
	json_t *counts = json_pack("{s:i, s:i, s:i, s:i}", "incoming", 0, "active", 0, "deferred", 0, "hold", 0);
	size_t total;
	if (!counts || parse_queue(q->out, list, counts, &total) < 0) {
		json_decref(list);
		json_decref(counts);
		http_error(res, 502, "daemon_unreachable", NULL, "unexpected answer from postqueue");
		return;
	}
	json_t *doc = q->kind == QUEUE_LIST ? json_pack("{s:o, s:I}", "messages", list, "total", (json_int_t)total)
					    : status_json(q->d, counts, total);
	if (q->kind == QUEUE_LIST)
		json_decref(counts);
	if (doc)
		http_reply(res, 200, doc);
	else
		http_error(res, 500, "internal", NULL, "internal error");
}

static void queue_done(struct worker_job *job)
{
	struct queue_query *q = (struct queue_query *)job;
	queue_answer(q, deferred_response(q->df));
	deferred_answer(q->df);
	free(q->out);
	free(q);
}

static int queue_ask(struct daemon *d, struct http_request *req, struct http_response *res, enum queue_kind kind,
		     const char *id)
{
	struct svc *s = supervisor_find(&d->sup, svc_postfix_ops.name);
	if (!s || s->pid <= 0)
		return http_error(res, 503, "not_running", NULL, "the mail service (postfix) is %s",
				  s ? svc_state_name(s->state) : "missing");
	struct queue_query *q = calloc(1, sizeof(*q));
	char *out = malloc(QUEUE_OUTPUT_MAX);
	if (!q || !out) {
		free(q);
		free(out);
		return -ENOMEM;
	}
	*q = (struct queue_query){ .job = { .run = queue_run, .done = queue_done }, .d = d, .kind = kind, .out = out };
	out[0] = '\0';
	snprintf(q->dir, sizeof(q->dir), "%s", s->dir);
	snprintf(q->id, sizeof(q->id), "%s", id ? id : "");
	if (deferred_begin(d->deferred, req, res, &q->df) < 0) {
		free(out);
		free(q);
		return 0; /* res: 503 */
	}
	if (worker_submit(d->queries, &q->job) < 0) {
		queue_run(&q->job);
		queue_done(&q->job);
	}
	return 0;
}

HANDLER(api_email_status)
{
	return queue_ask(d, req, res, QUEUE_STATUS, NULL);
}

HANDLER(api_email_queue)
{
	return queue_ask(d, req, res, QUEUE_LIST, NULL);
}

HANDLER(api_email_queue_flush)
{
	return queue_ask(d, req, res, QUEUE_FLUSH, NULL);
}

/* postfix's queue ids: letters and digits (short or long form). */
static bool queue_id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n < 6 || n > QUEUE_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= 'a' && id[i] <= 'z')))
			return false;
	return true;
}

HANDLER(api_email_queue_delete)
{
	if (!queue_id_valid(req->params[0]))
		return http_error(res, 400, "invalid_field", "id", "a queue id is 6 to %d letters and digits", QUEUE_ID_MAX);
	return queue_ask(d, req, res, QUEUE_DELETE, req->params[0]);
}
