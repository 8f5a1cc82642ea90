/* Aligned text tables for human output: rows are collected first, column
 * widths computed from every cell, then printed with two spaces between
 * columns and no trailing blanks. Cells are copied, so callers may pass
 * temporaries. Width counts UTF-8 code points, not bytes. */
#pragma once

#include <stddef.h>
#include <stdio.h>

#include "common/cleanup.h"

struct cli_table;

#define CLI_TABLE_MAX_COLS 8

/* -EINVAL unless 1 <= ncols <= CLI_TABLE_MAX_COLS. */
int cli_table_new(size_t ncols, struct cli_table **ret_table);
void cli_table_free(struct cli_table *t);
DEFINE_PTR_CLEANUP(struct cli_table, cli_table_free)
#define _cleanup_table_ _cleanup_(cli_table_freep)

/* Appends one row of exactly `n` cells (n must equal the column count);
 * a NULL cell prints as "-". -EINVAL on a wrong count, -ENOMEM. */
int cli_table_add_row(struct cli_table *t, const char *const *cells, size_t n);
#define cli_table_add(t, ...)                                               \
	cli_table_add_row((t), (const char *const[]){ __VA_ARGS__ },         \
			  ARRAY_SIZE(((const char *const[]){ __VA_ARGS__ })))

size_t cli_table_rows(const struct cli_table *t);

/* Prints every row, each line starting with `indent`. */
void cli_table_print(const struct cli_table *t, FILE *out, const char *indent);
