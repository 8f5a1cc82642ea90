/* pic mail aliases|alias-add|alias-rm (see cli_mail_aliases.h). */
#include "cli_mail_aliases.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli_error.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_list.h"
#include "cli_table.h"
#include "common/cleanup.h"
#include "common/banned.h"

static int add_alias_row(struct cli_table *t, const json_t *a)
{
	return cli_table_add(t, cli_json_string_or(json_object_get(a, "address"), "?"),
			     cli_json_string_or(json_object_get(a, "user"), "?"));
}

static const char *const columns[] = { "ALIAS", "ACCOUNT" };

static const struct cli_listing listing = {
	.req = { .method = "GET", .path = "/api/email/aliases" }, .key = "aliases", .empty = "no aliases",
	.what = "the aliases", .columns = columns, .n_columns = ARRAY_SIZE(columns), .add_row = add_alias_row,
};

int cli_mail_aliases_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_list_print(ctx, &listing);
}

int cli_mail_alias_add_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_json_ json_t *body = json_pack("{s:s, s:s}", "alias", argv[0], "user", argv[1]);
	_cleanup_free_ char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	if (!text)
		return cli_error_usage("the alias and the account name must be valid UTF-8");
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = cli_http_call(ctx, &(struct cli_request){ .method = "POST", .path = "/api/email/aliases",
							  .raw_json = text },
			      &resp);
	if (r == 0 && !ctx->json)
		printf("%s reaches %s\n", cli_json_string_or(json_object_get(resp.body, "address"), "?"),
		       cli_json_string_or(json_object_get(resp.body, "user"), "?"));
	else if (r == 0)
		cli_json_print(resp.body);
	return r;
}

int cli_mail_alias_rm_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	int r = cli_http_delete(ctx, "/api/email/aliases/", argv[0], "alias");
	if (r == 0 && !ctx->json)
		printf("%s is no longer an alias\n", argv[0]);
	return r;
}
