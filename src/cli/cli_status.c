/* `pic status`: GET /health ({"status", "version", "uptime_s",
 * "services": {name: state}}) and GET /api/config, shown as one aligned
 * block followed by a "service NAME: STATE" line per service; --json
 * prints {"health": ..., "config": ...}. */
#include "cli_status.h"

#include <errno.h>
#include <stdio.h>

#include "cli_config.h"
#include "cli_config_pending.h"
#include "cli_error.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_table.h"
#include "cli_time.h"

#include "common/banned.h"

/* The config fields shown, under their own names. */
static const char *const shown_fields[] = {
	"ip_range", "vpn_subnet", "wireguard_port", "endpoint",
};

static int add_uptime(struct cli_table *t, const json_t *uptime)
{
	char text[CLI_TIME_TEXT_MAX];
	if (!json_is_integer(uptime) || json_integer_value(uptime) < 0)
		return cli_json_table_kv(t, "uptime:", uptime);
	int r = cli_time_duration((uint64_t)json_integer_value(uptime), text, sizeof(text));
	return r < 0 ? r : cli_table_add(t, "uptime:", text);
}

/* "cell_name.domain", or whichever half exists. */
static int add_cell(struct cli_table *t, const json_t *doc)
{
	const char *name = json_string_value(json_object_get(doc, "cell_name"));
	const char *domain = json_string_value(json_object_get(doc, "domain"));
	_cleanup_free_ char *text = NULL;

	if (asprintf(&text, "%s%s%s", name ? name : "", name && domain ? "." : "",
		     domain ? domain : "") < 0)
		return -ENOMEM;
	return cli_table_add(t, "cell:", *text ? text : "-");
}

/* "service ntp: running", one line each, in picd's order. */
static int print_services(const json_t *services)
{
	const char *name;
	const json_t *state;

	json_object_foreach((json_t *)services, name, state) {
		_cleanup_free_ char *text = NULL;
		int r = cli_json_text(state, "-", &text);
		if (r < 0)
			return r;
		printf("service %s: %s\n", name, text);
	}
	return 0;
}

static int print_human(const json_t *health, const json_t *config)
{
	const json_t *doc = cli_config_doc(config);
	_cleanup_table_ struct cli_table *t = NULL;
	int r = cli_table_new(2, &t);

	if (r == 0)
		r = cli_json_table_field(t, "status", json_object_get(health, "status"));
	if (r == 0)
		r = cli_json_table_field(t, "version", json_object_get(health, "version"));
	if (r == 0)
		r = add_uptime(t, json_object_get(health, "uptime_s"));
	if (r == 0)
		r = add_cell(t, doc);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(shown_fields); i++)
		r = cli_json_table_field(t, shown_fields[i], json_object_get(doc, shown_fields[i]));
	size_t npending = json_array_size(cli_config_pending_of(config));
	if (r == 0 && npending > 0) {
		char count[32];
		int n = snprintf(count, sizeof(count), "%zu", npending);
		if (n < 0 || (size_t)n >= sizeof(count))
			return -ENOBUFS;
		r = cli_table_add(t, "pending changes:", count);
	}
	if (r < 0)
		return r;
	cli_table_print(t, stdout, "");
	return print_services(json_object_get(health, "services"));
}

int cli_status_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response health = { 0 };
	_cleanup_response_ struct cli_response config = { 0 };
	int r;

	r = cli_http_call(ctx, &(struct cli_request){ .method = "GET", .path = "/health" },
			  &health);
	if (r != 0)
		return r;
	if (!json_is_object(health.body))
		return cli_error_transport(ctx, -EBADMSG);
	r = cli_config_fetch(ctx, &config);
	if (r != 0)
		return r;

	if (ctx->json) {
		_cleanup_json_ json_t *both = json_pack("{s:O,s:O}", "health", health.body,
							 "config", config.body);
		if (!both)
			return cli_error_local(-ENOMEM, "building the output");
		cli_json_print(both);
		return CLI_EXIT_OK;
	}
	r = print_human(health.body, config.body);
	return r < 0 ? cli_error_local(r, "printing the status") : CLI_EXIT_OK;
}
