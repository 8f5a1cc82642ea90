/* `pic config set KEY=VALUE...`: every argument goes into one JSON object
 * sent as PUT /api/config, so several settings change together or not at
 * all. VALUE is typed after the field it replaces in the current document
 * (integer fields need an integer, `null` clears a string field); a key
 * the document lacks is sent as a string and picd names it in its refusal.
 * The ETag of that document goes out as If-Match, so a change made by
 * someone else in between is refused (412) rather than overwritten. */
#include "cli_config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_config_pending.h"
#include "cli_error.h"
#include "cli_json.h"
#include "cli_table.h"
#include "common/strparse.h"

#include "common/banned.h"

/* A decimal integer with an optional '-', strictly (see strparse.h). */
static int parse_integer(const char *s, json_int_t *ret_value)
{
	bool neg = *s == '-';
	uint64_t mag;
	int r = parse_u64(s + neg, 0, neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX, &mag);
	if (r < 0)
		return r;
	*ret_value = neg ? (json_int_t)(0 - mag) : (json_int_t)mag;
	return 0;
}

static int parse_real(const char *s, double *ret_value)
{
	char *end = NULL;
	errno = 0;
	double d = strtod(s, &end);
	if (!*s || errno || !end || *end || !isfinite(d))
		return -EINVAL;
	*ret_value = d;
	return 0;
}

/* The JSON value for `text`, typed after `current` (the field's value in
 * the document, NULL when it has none). Returns 0, or reports a usage
 * error and returns its exit status. */
static int typed_value(const char *key, const json_t *current, const char *text,
		       json_t **ret_value)
{
	json_t *v = NULL;
	json_int_t i;
	double d;

	switch (current ? json_typeof(current) : JSON_STRING) {
	case JSON_INTEGER:
		if (parse_integer(text, &i) < 0)
			return cli_error_usage("%s must be an integer, not '%s'", key, text);
		v = json_integer(i);
		break;
	case JSON_REAL:
		if (parse_real(text, &d) < 0)
			return cli_error_usage("%s must be a number, not '%s'", key, text);
		v = json_real(d);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0)
			return cli_error_usage("%s must be true or false, not '%s'", key, text);
		v = json_boolean(text[0] == 't');
		break;
	case JSON_STRING:
	case JSON_NULL:
		if (current && strcmp(text, "null") == 0) {
			v = json_null();
			break;
		}
		v = json_string(text);
		if (!v)
			return cli_error_usage("%s: value is not valid UTF-8", key);
		break;
	default:
		return cli_error_usage("%s is a list or an object; it cannot be set with KEY=VALUE",
				       key);
	}
	if (!v)
		return cli_error_local(-ENOMEM, "building the request");
	*ret_value = v;
	return 0;
}

static bool is_assignment(const char *arg)
{
	return arg[0] != '=' && strchr(arg, '=');
}

/* Builds the PUT body from the arguments, each already known to be
 * KEY=VALUE. Returns 0 or the exit status. */
static int build_patch(const json_t *doc, int argc, char **argv, json_t **ret_patch)
{
	_cleanup_json_ json_t *patch = json_object();
	if (!patch)
		return cli_error_local(-ENOMEM, "building the request");

	for (int a = 0; a < argc; a++) {
		const char *eq = strchr(argv[a], '=');
		_cleanup_free_ char *key = strndup(argv[a], (size_t)(eq - argv[a]));
		if (!key)
			return cli_error_local(-ENOMEM, "building the request");
		if (json_object_get(patch, key))
			return cli_error_usage("%s is given twice", key);

		json_t *v = NULL;
		int r = typed_value(key, json_object_get(doc, key), eq + 1, &v);
		if (r != 0)
			return r;
		if (json_object_set_new(patch, key, v) < 0)
			return cli_error_usage("'%s' is not a valid key", key);
	}
	*ret_patch = TAKE_PTR(patch);
	return 0;
}

/* Says what changed: each key sent, old -> new, unless picd parked it as
 * pending; then the pending list and how to apply it. */
static int print_outcome(const json_t *patch, const json_t *before, const json_t *answer)
{
	const json_t *after = answer ? cli_config_doc(answer) : NULL;
	const json_t *pending = answer ? cli_config_pending_of(answer) : NULL;
	_cleanup_table_ struct cli_table *t = NULL;
	const char *key;
	const json_t *sent, *entry;
	size_t i;
	int r = cli_table_new(4, &t);

	json_object_foreach((json_t *)patch, key, sent) {
		bool parked = false;
		json_array_foreach(pending, i, entry) {
			const char *f = cli_config_pending_field(entry);
			if (f && strcmp(f, key) == 0)
				parked = true;
		}
		if (r < 0 || parked)
			continue;
		const json_t *old = json_object_get(before, key);
		const json_t *now = after && json_object_get(after, key) ? json_object_get(after, key) : sent;
		_cleanup_free_ char *old_text = NULL, *now_text = NULL;
		r = cli_json_text(old, "-", &old_text);
		if (r == 0)
			r = cli_json_text(now, "-", &now_text);
		if (r == 0 && json_equal(old, now))
			r = cli_table_add(t, key, now_text, "", "(unchanged)");
		else if (r == 0)
			r = cli_table_add(t, key, old_text, "->", now_text);
	}
	if (r < 0)
		return r;
	if (cli_table_rows(t) > 0) {
		printf("changed:\n");
		cli_table_print(t, stdout, "  ");
	}
	if (json_array_size(pending) > 0) {
		printf("pending (not applied yet; 'pic config apply' applies them):\n");
		r = cli_config_pending_print(pending, after ? after : before, stdout, "  ");
	}
	return r;
}

int cli_config_set_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response current = { 0 };
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_json_ json_t *patch = NULL;
	int r;

	/* A malformed argument is a usage error even when picd is down. */
	for (int a = 0; a < argc; a++)
		if (!is_assignment(argv[a]))
			return cli_error_usage("'%s' is not KEY=VALUE", argv[a]);

	r = cli_config_fetch(ctx, &current);
	if (r != 0)
		return r;
	const json_t *before = cli_config_doc(current.body);
	r = build_patch(before, argc, argv, &patch);
	if (r != 0)
		return r;

	r = cli_http_call(ctx, &(struct cli_request){ .method = "PUT", .path = "/api/config",
						      .json = patch, .if_match = current.etag },
			  &resp);
	if (r != 0)
		return r;
	if (ctx->json) {
		if (resp.body)
			cli_json_print(resp.body);
		return CLI_EXIT_OK;
	}
	r = print_outcome(patch, before, resp.body);
	return r < 0 ? cli_error_local(r, "printing the result") : CLI_EXIT_OK;
}
