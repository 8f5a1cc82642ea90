/* `pic services` and `pic restart|start|stop SVC` (see cli_services.h).
 * The list is a table of what picd reports for each service, followed by
 * each service's last error and, for a failed one, its last lines of
 * output; an action prints the state the service ended in. */
#include "cli_services.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli_cell.h"
#include "cli_error.h"
#include "cli_json.h"
#include "cli_list.h"
#include "cli_table.h"
#include "cli_time.h"

#include "common/banned.h"

#define NAME_MAX_LEN 64

static bool name_ok(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > NAME_MAX_LEN)
		return false;
	for (const char *p = name; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", *p))
			return false;
	return true;
}

int cli_services_path(const char *name, const char *suffix, char out[CLI_SERVICES_PATH_MAX])
{
	if (!name_ok(name))
		return cli_error_usage("'%s' is not a service name (letters, digits, '-' and '_')",
				       name);
	int n = snprintf(out, CLI_SERVICES_PATH_MAX, "/api/services/%s%s%s", name,
			 *suffix ? "/" : "", suffix);
	if (n < 0 || n >= CLI_SERVICES_PATH_MAX)
		return cli_error_local(-ENAMETOOLONG, "building the request");
	return 0;
}

int cli_services_find(const struct cli_ctx *ctx, const char *name, struct cli_response *ret_resp,
		      const json_t **ret_svc)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	const json_t *svc;
	size_t i;

	if (!name_ok(name))
		return cli_error_usage("'%s' is not a service name (letters, digits, '-' and '_')",
				       name);
	int r = cli_http_call(ctx, &(struct cli_request){ .method = "GET", .path = "/api/services" },
			      &resp);
	if (r != 0)
		return r;
	const json_t *list = json_object_get(resp.body, "services");
	if (!json_is_array(list))
		return cli_error_transport(ctx, -EBADMSG);
	json_array_foreach(list, i, svc) {
		const char *n = json_string_value(json_object_get(svc, "name"));
		if (n && strcmp(n, name) == 0) {
			*ret_svc = svc;
			*ret_resp = resp;
			resp = (struct cli_response){ 0 };
			return 0;
		}
	}
	/* Said the way picd says it for the actions. */
	_cleanup_json_ json_t *err = json_pack("{s:{s:s,s:s++,s:s}}", "error", "code", "not_found",
					       "message", "no service named '", name, "'", "field",
					       "name");
	return cli_error_refused(ctx, 404, err);
}

/* The HEALTH column: "ok", else why not, else "-". */
static const char *health_text(const json_t *svc)
{
	const char *why = json_string_value(json_object_get(svc, "health_error"));
	if (json_is_true(json_object_get(svc, "healthy")))
		return "ok";
	return why ? why : "-";
}

static int add_service_row(struct cli_table *t, const json_t *svc)
{
	_cleanup_free_ char *name = NULL, *state = NULL, *pid = NULL, *restarts = NULL,
			    *address = NULL;
	char uptime[CLI_TIME_TEXT_MAX] = "-";
	const json_t *up = json_object_get(svc, "uptime_s");
	int r = 0;

	if (json_is_integer(up) && json_integer_value(up) >= 0)
		r = cli_time_duration((uint64_t)json_integer_value(up), uptime, sizeof(uptime));
	if (r == 0)
		r = cli_json_text(json_object_get(svc, "name"), "-", &name);
	if (r == 0)
		r = cli_json_text(json_object_get(svc, "state"), "-", &state);
	if (r == 0)
		r = cli_json_text(json_object_get(svc, "pid"), "-", &pid);
	if (r == 0)
		r = cli_json_text(json_object_get(svc, "restarts"), "-", &restarts);
	if (r == 0)
		r = cli_json_text(json_object_get(svc, "address"), "-", &address);
	if (r < 0)
		return r;
	return cli_table_add(t, name, state, pid, uptime, restarts, address, health_text(svc));
}

/* "ntp: last error: ..." and, for a failed service, its last output. */
static void print_notes(const json_t *svc)
{
	const char *name = json_string_value(json_object_get(svc, "name"));
	const char *last_error = json_string_value(json_object_get(svc, "last_error"));
	const json_t *line;
	size_t i;

	if (!name)
		name = "?";
	if (last_error)
		printf("%s: last error: %s\n", name, last_error);
	const json_t *tail = json_object_get(svc, "log_tail");
	if (json_array_size(tail) == 0)
		return;
	printf("%s: last output:\n", name);
	json_array_foreach(tail, i, line)
		printf("    %s\n", json_is_string(line) ? json_string_value(line) : "?");
}

static void print_all_notes(const json_t *services)
{
	const json_t *svc;
	size_t i;
	json_array_foreach(services, i, svc)
		print_notes(svc);
}

int cli_services_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	static const char *const columns[] = { "NAME", "STATE", "PID", "UPTIME", "RESTARTS", "ADDRESS", "HEALTH" };
	return cli_list_print(ctx, &(struct cli_listing){
		.req = { .method = "GET", .path = "/api/services" }, .key = "services", .empty = "no services",
		.what = "the services", .columns = columns, .n_columns = ARRAY_SIZE(columns),
		.add_row = add_service_row, .after = print_all_notes });
}

/* POST /api/services/NAME/ACTION, then "ntp: running (pid 123)". */
static int act(const struct cli_ctx *ctx, const char *name, const char *action)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	char path[CLI_SERVICES_PATH_MAX];

	int r = cli_services_path(name, action, path);
	if (r != 0)
		return r;
	bool done;
	r = cli_object_fetch(ctx, &(struct cli_request){ .method = "POST", .path = path }, &resp, &done);
	if (r != 0 || done)
		return r;
	const char *state = json_string_value(json_object_get(resp.body, "state"));
	const json_t *pid = json_object_get(resp.body, "pid");
	if (json_is_integer(pid))
		printf("%s: %s (pid %" JSON_INTEGER_FORMAT ")\n", name, state ? state : "?",
		       json_integer_value(pid));
	else
		printf("%s: %s\n", name, state ? state : "?");
	if (state && strcmp(state, "failed") == 0)
		print_notes(resp.body);
	return CLI_EXIT_OK;
}

int cli_services_restart_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return act(ctx, argv[0], "restart");
}

int cli_services_start_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return act(ctx, argv[0], "start");
}

int cli_services_stop_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc == 0)
		return cli_cell_stop(ctx);
	return act(ctx, argv[0], "stop");
}
