/* Fetching a list for a listing command (see cli_list.h). */
#include "cli_list.h"

#include <errno.h>
#include <stdio.h>

#include "cli_error.h"
#include "cli_json.h"
#include "common/cleanup.h"
#include "common/banned.h"

int cli_list_fetch(const struct cli_ctx *ctx, const struct cli_request *req, const char *key,
		   const char *empty, struct cli_response *resp, const json_t **ret_items)
{
	*ret_items = NULL;
	int r = cli_http_call(ctx, req, resp);
	if (r != 0)
		return r;
	if (ctx->json) {
		cli_json_print(resp->body);
		return CLI_EXIT_OK;
	}
	const json_t *items = json_object_get(resp->body, key);
	if (!json_is_array(items))
		return cli_error_transport(ctx, -EBADMSG);
	if (json_array_size(items) == 0) {
		printf("%s\n", empty);
		return CLI_EXIT_OK;
	}
	*ret_items = items;
	return CLI_EXIT_OK;
}

/* Requires an object; prints it as is with --json (then *ret_done). */
static int object_or_json(const struct cli_ctx *ctx, const json_t *obj, bool *ret_done)
{
	*ret_done = true;
	if (!json_is_object(obj))
		return cli_error_transport(ctx, -EBADMSG);
	if (ctx->json) {
		cli_json_print(obj);
		return CLI_EXIT_OK;
	}
	*ret_done = false;
	return CLI_EXIT_OK;
}

int cli_object_fetch(const struct cli_ctx *ctx, const struct cli_request *req, struct cli_response *resp,
		     bool *ret_done)
{
	*ret_done = true;
	int r = cli_http_call(ctx, req, resp);
	return r != 0 ? r : object_or_json(ctx, resp->body, ret_done);
}

int cli_list_print_items(const struct cli_listing *l, const json_t *items)
{
	_cleanup_table_ struct cli_table *t = NULL;
	const json_t *item;
	size_t i;
	int r = cli_table_new(l->n_columns, &t);
	if (r == 0)
		r = cli_table_add_row(t, l->columns, l->n_columns);
	if (r == 0 && json_is_object(items))
		r = l->add_row(t, items);
	json_array_foreach(items, i, item)
		if (r == 0)
			r = l->add_row(t, item);
	if (r < 0) {
		char what[96];
		snprintf(what, sizeof(what), "printing %s", l->what);
		return cli_error_local(r, what);
	}
	cli_table_print(t, stdout, "");
	return CLI_EXIT_OK;
}

int cli_list_print(const struct cli_ctx *ctx, const struct cli_listing *l)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	const json_t *items;

	int r = cli_list_fetch(ctx, &l->req, l->key, l->empty, &resp, &items);
	if (r != 0 || !items)
		return r;
	r = cli_list_print_items(l, items);
	if (r == 0 && l->after)
		l->after(items);
	return r;
}

int cli_object_print(const struct cli_ctx *ctx, const json_t *obj, const struct cli_listing *l)
{
	bool done;
	int r = object_or_json(ctx, obj, &done);
	return r != 0 || done ? r : cli_list_print_items(l, obj);
}
