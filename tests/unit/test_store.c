/* Opening the store: a fresh database is migrated to the latest schema
 * version, reopening keeps what was written and migrates nothing twice, a
 * database from a newer picd (user_version past the latest) is refused
 * with -EPROTO and a message naming both versions, a directory that does
 * not exist is an error, and transactions commit or roll back. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "store/store.h"
#include "store/store_config.h"
#include "store_fixture.h"
#include "common/banned.h"

static struct store *open_ok(const char *path)
{
	struct store *s = NULL;
	char err[256] = "";
	int r = store_open(path, &s, err, sizeof(err));
	if (r != 0)
		fail_msg("store_open(%s): %d %s", path, r, err);
	assert_non_null(s);
	return s;
}

/* user_version read with sqlite3 directly, bypassing the store. */
static int raw_user_version(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void test_fresh_schema(void **state)
{
	struct store_fixture *f = *state;
	assert_true(store_latest_schema_version() >= 1);
	struct store *s = open_ok(f->path);
	assert_int_equal(store_schema_version(s), store_latest_schema_version());
	uint64_t rev = 0;
	assert_int_equal(store_config_revision(s, &rev), 0);
	assert_true(rev == 1);
	store_close(s);
	assert_int_equal(raw_user_version(f->path), store_latest_schema_version());
}

static void test_reopen_keeps_data(void **state)
{
	struct store_fixture *f = *state;
	struct store *s = open_ok(f->path);
	assert_int_equal(store_config_set(s, "cell_name", "kept"), 0);
	uint64_t rev;
	assert_int_equal(store_config_bump_revision(s, &rev), 0);
	store_close(s);

	s = open_ok(f->path);
	assert_int_equal(store_schema_version(s), store_latest_schema_version());
	struct cell_config c;
	struct field_error e;
	assert_int_equal(store_config_load(s, &c, &e), 0);
	assert_string_equal(c.cell_name, "kept");
	/* Migration 1 was not run again (it would reset the revision or
	 * fail on the existing tables). */
	assert_int_equal(store_config_revision(s, &rev), 0);
	assert_true(rev == 2);
	store_close(s);
}

static void test_newer_database_refused(void **state)
{
	struct store_fixture *f = *state;
	store_close(open_ok(f->path));

	int newer = store_latest_schema_version() + 1;
	sqlite3 *db = NULL;
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", newer);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	struct store *s = (struct store *)0x1;
	char err[256] = "";
	assert_int_equal(store_open(f->path, &s, err, sizeof(err)), -EPROTO);
	assert_ptr_equal(s, (struct store *)0x1);
	char expect[64];
	snprintf(expect, sizeof(expect), "schema version %d", newer);
	if (!strstr(err, expect))
		fail_msg("message '%s' lacks '%s'", err, expect);
	snprintf(expect, sizeof(expect), "only up to %d", store_latest_schema_version());
	if (!strstr(err, expect))
		fail_msg("message '%s' lacks '%s'", err, expect);
	/* The refused database is left as it was. */
	assert_int_equal(raw_user_version(f->path), newer);
}

static void test_missing_directory(void **state)
{
	struct store_fixture *f = *state;
	char path[192];
	snprintf(path, sizeof(path), "%s/no/such/dir/pic.db", f->dir);
	struct store *s = (struct store *)0x1;
	char err[256] = "";
	assert_int_equal(store_open(path, &s, err, sizeof(err)), -ENOENT);
	assert_ptr_equal(s, (struct store *)0x1);
	assert_true(strlen(err) > 0);
}

static void test_transactions(void **state)
{
	struct store_fixture *f = *state;
	struct store *s = open_ok(f->path);
	struct cell_config c;
	struct field_error e;

	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_config_set(s, "domain", "rolled.back"), 0);
	store_rollback(s);
	assert_int_equal(store_config_load(s, &c, &e), 0);
	assert_string_equal(c.domain, "cell");

	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_config_set(s, "domain", "committed"), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_config_load(s, &c, &e), 0);
	assert_string_equal(c.domain, "committed");

	/* No transaction open: commit is an error, not a crash. */
	assert_true(store_commit(s) < 0);
	store_close(s);
	store_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fresh_schema, store_fixture_dir_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_data, store_fixture_dir_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_newer_database_refused, store_fixture_dir_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_missing_directory, store_fixture_dir_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_transactions, store_fixture_dir_setup, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
