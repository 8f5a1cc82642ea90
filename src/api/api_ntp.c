/* /api/ntp: the NTP service's upstream servers (validated, applied
 * through the apply engine: a config chrony refuses changes nothing) and
 * its status from chronyd's command socket. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_apply.h"
#include "api_body.h"
#include "common/log.h"
#include "common/strparse.h"
#include "common/worker.h"
#include "daemon.h"
#include "deferred.h"
#include "handlers.h"
#include "priv/priv_spawn.h"
#include "store/store_ntp.h"
#include "common/banned.h"

#define CHRONYC "/usr/bin/chronyc"
#define CHRONYC_TIMEOUT_MS 3000

static json_t *settings_json(const struct ntp_settings *n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n->n_servers; i++)
		json_array_append_new(a, json_string(n->servers[i]));
	return json_pack("{s:o}", "servers", a);
}

HANDLER(api_ntp_config_get)
{
	struct ntp_settings n;
	int r = store_ntp_load(d->store, &n);
	if (r < 0)
		return r;
	return http_reply(res, 200, settings_json(&n));
}

static int parse_settings(struct http_request *req, struct http_response *res, struct ntp_settings *ret)
{
	static const char *const allowed[] = { "servers", NULL };
	if (api_body_object(req, res, allowed) < 0)
		return -EINVAL;
	json_t *list = json_object_get(req->json, "servers");
	if (!list)
		return http_error(res, 400, "missing_field", "servers", "servers is required"), -EINVAL;
	if (!json_is_array(list))
		return http_error(res, 400, "invalid_field", "servers", "servers must be a list of host names or IPv4 addresses"), -EINVAL;
	*ret = (struct ntp_settings){ 0 };
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		struct field_error e;
		char field[32];
		snprintf(field, sizeof(field), "servers[%zu]", i);
		if (!json_is_string(v))
			return http_error(res, 400, "invalid_field", field, "%s must be a string", field), -EINVAL;
		if (ntp_add_server(ret, json_string_value(v), &e) < 0)
			return http_error(res, 400, "invalid_field", e.field, "%s", e.message), -EINVAL;
	}
	return 0;
}

struct ntp_change {
	struct ntp_settings settings;
	char user[sizeof(((struct auth_info *)0)->username)];
};

static int ntp_write(struct daemon *d, void *cls, struct http_response *res)
{
	(void)res;
	struct ntp_change *c = cls;
	return store_ntp_save(d->store, &c->settings);
}

static void ntp_answer(struct daemon *d, void *cls, struct http_response *res)
{
	struct ntp_change *c = cls;
	struct svc *s = supervisor_find(&d->sup, "ntp");
	log_info("NTP servers changed by '%s' (%zu server(s))", c->user, c->settings.n_servers);
	json_t *doc = settings_json(&c->settings);
	json_object_set_new(doc, "applied", json_boolean(s && s->state != SVC_UNAVAILABLE));
	http_reply(res, 200, doc);
}

static const struct api_change_ops ntp_change_ops = { .write = ntp_write, .answer = ntp_answer };

HANDLER(api_ntp_config_put)
{
	struct ntp_change *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	if (parse_settings(req, res, &c->settings) < 0) {
		free(c);
		return 0;
	}
	snprintf(c->user, sizeof(c->user), "%s", req->auth.username);
	return api_apply_change(d, req, res, "ntp", "servers", &ntp_change_ops, c);
}

/* Runs `chronyc -c <command>` against the command socket of the service
 * in `dir`. In the queries worker. */
static int chronyc(const char *dir, const char *command, char *out, size_t outlen)
{
	const char *argv[] = { CHRONYC, "-n", "-c", "-h", SVC_ROOT "/chronyd.sock", command, NULL };
	struct spawn_spec spec = { .argv = argv, .svc_dir = dir, .capture_stdout = true };
	int rc = priv_run(&spec, CHRONYC_TIMEOUT_MS, out, outlen);
	return rc == 0 ? 0 : rc < 0 ? rc : -EIO;
}

/* Splits a CSV line in place into at most `max` fields. */
static size_t csv_split(char *line, char **fields, size_t max)
{
	size_t n = 0;
	for (char *p = line; n < max;) {
		fields[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

static int csv_int(const char *s)
{
	uint32_t v;
	return parse_u32(s, 0, 1000000, &v) == 0 ? (int)v : -1;
}

static json_t *tracking_json(char *line)
{
	char *f[16];
	if (csv_split(line, f, 16) < 14)
		return NULL;
	return json_pack("{s:s, s:s, s:i, s:f, s:f, s:f, s:s}", "reference_id", f[0], "reference", f[1],
			 "stratum", csv_int(f[2]), "system_offset_s", strtod(f[4], NULL), "last_offset_s",
			 strtod(f[5], NULL), "root_dispersion_s", strtod(f[11], NULL), "leap_status", f[13]);
}

static json_t *source_json(char *line)
{
	char *f[12];
	if (csv_split(line, f, 12) < 10)
		return NULL;
	static const struct { char code; const char *name; } modes[] = {
		{ '^', "server" }, { '=', "peer" }, { '#', "refclock" },
	}, states[] = {
		{ '*', "selected" }, { '+', "combined" }, { '-', "not_combined" },
		{ '?', "unusable" }, { 'x', "falseticker" }, { '~', "too_variable" },
	};
	const char *mode = "unknown", *state = "unknown";
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (f[0][0] == modes[i].code)
			mode = modes[i].name;
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (f[1][0] == states[i].code)
			state = states[i].name;
	return json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:f}", "mode", mode, "state", state, "name", f[2],
			 "stratum", csv_int(f[3]), "poll", (int)strtol(f[4], NULL, 10), "reach", csv_int(f[5]),
			 "offset_s", strtod(f[7], NULL));
}

/* chronyc's two answers, asked from the queries worker (two processes
 * started and waited for: not the loop's to wait). */
struct status_query {
	struct worker_job job;
	struct deferred *df;  /* the loop's */
	char dir[PATH_MAX];   /* copied in */
	int r;                /* written by the thread */
	char tracking[1024], sources[8192];
};

static void status_run(struct worker_job *job)
{
	struct status_query *q = (struct status_query *)job;
	q->r = chronyc(q->dir, "tracking", q->tracking, sizeof(q->tracking));
	if (q->r == 0)
		q->r = chronyc(q->dir, "sources", q->sources, sizeof(q->sources));
}

static void status_answer(struct status_query *q, struct http_response *res)
{
	if (q->r < 0) {
		http_error(res, 502, "daemon_unreachable", NULL, "chronyd did not answer on its command socket");
		return;
	}
	q->tracking[strcspn(q->tracking, "\n")] = '\0';
	json_t *doc = tracking_json(q->tracking);
	if (!doc) {
		http_error(res, 502, "daemon_unreachable", NULL, "unexpected answer from chronyd");
		return;
	}
	json_t *list = json_array();
	for (char *line = q->sources, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		json_t *src = source_json(line);
		if (src)
			json_array_append_new(list, src);
	}
	json_object_set_new(doc, "sources", list);
	http_reply(res, 200, doc);
}

static void status_done(struct worker_job *job)
{
	struct status_query *q = (struct status_query *)job;
	status_answer(q, deferred_response(q->df));
	deferred_answer(q->df);
	free(q);
}

HANDLER(api_ntp_status)
{
	struct svc *s = supervisor_find(&d->sup, "ntp");
	if (!s || s->pid <= 0)
		return http_error(res, 503, "not_running", NULL, "the NTP service is %s",
				  s ? svc_state_name(s->state) : "missing");
	struct status_query *q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->job = (struct worker_job){ .run = status_run, .done = status_done };
	snprintf(q->dir, sizeof(q->dir), "%s", s->dir);
	if (deferred_begin(d->deferred, req, res, &q->df) < 0) {
		free(q);
		return 0; /* res: 503 */
	}
	if (worker_submit(d->queries, &q->job) < 0) {
		/* No room in its queue: here, as before. */
		status_run(&q->job);
		status_done(&q->job);
	}
	return 0;
}
