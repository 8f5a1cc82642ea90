/* `pic config pending` and the pending-change helpers (see
 * cli_config_pending.h). An entry looks like {"field": "ip_range",
 * "value": "10.1.0.0/16", "current": "172.20.0.0/16", "requested_at": N}. */
#include "cli_config_pending.h"

#include <errno.h>
#include <stdio.h>

#include "cli_config.h"
#include "cli_error.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_list.h"
#include "cli_table.h"
#include "cli_time.h"

#include "common/banned.h"

const json_t *cli_config_pending_of(const json_t *answer)
{
	const json_t *p = json_object_get(answer, "pending");
	if (!json_is_array(p))
		p = json_object_get(cli_config_doc(answer), "pending");
	return json_is_array(p) ? p : NULL;
}

const char *cli_config_pending_field(const json_t *entry)
{
	if (json_is_string(entry))
		return json_string_value(entry);
	return json_string_value(json_object_get(entry, "field"));
}

static int add_entry(struct cli_table *t, const json_t *entry, const json_t *doc)
{
	const char *field = cli_config_pending_field(entry);
	const json_t *current = json_object_get(entry, "current");
	char when[CLI_TIME_TEXT_MAX];
	_cleanup_free_ char *cur = NULL, *val = NULL;
	int r;

	if (!current && field)
		current = json_object_get(doc, field);
	r = cli_json_text(current, "-", &cur);
	if (r == 0)
		r = cli_json_text(json_object_get(entry, "value"), "-", &val);
	if (r < 0)
		return r;
	return cli_table_add(t, field ? field : "?", cur, val,
			     cli_time_json(json_object_get(entry, "requested_at"), "-", when));
}

int cli_config_pending_print(const json_t *pending, const json_t *doc, FILE *out,
			     const char *indent)
{
	_cleanup_table_ struct cli_table *t = NULL;
	const json_t *entry;
	size_t i;
	int r = cli_table_new(4, &t);

	if (r == 0)
		r = cli_table_add(t, "FIELD", "CURRENT", "NEW", "REQUESTED");
	json_array_foreach(pending, i, entry)
		if (r == 0)
			r = add_entry(t, entry, doc);
	if (r < 0)
		return r;
	cli_table_print(t, out, indent);
	return 0;
}

int cli_config_pending_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	const json_t *pending;
	int r = cli_list_fetch(ctx, &(struct cli_request){ .method = "GET", .path = "/api/config/pending" },
			       "pending", "no pending changes", &resp, &pending);
	if (r != 0 || !pending)
		return r;
	r = cli_config_pending_print(pending, NULL, stdout, "");
	return r < 0 ? cli_error_local(r, "printing pending changes") : CLI_EXIT_OK;
}
