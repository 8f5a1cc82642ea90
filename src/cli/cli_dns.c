/* `pic dns`: its command table, `dns config` (the resolver's settings,
 * shown, or changed with KEY=VALUE words in one partial PUT) and
 * `dns forward list|add|rm` (zones whose queries go to other servers).
 * The record commands live in cli_dns_records.c. */
#include "cli_dns.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_error.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_kv.h"
#include "cli_list.h"
#include "cli_table.h"
#include "cli_url.h"
#include "common/buf.h"
#include "common/cleanup.h"

#include "common/banned.h"

#define SERVERS_TEXT_MAX 4096
#define ZONE_MAX_LEN 254 /* 253 and a trailing dot */

static int forward_list_run(const struct cli_ctx *ctx, int argc, char **argv);
static int forward_add_run(const struct cli_ctx *ctx, int argc, char **argv);
static int forward_rm_run(const struct cli_ctx *ctx, int argc, char **argv);
static int config_run(const struct cli_ctx *ctx, int argc, char **argv);

static const struct cli_cmd forward_cmds[] = {
	{ .name = "list", .args = "",
	  .help = "list the forward zones and their servers",
	  .run = forward_list_run, .min_args = 0, .max_args = 0 },
	{ .name = "add", .args = "ZONE SERVER...",
	  .help = "send queries for ZONE to SERVERs (IP or IP@port); replaces the zone's servers",
	  .run = forward_add_run, .min_args = 2, .max_args = CLI_CMD_ANY },
	{ .name = "rm", .args = "ZONE",
	  .help = "stop forwarding ZONE",
	  .run = forward_rm_run, .min_args = 1, .max_args = 1 },
	{ 0 },
};

const struct cli_cmd cli_dns_cmds[] = {
	{ .name = "list", .args = "[--name NAME] [--type TYPE] [--all]",
	  .help = "list the cell zone's records, the first 100 unless --all",
	  .run = cli_dns_list_run, .min_args = 0, .max_args = 5 },
	{ .name = "add", .args = "NAME TYPE VALUE [OPTIONS]",
	  .help = "add a record: NAME in the cell zone (@ its apex), TYPE A AAAA CNAME MX TXT SRV CAA; "
		  "OPTIONS --ttl N, --priority N (MX SRV), --weight N --port N (SRV), --flags N "
		  "--tag T (CAA)",
	  .run = cli_dns_add_run, .min_args = 3, .max_args = 15 },
	{ .name = "rm", .args = "ID... | NAME TYPE [VALUE]",
	  .help = "delete records by id (none if one is unknown), or the one record "
		  "NAME TYPE [VALUE] picks out",
	  .run = cli_dns_rm_run, .min_args = 1, .max_args = CLI_CMD_ANY },
	{ .name = "import", .args = "FILE",
	  .help = "add the records in FILE (a JSON list, or 'pic --json dns list' output; - for "
		  "stdin), all or none",
	  .run = cli_dns_import_run, .min_args = 1, .max_args = 1 },
	{ .name = "forward", .args = "",
	  .help = "forward queries for other domains to their own servers",
	  .sub = forward_cmds },
	{ .name = "config", .args = "[KEY=VALUE...]",
	  .help = "show the resolver settings, or set upstreams=IP,... recursion=yes|no "
		  "dnssec=yes|no cache_mb=N",
	  .run = config_run, .min_args = 0, .max_args = CLI_CMD_ANY },
	{ 0 },
};

/* --- config ---------------------------------------------------------- */

static const struct cli_kv settings[] = {
	{ .key = "upstreams", .type = CLI_KV_LIST },
	{ .key = "recursion", .type = CLI_KV_BOOL },
	{ .key = "dnssec", .type = CLI_KV_BOOL },
	{ .key = "cache_mb", .type = CLI_KV_INT },
};

static int print_settings(const struct cli_ctx *ctx, const json_t *doc)
{
	_cleanup_table_ struct cli_table *t = NULL;

	if (!json_is_object(doc))
		return cli_error_transport(ctx, -EBADMSG);
	if (ctx->json) {
		cli_json_print(doc);
		return CLI_EXIT_OK;
	}
	int r = cli_table_new(2, &t);
	if (r == 0)
		r = cli_kv_table(t, settings, ARRAY_SIZE(settings), doc);
	if (r < 0)
		return cli_error_local(r, "printing the settings");
	cli_table_print(t, stdout, "");
	return CLI_EXIT_OK;
}

static int config_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_json_ json_t *patch = NULL;
	int r;

	if (argc == 0) {
		r = cli_http_call(ctx, &(struct cli_request){ .method = "GET",
							      .path = "/api/dns/config" },
				  &resp);
		return r != 0 ? r : print_settings(ctx, resp.body);
	}
	r = cli_kv_parse(settings, ARRAY_SIZE(settings), argc, argv, &patch);
	if (r != 0)
		return r;
	r = cli_http_call(ctx, &(struct cli_request){ .method = "PUT", .path = "/api/dns/config",
						      .json = patch },
			  &resp);
	return r != 0 ? r : print_settings(ctx, resp.body);
}

/* --- forward --------------------------------------------------------- */

/* "10.0.0.53, 10.0.0.54@5353" */
static int servers_text(const json_t *servers, char **ret_text)
{
	struct buf text;
	const json_t *s;
	size_t i;

	buf_init(&text, SERVERS_TEXT_MAX);
	int r = buf_append(&text, "", 0);
	json_array_foreach(servers, i, s)
		if (r == 0)
			r = buf_printf(&text, "%s%s", i ? ", " : "",
				       json_is_string(s) ? json_string_value(s) : "?");
	if (r < 0) {
		buf_free(&text);
		return r == -E2BIG ? -ENOMEM : r;
	}
	*ret_text = buf_steal(&text);
	return 0;
}

static int forward_list_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_table_ struct cli_table *t = NULL;
	const json_t *forwards, *f;
	size_t i;

	int r = cli_list_fetch(ctx, &(struct cli_request){ .method = "GET",
							   .path = "/api/dns/forwards" },
			       "forwards", "no forward zones", &resp, &forwards);
	if (r != 0 || !forwards)
		return r;
	r = cli_table_new(2, &t);
	if (r == 0)
		r = cli_table_add(t, "ZONE", "SERVERS");
	json_array_foreach(forwards, i, f) {
		_cleanup_free_ char *servers = NULL;
		if (r == 0)
			r = servers_text(json_object_get(f, "servers"), &servers);
		if (r == 0)
			r = cli_table_add(t, json_string_value(json_object_get(f, "zone")), servers);
	}
	if (r < 0)
		return cli_error_local(r, "printing the forward zones");
	cli_table_print(t, stdout, "");
	return CLI_EXIT_OK;
}

static int forward_add_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_json_ json_t *body = NULL, *servers = json_array();
	_cleanup_free_ char *text = NULL;

	if (!servers)
		return cli_error_local(-ENOMEM, "building the request");
	for (int i = 1; i < argc; i++) {
		json_t *s = json_string(argv[i]);
		if (!s)
			return cli_error_usage("server '%s' is not valid UTF-8", argv[i]);
		if (json_array_append_new(servers, s) < 0)
			return cli_error_local(-ENOMEM, "building the request");
	}
	body = json_pack("{s:s,s:O}", "zone", argv[0], "servers", servers);
	if (!body)
		return cli_error_usage("zone '%s' is not valid UTF-8", argv[0]);

	int r = cli_http_call(ctx, &(struct cli_request){ .method = "POST",
							  .path = "/api/dns/forwards",
							  .json = body },
			      &resp);
	if (r != 0)
		return r;
	const char *zone = json_string_value(json_object_get(resp.body, "zone"));
	if (!zone)
		return cli_error_transport(ctx, -EBADMSG);
	if (ctx->json) {
		cli_json_print(resp.body);
		return CLI_EXIT_OK;
	}
	r = servers_text(json_object_get(resp.body, "servers"), &text);
	if (r < 0)
		return cli_error_local(r, "printing the forward zone");
	printf("%s forward zone %s: %s\n", resp.status == 201 ? "added" : "replaced", zone, text);
	return CLI_EXIT_OK;
}

/* A zone goes into the request path: letters, digits, '-', '_' and dots
 * only, so that nothing in it is read as more path (picd decodes %2F
 * before it routes). */
static bool zone_ok(const char *zone)
{
	size_t len = strlen(zone);
	return len > 0 && len <= ZONE_MAX_LEN &&
	       strspn(zone, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == len;
}

static int forward_rm_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_free_ char *path = NULL;

	if (!zone_ok(argv[0]))
		return cli_error_usage("'%s' is not a zone name (letters, digits, '-', '_' and dots)",
				       argv[0]);
	int r = cli_url_join("/api/dns/forwards/", argv[0], &path);
	if (r < 0)
		return cli_error_local(r, "building the request");
	r = cli_http_call(ctx, &(struct cli_request){ .method = "DELETE", .path = path }, &resp);
	if (r != 0)
		return r;
	if (ctx->json) {
		if (resp.body)
			cli_json_print(resp.body);
		return CLI_EXIT_OK;
	}
	printf("removed forward zone %s\n", argv[0]);
	return CLI_EXIT_OK;
}
