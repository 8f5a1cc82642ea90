/* JSON for output (see cli_json.h). */
#include "cli_json.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_table.h"

#include "common/banned.h"

void cli_json_print(const json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_ENCODE_ANY);
	fputc('\n', stdout);
}

int cli_json_text(const json_t *v, const char *if_null, char **ret_text)
{
	char *s = NULL;

	if (!v || json_is_null(v)) {
		s = strdup(if_null);
		if (!s)
			return -ENOMEM;
		*ret_text = s;
		return 0;
	}
	switch (json_typeof(v)) {
	case JSON_STRING:
		s = strndup(json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		if (asprintf(&s, "%" JSON_INTEGER_FORMAT, json_integer_value(v)) < 0)
			s = NULL;
		break;
	case JSON_REAL:
		if (asprintf(&s, "%.15g", json_real_value(v)) < 0)
			s = NULL;
		break;
	case JSON_TRUE:
		s = strdup("true");
		break;
	case JSON_FALSE:
		s = strdup("false");
		break;
	default:
		/* json_dumps memory comes from jansson's allocator, which is
		 * malloc here (pic never installs another). */
		s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		break;
	}
	if (!s)
		return -ENOMEM;
	*ret_text = s;
	return 0;
}

int cli_json_lookupn(const json_t *doc, const char *path, size_t len,
		     const json_t **ret_value)
{
	const json_t *v = doc;
	const char *end = path + len;

	for (const char *p = path; p <= end;) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		size_t n = dot ? (size_t)(dot - p) : (size_t)(end - p);

		if (!json_is_object(v))
			return -ENOENT;
		v = json_object_getn(v, p, n);
		if (!v)
			return -ENOENT;
		p += n + 1;
	}
	*ret_value = v;
	return 0;
}

int cli_json_table_kv(struct cli_table *t, const char *key, const json_t *v)
{
	_cleanup_free_ char *text = NULL;
	int r = cli_json_text(v, "-", &text);
	if (r < 0)
		return r;
	return cli_table_add(t, key, text);
}

int cli_json_table_field(struct cli_table *t, const char *key, const json_t *v)
{
	_cleanup_free_ char *label = NULL;
	if (asprintf(&label, "%s:", key) < 0)
		return -ENOMEM;
	return cli_json_table_kv(t, label, v);
}

json_t *cli_json_split(const char *text)
{
	json_t *list = json_array();
	char *copy = strdup(text);
	bool ok = list && copy;
	for (char *save = NULL, *tok = ok ? strtok_r(copy, ",", &save) : NULL; ok && tok; tok = strtok_r(NULL, ",", &save))
		ok = json_array_append_new(list, json_string(tok)) == 0;
	free(copy);
	if (!ok) {
		json_decref(list);
		return NULL;
	}
	return list;
}

const char *cli_json_string_or(const json_t *v, const char *dflt)
{
	const char *s = json_string_value(v);
	return s && s[0] ? s : dflt;
}

void cli_json_join(const json_t *list, const char *sep, char *out, size_t outlen)
{
	const json_t *v;
	size_t i;
	out[0] = '\0';
	json_array_foreach(list, i, v) {
		size_t used = strlen(out);
		snprintf(out + used, outlen - used, "%s%s", i ? sep : "", cli_json_string_or(v, "?"));
	}
	if (!out[0])
		snprintf(out, outlen, "-");
}
