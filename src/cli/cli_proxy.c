/* `pic proxy routes|addresses|disable|enable` (see cli_proxy.h). */
#include "cli_proxy.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_error.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_list.h"
#include "cli_table.h"
#include "cli_url.h"
#include "common/cleanup.h"

#include "common/banned.h"

static int routes_run(const struct cli_ctx *ctx, int argc, char **argv);
static int addresses_run(const struct cli_ctx *ctx, int argc, char **argv);
static int disable_run(const struct cli_ctx *ctx, int argc, char **argv);
static int enable_run(const struct cli_ctx *ctx, int argc, char **argv);

const struct cli_cmd cli_proxy_cmds[] = {
	{ .name = "routes", .args = "",
	  .help = "list the web routes: each name, its address, the service behind it and whether it serves",
	  .run = routes_run, .min_args = 0, .max_args = 0 },
	{ .name = "addresses", .args = "",
	  .help = "where the web UI answers over HTTPS (the host's LAN addresses and names, the cell zone), the "
		  "CA's fingerprint, and what the certificate does not cover",
	  .run = addresses_run, .min_args = 0, .max_args = 0 },
	{ .name = "disable", .args = "ROUTE",
	  .help = "switch a web route off: its name answers 503 until enabled (ROUTE: calendar, files, mail)",
	  .run = disable_run, .min_args = 1, .max_args = 1 },
	{ .name = "enable", .args = "ROUTE",
	  .help = "switch a web route on again",
	  .run = enable_run, .min_args = 1, .max_args = 1 },
	{ 0 },
};

static const char *text_or(const json_t *v, const char *dflt)
{
	const char *s = json_string_value(v);
	return s ? s : dflt;
}

static int add_route_row(struct cli_table *t, const json_t *route)
{
	return cli_table_add(t, text_or(json_object_get(route, "vip"), "?"),
			     text_or(json_object_get(route, "host"), "?"),
			     text_or(json_object_get(route, "address"), "?"),
			     text_or(json_object_get(route, "service"), "-"),
			     text_or(json_object_get(route, "state"), "?"),
			     text_or(json_object_get(route, "upstream"), "-"));
}

static const char *const columns[] = { "ROUTE", "HOST", "ADDRESS", "SERVICE", "STATE", "UPSTREAM" };

static const struct cli_listing listing = {
	.req = { .method = "GET", .path = "/api/proxy/routes" }, .key = "routes", .empty = "no routes",
	.what = "the routes", .columns = columns, .n_columns = ARRAY_SIZE(columns), .add_row = add_route_row,
};

static int routes_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_list_print(ctx, &listing);
}

static int switch_route(const struct cli_ctx *ctx, const char *vip, bool enabled)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_free_ char *path = NULL;
	_cleanup_json_ json_t *body = json_pack("{s:b}", "enabled", enabled);

	int r = cli_url_join("/api/proxy/routes/", vip, &path);
	if (r < 0)
		return r == -ENAMETOOLONG ? cli_error_usage("route name too long") : cli_error_local(r, "building the request");
	if (!body)
		return cli_error_local(-ENOMEM, "building the request");
	r = cli_http_call(ctx, &(struct cli_request){ .method = "PUT", .path = path, .json = body }, &resp);
	return r != 0 ? r : cli_object_print(ctx, resp.body, &listing);
}

static int add_address_row(struct cli_table *t, const json_t *a)
{
	return cli_table_add(t, text_or(json_object_get(a, "url"), "?"), text_or(json_object_get(a, "kind"), "?"));
}

static const char *const address_columns[] = { "URL", "KIND" };

static int addresses_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_table_ struct cli_table *t = NULL;
	bool done;
	int r = cli_object_fetch(ctx, &(struct cli_request){ .method = "GET", .path = "/api/access" }, &resp, &done);
	if (r != 0 || done)
		return r;
	r = cli_table_new(ARRAY_SIZE(address_columns), &t);
	if (r == 0)
		r = cli_table_add_row(t, address_columns, ARRAY_SIZE(address_columns));
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(resp.body, "https"), i, a) {
		if (r == 0)
			r = add_address_row(t, a);
	}
	if (r < 0)
		return cli_error_local(r, "printing the addresses");
	cli_table_print(t, stdout, "");
	const char *sha = json_string_value(json_object_get(json_object_get(resp.body, "ca"), "sha256"));
	printf("\ncell CA SHA-256 %s\n", sha ? sha : "(the CA is not available)");
	json_array_foreach(json_object_get(resp.body, "uncovered"), i, a)
		printf("not in the certificate: %s: %s\n", text_or(json_object_get(a, "host"), "?"),
		       text_or(json_object_get(a, "reason"), "?"));
	return CLI_EXIT_OK;
}

static int disable_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return switch_route(ctx, argv[0], false);
}

static int enable_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return switch_route(ctx, argv[0], true);
}
