/* Settings given as KEY=VALUE words (`pic dns config cache_mb=64`) and
 * shown as "key:  value" lines. A table names each key and its type;
 * parsing is strict and local, so a malformed word is a usage error
 * before anything is sent, and a key the table lacks is refused with the
 * list of valid ones. What picd thinks of a well-formed value is picd's
 * to say. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "cli_table.h"

enum cli_kv_type {
	CLI_KV_BOOL,     /* yes|no|true|false -> true/false */
	CLI_KV_INT,      /* a whole number from 0 -> integer */
	CLI_KV_STRING,   /* as given -> string; "" or "null" -> null */
	CLI_KV_LIST,     /* comma separated -> list of strings; "" -> [] */
};

struct cli_kv {
	const char *key;
	enum cli_kv_type type;
	bool readonly;   /* shown, but not settable */
};

/* Whether `arg` looks like KEY=VALUE (a non-empty KEY). */
bool cli_kv_is_assignment(const char *arg);

/* Parses argv[0..argc), each KEY=VALUE, into a new object of typed
 * values. Returns 0 with it in *ret_obj, else reports the usage error
 * (a word that is not KEY=VALUE, an unknown or read-only key, a key
 * given twice, a value of the wrong shape) and returns its exit status. */
int cli_kv_parse(const struct cli_kv *keys, size_t n, int argc, char **argv, json_t **ret_obj);

/* Adds a "key:" / value row to `t` for each key of the table, in order,
 * with the value found in `doc` shown for a person: yes/no, lists comma
 * separated or "(none)", null or missing as "-". -ENOMEM. */
int cli_kv_table(struct cli_table *t, const struct cli_kv *keys, size_t n, const json_t *doc);
