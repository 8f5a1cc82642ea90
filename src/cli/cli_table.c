/* Aligned text tables (see cli_table.h). */
#include "cli_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

struct cli_table {
	size_t ncols;
	size_t nrows;
	size_t cap;    /* rows allocated */
	char **cells;  /* nrows * ncols, row-major */
};

int cli_table_new(size_t ncols, struct cli_table **ret_table)
{
	if (ncols == 0 || ncols > CLI_TABLE_MAX_COLS)
		return -EINVAL;
	struct cli_table *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->ncols = ncols;
	*ret_table = t;
	return 0;
}

void cli_table_free(struct cli_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

int cli_table_add_row(struct cli_table *t, const char *const *cells, size_t n)
{
	if (n != t->ncols)
		return -EINVAL;
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		char **p = reallocarray(t->cells, cap * t->ncols, sizeof(*p));
		if (!p)
			return -ENOMEM;
		t->cells = p;
		t->cap = cap;
	}
	char **row = t->cells + t->nrows * t->ncols;
	for (size_t i = 0; i < n; i++) {
		row[i] = strdup(cells[i] ? cells[i] : "-");
		if (!row[i]) {
			while (i > 0)
				free(row[--i]);
			return -ENOMEM;
		}
	}
	t->nrows++;
	return 0;
}

size_t cli_table_rows(const struct cli_table *t)
{
	return t->nrows;
}

/* Code points in a UTF-8 string: every byte that is not a continuation. */
static size_t text_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

void cli_table_print(const struct cli_table *t, FILE *out, const char *indent)
{
	size_t width[CLI_TABLE_MAX_COLS];

	for (size_t c = 0; c < t->ncols; c++) {
		width[c] = 0;
		for (size_t r = 0; r < t->nrows; r++) {
			size_t w = text_width(t->cells[r * t->ncols + c]);
			if (w > width[c])
				width[c] = w;
		}
	}
	for (size_t r = 0; r < t->nrows; r++) {
		char *const *row = t->cells + r * t->ncols;
		fputs(indent, out);
		for (size_t c = 0; c < t->ncols; c++) {
			fputs(row[c], out);
			if (c + 1 == t->ncols)
				break;
			size_t pad = width[c] - text_width(row[c]) + 2;
			fprintf(out, "%*s", (int)pad, "");
		}
		fputc('\n', out);
	}
}
