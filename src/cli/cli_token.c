/* `pic token create|list|revoke`: /api/auth/tokens. A token's secret is
 * shown once, by create; picd keeps only its hash. */
#include "cli_token.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "cli_error.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_list.h"
#include "cli_table.h"
#include "cli_time.h"
#include "common/strparse.h"

#include "common/banned.h"

static int token_create_run(const struct cli_ctx *ctx, int argc, char **argv);
static int token_list_run(const struct cli_ctx *ctx, int argc, char **argv);
static int token_revoke_run(const struct cli_ctx *ctx, int argc, char **argv);

const struct cli_cmd cli_token_cmds[] = {
	{ .name = "create", .args = "NAME",
	  .help = "create an API token and print it (it is shown only this once)",
	  .run = token_create_run, .min_args = 1, .max_args = 1 },
	{ .name = "list", .args = "",
	  .help = "list API tokens (without their secrets)",
	  .run = token_list_run, .min_args = 0, .max_args = 0 },
	{ .name = "revoke", .args = "ID",
	  .help = "revoke the API token with this id",
	  .run = token_revoke_run, .min_args = 1, .max_args = 1 },
	{ 0 },
};

static int token_create_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_json_ json_t *body = json_pack("{s:s}", "name", argv[0]);
	if (!body)
		return cli_error_usage("token name '%s' is not valid UTF-8", argv[0]);

	int r = cli_http_call(ctx, &(struct cli_request){ .method = "POST",
							  .path = "/api/auth/tokens",
							  .json = body },
			      &resp);
	if (r != 0)
		return r;
	const char *token = json_string_value(json_object_get(resp.body, "token"));
	if (!token)
		return cli_error_transport(ctx, -EBADMSG);
	if (ctx->json) {
		cli_json_print(resp.body);
		return CLI_EXIT_OK;
	}
	/* The token alone on stdout, so $(pic token create ci) captures it. */
	printf("%s\n", token);
	fprintf(stderr, "pic: token '%s' created; it is shown only now, store it safely\n",
		argv[0]);
	return CLI_EXIT_OK;
}

static int add_token_row(struct cli_table *t, const json_t *tok)
{
	char created[CLI_TIME_TEXT_MAX], used[CLI_TIME_TEXT_MAX];
	_cleanup_free_ char *id = NULL, *name = NULL;
	int r = cli_json_text(json_object_get(tok, "id"), "-", &id);
	if (r == 0)
		r = cli_json_text(json_object_get(tok, "name"), "-", &name);
	if (r < 0)
		return r;
	return cli_table_add(t, id, name,
			     cli_time_json(json_object_get(tok, "created_at"), "-", created),
			     cli_time_json(json_object_get(tok, "last_used_at"), "never", used));
}

static int token_list_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	static const char *const columns[] = { "ID", "NAME", "CREATED", "LAST-USED" };
	return cli_list_print(ctx, &(struct cli_listing){
		.req = { .method = "GET", .path = "/api/auth/tokens" }, .key = "tokens", .empty = "no tokens",
		.what = "the tokens", .columns = columns, .n_columns = ARRAY_SIZE(columns),
		.add_row = add_token_row });
}

static int token_revoke_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	char path[64];
	uint64_t id;

	if (parse_u64(argv[0], 1, INT64_MAX, &id) < 0)
		return cli_error_usage("token id must be a positive integer, not '%s'", argv[0]);
	int n = snprintf(path, sizeof(path), "/api/auth/tokens/%" PRIu64, id);
	if (n < 0 || (size_t)n >= sizeof(path))
		return cli_error_local(-ENAMETOOLONG, "building the request");

	int r = cli_http_call(ctx, &(struct cli_request){ .method = "DELETE", .path = path },
			      &resp);
	if (r != 0)
		return r;
	if (ctx->json) {
		if (resp.body)
			cli_json_print(resp.body);
		return CLI_EXIT_OK;
	}
	printf("token %" PRIu64 " revoked\n", id);
	return CLI_EXIT_OK;
}
