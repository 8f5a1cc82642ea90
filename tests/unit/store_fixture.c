/* The store tests' fixture (see store_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "store_fixture.h"
#include "store/store_user.h"
#include "common/banned.h"

int store_fixture_dir_setup(void **state)
{
	struct store_fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/pic-test-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/pic.db", f->dir);
	*state = f;
	return 0;
}

int store_fixture_setup(void **state)
{
	if (store_fixture_dir_setup(state) < 0)
		return -1;
	struct store_fixture *f = *state;
	char err[256];
	if (store_open(f->path, &f->s, err, sizeof(err)) != 0) {
		print_error("store_open: %s\n", err);
		store_fixture_teardown(state);
		return -1;
	}
	return 0;
}

int store_fixture_teardown(void **state)
{
	struct store_fixture *f = *state;
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	store_close(f->s);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char p[160];
		snprintf(p, sizeof(p), "%s%s", f->path, suffixes[i]);
		unlink(p);
	}
	int r = rmdir(f->dir);
	free(f);
	return r;
}

int64_t store_fixture_user(struct store *s, const char *name)
{
	int64_t id = -1;
	assert_int_equal(store_user_create(s, name, "hash", 1, &id), 0);
	return id;
}
