/* Fetching a list for a listing command (see cli_list.h). */
#include "cli_list.h"

#include <errno.h>
#include <stdio.h>

#include "cli_error.h"
#include "cli_json.h"
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
