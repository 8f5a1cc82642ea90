/* /api/services: the managed daemons — state, pid, uptime, restarts,
 * address, health, last error — and start/stop/restart by hand. The old
 * paths /api/containers answer the same. Logs: /api/services/{name}/logs
 * with ?tail=N, or ?follow=1 for a Server-Sent Events stream. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/log.h"
#include "common/strparse.h"
#include "daemon.h"
#include "handlers.h"
#include "sse.h"
#include "svc/svc.h"
#include "common/banned.h"

#define LOG_TAIL_DEFAULT 100
#define LOG_TAIL_MAX 10000
#define FAILED_LOG_LINES 20

static json_t *log_lines(const struct svc *s, unsigned lines)
{
	struct buf text;
	buf_init(&text, SVC_LOG_RING);
	json_t *a = json_array();
	if (a && svc_log_tail(&s->log, lines, &text) == 0 && text.data) {
		for (char *line = text.data; *line;) {
			size_t len = strcspn(line, "\n");
			/* Daemon output need not be UTF-8: keep what encodes. */
			json_t *str = json_stringn(line, len);
			json_array_append_new(a, str ? str : json_string("(undecodable line)"));
			line += len + (line[len] == '\n');
		}
	}
	buf_free(&text);
	return a;
}

json_t *api_service_json(struct daemon *d, const struct svc *s)
{
	const struct netplan_service *net = svc_ops_net(&d->net, s->ops);
	char ip[IPV4_STR_MAX] = "";
	if (net)
		ipv4_format(net->addrs[0], ip);
	bool running = s->pid > 0;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:o, s:b, s:o, s:o, s:b}", "name",
			      s->ops->name, "daemon", s->ops->daemon, "package", s->ops->package, "state",
			      svc_state_name(s->state), "pid", running ? json_integer(s->pid) : json_null(),
			      "uptime_s", running ? json_integer(time(NULL) - s->started_at) : json_null(),
			      "restarts", (json_int_t)s->restarts, "address", net ? json_string(ip) : json_null(),
			      "healthy", running && s->healthy,
			      "health_error", s->health_error[0] ? json_string(s->health_error) : json_null(),
			      "last_error", s->last_error[0] ? json_string(s->last_error) : json_null(), "adopted",
			      s->adopted);
	if (o && s->state == SVC_DISABLED && s->disabled_reason)
		json_object_set_new(o, "disabled_reason", json_string(s->disabled_reason));
	if (o && s->state == SVC_FAILED)
		json_object_set_new(o, "log_tail", log_lines(s, FAILED_LOG_LINES));
	return o;
}

static json_t *services_json(struct daemon *d)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < d->sup.n; i++)
		json_array_append_new(a, api_service_json(d, &d->sup.svcs[i]));
	return json_pack("{s:o}", "services", a);
}

HANDLER(api_services_list)
{
	return http_reply(res, 200, services_json(d));
}

static struct svc *find_or_404(struct daemon *d, struct http_request *req, struct http_response *res)
{
	struct svc *s = supervisor_find(&d->sup, req->params[0]);
	if (!s)
		http_error(res, 404, "not_found", "name", "no service named '%s'", req->params[0]);
	return s;
}

/* The service named in the path, if it exists, its package is installed
 * and it is not disabled; else NULL with the error response set. */
static struct svc *find_usable(struct daemon *d, struct http_request *req, struct http_response *res)
{
	struct svc *s = find_or_404(d, req, res);
	if (s && s->state == SVC_UNAVAILABLE) {
		http_error(res, 409, "unavailable", "name", "%s", s->last_error);
		return NULL;
	}
	if (s && s->state == SVC_DISABLED) {
		http_error(res, 409, "disabled", "name", "%s is disabled: %s", s->ops->name,
			   s->disabled_reason ? s->disabled_reason : "its settings turn it off");
		return NULL;
	}
	return s;
}

HANDLER(api_services_restart)
{
	struct svc *s = find_usable(d, req, res);
	if (!s)
		return 0;
	log_info("%s: restart requested by '%s'", s->ops->name, req->auth.username);
	s->n_exits = 0; /* a restart by hand forgives earlier crashes */
	s->backoff_step = 0;
	int r = svc_restart(s);
	if (r < 0)
		return http_error(res, 500, "start_failed", NULL, "%s", s->last_error);
	return http_reply(res, 200, api_service_json(d, s));
}

HANDLER(api_services_stop)
{
	struct svc *s = find_usable(d, req, res);
	if (!s)
		return 0;
	log_info("%s: stop requested by '%s'", s->ops->name, req->auth.username);
	svc_stop(s, true);
	return http_reply(res, 200, api_service_json(d, s));
}

HANDLER(api_services_start)
{
	struct svc *s = find_usable(d, req, res);
	if (!s)
		return 0;
	log_info("%s: start requested by '%s'", s->ops->name, req->auth.username);
	s->n_exits = 0;
	s->backoff_step = 0;
	if (s->state == SVC_FAILED || s->state == SVC_BACKOFF)
		s->state = SVC_STOPPED;
	int r = svc_start(s);
	if (r < 0)
		return http_error(res, 500, "start_failed", NULL, "%s", s->last_error);
	return http_reply(res, 200, api_service_json(d, s));
}

HANDLER(api_services_logs)
{
	struct svc *s = find_or_404(d, req, res);
	if (!s)
		return 0;
	uint32_t tail = LOG_TAIL_DEFAULT;
	const char *t = http_request_query(req, "tail");
	if (t && parse_u32(t, 0, LOG_TAIL_MAX, &tail) < 0)
		return http_error(res, 400, "invalid_field", "tail", "tail must be a number from 0 to %d",
				  LOG_TAIL_MAX);
	const char *follow = http_request_query(req, "follow");
	if (follow && strcmp(follow, "1") != 0 && strcmp(follow, "0") != 0)
		return http_error(res, 400, "invalid_field", "follow", "follow must be 0 or 1");
	if (follow && strcmp(follow, "1") == 0) {
		/* Start with the last `tail` lines, then follow. */
		struct buf text;
		buf_init(&text, SVC_LOG_RING);
		svc_log_tail(&s->log, tail, &text);
		unsigned long long cursor = s->log.total - text.len;
		buf_free(&text);
		return sse_open(d->events, res, SSE_LOG, s, cursor);
	}
	return http_reply(res, 200, json_pack("{s:s, s:o}", "service", s->ops->name, "lines", log_lines(s, tail)));
}
