/* KEY=VALUE settings (see cli_kv.h). */
#include "cli_kv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_error.h"
#include "cli_json.h"
#include "common/buf.h"
#include "common/cleanup.h"
#include "common/strparse.h"

#include "common/banned.h"

/* The most items a list value may have; picd's own limits are lower. */
#define LIST_MAX 64
#define TEXT_MAX 4096

bool cli_kv_is_assignment(const char *arg)
{
	return arg[0] != '=' && strchr(arg, '=');
}

static const struct cli_kv *find(const struct cli_kv *keys, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(keys[i].key, key) == 0)
			return &keys[i];
	return NULL;
}

static int unknown_key(const struct cli_kv *keys, size_t n, const char *key)
{
	struct buf valid;

	buf_init(&valid, TEXT_MAX);
	for (size_t i = 0; i < n; i++)
		if (!keys[i].readonly &&
		    buf_printf(&valid, "%s%s", valid.len ? ", " : "", keys[i].key) < 0)
			break;
	cli_error_usage("no setting '%s'; valid keys: %s", key, valid.len ? valid.data : "(none)");
	buf_free(&valid);
	return CLI_EXIT_USAGE;
}

/* "a, b,c" -> ["a","b","c"]; spaces around items are dropped, an empty
 * item is an error. */
static int parse_list(const char *key, const char *text, json_t **ret_value)
{
	_cleanup_json_ json_t *list = json_array();
	if (!list)
		return cli_error_local(-ENOMEM, "building the request");

	for (const char *p = text; *text; p++) { /* "" is the empty list */
		size_t len = strcspn(p, ",");
		const char *start = p, *end = p + len;
		while (start < end && *start == ' ')
			start++;
		while (end > start && end[-1] == ' ')
			end--;
		if (start == end)
			return cli_error_usage("%s: empty item in '%s'", key, text);
		if (json_array_size(list) >= LIST_MAX)
			return cli_error_usage("%s: more than %d items", key, LIST_MAX);
		json_t *item = json_stringn(start, (size_t)(end - start));
		if (!item)
			return cli_error_usage("%s: value is not valid UTF-8", key);
		if (json_array_append_new(list, item) < 0)
			return cli_error_local(-ENOMEM, "building the request");
		p += len;
		if (!*p)
			break; /* else p is at a ',' that the loop steps over */
	}
	*ret_value = TAKE_PTR(list);
	return 0;
}

/* The JSON value of one VALUE; 0 or the exit status. */
static int typed_value(const struct cli_kv *kv, const char *text, json_t **ret_value)
{
	json_t *v = NULL;
	uint64_t i;

	switch (kv->type) {
	case CLI_KV_BOOL:
		if (strcmp(text, "yes") == 0 || strcmp(text, "true") == 0)
			v = json_true();
		else if (strcmp(text, "no") == 0 || strcmp(text, "false") == 0)
			v = json_false();
		else
			return cli_error_usage("%s must be yes, no, true or false, not '%s'", kv->key,
					       text);
		break;
	case CLI_KV_INT:
		if (parse_u64(text, 0, INT64_MAX, &i) < 0)
			return cli_error_usage("%s must be a whole number, not '%s'", kv->key, text);
		v = json_integer((json_int_t)i);
		break;
	case CLI_KV_STRING:
		if (!*text || strcmp(text, "null") == 0) {
			v = json_null();
			break;
		}
		v = json_string(text);
		if (!v)
			return cli_error_usage("%s: value is not valid UTF-8", kv->key);
		break;
	case CLI_KV_LIST:
		return parse_list(kv->key, text, ret_value);
	}
	if (!v)
		return cli_error_local(-ENOMEM, "building the request");
	*ret_value = v;
	return 0;
}

int cli_kv_parse(const struct cli_kv *keys, size_t n, int argc, char **argv, json_t **ret_obj)
{
	_cleanup_json_ json_t *obj = json_object();
	if (!obj)
		return cli_error_local(-ENOMEM, "building the request");

	/* Every word is checked for shape first: a malformed one is reported
	 * as such even when an earlier key is unknown. */
	for (int a = 0; a < argc; a++)
		if (!cli_kv_is_assignment(argv[a]))
			return cli_error_usage("'%s' is not KEY=VALUE", argv[a]);

	for (int a = 0; a < argc; a++) {
		const char *eq = strchr(argv[a], '=');
		_cleanup_free_ char *key = strndup(argv[a], (size_t)(eq - argv[a]));
		if (!key)
			return cli_error_local(-ENOMEM, "building the request");
		const struct cli_kv *kv = find(keys, n, key);
		if (!kv || kv->readonly)
			return unknown_key(keys, n, key);
		if (json_object_get(obj, key))
			return cli_error_usage("%s is given twice", key);

		json_t *v = NULL;
		int r = typed_value(kv, eq + 1, &v);
		if (r != 0)
			return r;
		if (json_object_set_new(obj, key, v) < 0)
			return cli_error_local(-ENOMEM, "building the request");
	}
	*ret_obj = TAKE_PTR(obj);
	return 0;
}

/* The text of a list: "a, b" or "(none)". */
static int list_text(const json_t *list, char **ret_text)
{
	struct buf text;
	const json_t *item;
	size_t i;

	if (json_array_size(list) == 0) {
		*ret_text = strdup("(none)");
		return *ret_text ? 0 : -ENOMEM;
	}
	buf_init(&text, TEXT_MAX * 4);
	json_array_foreach(list, i, item) {
		_cleanup_free_ char *one = NULL;
		int r = cli_json_text(item, "-", &one);
		if (r == 0)
			r = buf_printf(&text, "%s%s", i ? ", " : "", one);
		if (r < 0) {
			buf_free(&text);
			return r == -E2BIG ? -ENOMEM : r;
		}
	}
	*ret_text = buf_steal(&text);
	return 0;
}

int cli_kv_table(struct cli_table *t, const struct cli_kv *keys, size_t n, const json_t *doc)
{
	for (size_t i = 0; i < n; i++) {
		const json_t *v = json_object_get(doc, keys[i].key);
		_cleanup_free_ char *label = NULL, *text = NULL;
		int r;

		if (asprintf(&label, "%s:", keys[i].key) < 0)
			return -ENOMEM;
		if (json_is_boolean(v))
			r = (text = strdup(json_is_true(v) ? "yes" : "no")) ? 0 : -ENOMEM;
		else if (json_is_array(v))
			r = list_text(v, &text);
		else
			r = cli_json_text(v, "-", &text);
		if (r == 0)
			r = cli_table_add(t, label, text);
		if (r < 0)
			return r;
	}
	return 0;
}
