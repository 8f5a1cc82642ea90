/* Strict parsers for numbers from outside input: the whole string must be
 * consumed, no sign, no leading spaces, within [min, max]. */
#pragma once

#include <stdint.h>

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *ret_value);
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *ret_value);

/* Returns true when `s` is non-NULL and [0, max] bytes long. */
#include <stdbool.h>
#include <stddef.h>
bool str_len_within(const char *s, size_t max);
