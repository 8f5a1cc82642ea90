/* Times for people: durations as "1h 2m 3s", instants (Unix epoch seconds
 * from picd) as local ISO 8601 "2025-11-29 05:00:00". */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define CLI_TIME_TEXT_MAX 64

/* -ENOBUFS when `out` is too small. */
int cli_time_duration(uint64_t seconds, char *out, size_t size);
int cli_time_local(int64_t epoch, char *out, size_t size);

/* The text for a JSON epoch field: its local time, `if_null` for null or
 * a missing field, "?" for anything else. Returns `out` or a literal. */
const char *cli_time_json(const json_t *v, const char *if_null,
			  char out[CLI_TIME_TEXT_MAX]);
