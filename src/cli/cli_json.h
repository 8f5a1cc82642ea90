/* JSON helpers for output: the pretty form printed by --json, the plain
 * text of a value for human output, and dotted-path lookup into a
 * document ("addresses.dns"). */
#pragma once

#include <stddef.h>
#include <jansson.h>

#include "common/cleanup.h"

/* json_decrefp() comes with jansson (>= 2.9). */
#define _cleanup_json_ _cleanup_(json_decrefp)

/* Prints `v` indented by two spaces, then a newline, to stdout. */
void cli_json_print(const json_t *v);

/* The text a person reads for `v`: a string without quotes, numbers and
 * true/false as written, objects and arrays as compact JSON, and `if_null`
 * for null or a missing value (v == NULL). The caller frees *ret_text.
 * -ENOMEM. */
int cli_json_text(const json_t *v, const char *if_null, char **ret_text);

/* Adds the row { key, text of v } to a two-column table; null and missing
 * values show as "-". -ENOMEM. */
struct cli_table;
int cli_json_table_kv(struct cli_table *t, const char *key, const json_t *v);

/* The same with the key shown as a label, "key:". */
int cli_json_table_field(struct cli_table *t, const char *key, const json_t *v);

/* A string member's text, or `dflt` when it is missing, empty or not a
 * string. */
const char *cli_json_string_or(const json_t *v, const char *dflt);
/* The strings of array `list` joined with `sep` into out[outlen] (cut
 * when longer), "-" for none. */
void cli_json_join(const json_t *list, const char *sep, char *out, size_t outlen);
/* "a,b,c" (an option's value) as the list ["a","b","c"]; "" as []. NULL
 * when out of memory or not valid UTF-8. */
json_t *cli_json_split(const char *text);

/* Looks up the first `len` bytes of `path`, a '.'-separated list of object
 * keys, below `doc`. -ENOENT when a step is missing or not an object. */
int cli_json_lookupn(const json_t *doc, const char *path, size_t len,
		     const json_t **ret_value);
