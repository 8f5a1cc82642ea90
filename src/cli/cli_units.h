/* Sizes for people: 1536 as "1.5 KiB", with an optional suffix ("/s"). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define CLI_BYTES_TEXT_MAX 32

/* Returns `out`. */
const char *cli_bytes_text(uint64_t bytes, const char *suffix, char out[CLI_BYTES_TEXT_MAX]);
