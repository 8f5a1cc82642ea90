/* Golden file comparison (see golden.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "golden.h"
#include "common/fsutil.h"
#include "common/banned.h"

/* The file's contents, NUL-terminated; NULL if it cannot be read. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	char *data = calloc(1, GOLDEN_MAX + 1);
	assert_non_null(data);
	size_t n = fread(data, 1, GOLDEN_MAX, f);
	assert_false(ferror(f));
	assert_true(feof(f));
	fclose(f);
	data[n] = '\0';
	return data;
}

void golden_check(const char *path, const char *text)
{
	const char *update = getenv("GOLDEN_UPDATE");
	if (update && strcmp(update, "1") == 0) {
		assert_int_equal(fs_write_atomic(path, text, strlen(text), 0644), 0);
		return;
	}
	char *want = read_file(path);
	if (!want)
		fail_msg("cannot read %s (run from the top of the tree; GOLDEN_UPDATE=1 creates it)", path);
	if (strcmp(want, text) != 0) {
		print_error("--- %s\n%s--- rendered\n%s", path, want, text);
		free(want);
		fail_msg("rendering differs from %s (GOLDEN_UPDATE=1 rewrites it)", path);
	}
	free(want);
}
