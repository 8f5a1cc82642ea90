/* Shared cmocka fixture for the store tests: a temporary directory with a
 * database path in it, optionally opened and migrated. Teardown closes the
 * store (if open) and removes the database, its WAL files and the
 * directory. */
#pragma once

#include <stdint.h>

#include "store/store.h"

struct store_fixture {
	char dir[64];
	char path[128];
	struct store *s; /* NULL with store_fixture_dir_setup */
};

int store_fixture_dir_setup(void **state);
int store_fixture_setup(void **state);
int store_fixture_teardown(void **state);

/* Creates a user with a dummy password hash; returns its id. */
int64_t store_fixture_user(struct store *s, const char *name);
