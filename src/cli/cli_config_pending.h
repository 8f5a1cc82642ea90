/* Pending configuration changes: ones picd accepted but cannot apply live
 * (a new ip_range, say) until `pic config apply`. Listed by
 * `pic config pending` and also shown by `config get`, `config set` and
 * `status`, all through the helpers here. */
#pragma once

#include <stdio.h>
#include <jansson.h>

/* The pending list of an answer: its "pending" array, else that of its
 * config document; NULL when there is none. */
const json_t *cli_config_pending_of(const json_t *answer);

/* The field a pending entry names ({"field": ...}, or a bare string);
 * NULL when it names none. */
const char *cli_config_pending_field(const json_t *entry);

/* Prints `pending` as a FIELD CURRENT NEW REQUESTED table, each line
 * starting with `indent`. An entry without "current" takes it from
 * `doc` (may be NULL). -ENOMEM. */
int cli_config_pending_print(const json_t *pending, const json_t *doc, FILE *out,
			     const char *indent);
