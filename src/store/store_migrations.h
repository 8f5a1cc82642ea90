/* The embedded migrations, in order: migration i moves the schema from
 * version i to version i + 1. */
#pragma once

#include <stddef.h>

struct store_migration {
	const char *name;
	const char *sql;
};

extern const struct store_migration store_migrations[];
extern const size_t store_migrations_len;
