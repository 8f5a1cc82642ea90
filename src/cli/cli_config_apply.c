/* `pic config apply`: POST /api/config/apply, which applies every pending
 * change and answers {"applied": [{"field", "value"}], "peers_readdressed":
 * [{"name", "old", "new"}], "result": {"ok", "error"?}, "config": {...}}.
 * Peers that a new vpn_subnet moved are listed with what their devices
 * need; a failed apply (result.ok false) is an error. */
#include "cli_config.h"

#include <errno.h>
#include <stdio.h>

#include "cli_error.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_list.h"
#include "cli_table.h"

#include "common/banned.h"

/* The peers a new vpn_subnet moved: their devices still have the old
 * address (and server address) until they get their new config. */
static int print_readdressed(const json_t *moved)
{
	_cleanup_table_ struct cli_table *t = NULL;
	const json_t *entry;
	size_t i;
	if (json_array_size(moved) == 0)
		return 0;
	int r = cli_table_new(4, &t);
	json_array_foreach(moved, i, entry) {
		if (r == 0)
			r = cli_table_add(t, json_string_value(json_object_get(entry, "name")),
					  json_string_value(json_object_get(entry, "old")), "->",
					  json_string_value(json_object_get(entry, "new")));
	}
	if (r < 0)
		return r;
	printf("VPN peers moved to the new vpn_subnet; each device needs its new config\n"
	       "('pic peer config NAME' or 'pic peer qr NAME'):\n");
	cli_table_print(t, stdout, "  ");
	return 0;
}

int cli_config_apply_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_table_ struct cli_table *t = NULL;
	const json_t *entry;
	size_t i;
	const json_t *applied;
	int r = cli_list_fetch(ctx, &(struct cli_request){ .method = "POST", .path = "/api/config/apply" },
			       "applied", "nothing to apply", &resp, &applied);
	if (r != 0 || !applied)
		return r;

	r = cli_table_new(2, &t);
	json_array_foreach(applied, i, entry) {
		const char *field = json_string_value(json_object_get(entry, "field"));
		if (r == 0)
			r = cli_json_table_kv(t, field ? field : "?", json_object_get(entry, "value"));
	}
	if (r < 0)
		return cli_error_local(r, "printing the result");
	printf("applied:\n");
	cli_table_print(t, stdout, "  ");
	r = print_readdressed(json_object_get(resp.body, "peers_readdressed"));
	if (r < 0)
		return cli_error_local(r, "printing the result");
	/* Stored, but the cell did not take it all: say so, and fail. */
	const json_t *result = json_object_get(resp.body, "result");
	if (json_is_false(json_object_get(result, "ok"))) {
		const char *why = json_string_value(json_object_get(result, "error"));
		fprintf(stderr, "pic: the changes are saved, but applying them failed: %s\n", why ? why : "(no reason)");
		return CLI_EXIT_REFUSED;
	}
	return CLI_EXIT_OK;
}
