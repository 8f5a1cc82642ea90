/* Limits on JSON a client sends, checked on the raw text before parsing:
 * jansson's own nesting limit (2048) is far above what any PIC document
 * needs, and deep nesting only costs memory and stack. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define JSON_MAX_DEPTH 8

/* True when no array/object in `text` nests deeper than `max_depth`.
 * Brackets inside strings do not count. */
bool json_depth_within(const char *text, size_t len, unsigned max_depth);
