/* Accounts in the store: create returns an id that get finds again with
 * the name and hash, a missing user is -ENOENT, a second account with the
 * same name is refused, and a password change replaces the hash (and is
 * -ENOENT for an unknown id). */
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

#include "store/store.h"
#include "store/store_user.h"
#include "store_fixture.h"
#include "common/banned.h"

static void test_create_get(void **state)
{
	struct store_fixture *f = *state;
	int64_t id = -1;
	assert_int_equal(store_user_create(f->s, "admin", "$argon2id$hash1", 1000, &id), 0);
	assert_true(id > 0);

	struct user u;
	memset(&u, 0, sizeof(u));
	assert_int_equal(store_user_get(f->s, "admin", &u), 0);
	assert_int_equal(u.id, id);
	assert_string_equal(u.name, "admin");
	assert_string_equal(u.password_hash, "$argon2id$hash1");

	int64_t id2 = -1;
	assert_int_equal(store_user_create(f->s, "second", "h2", 1000, &id2), 0);
	assert_true(id2 > 0);
	assert_true(id2 != id);
	assert_int_equal(store_user_get(f->s, "second", &u), 0);
	assert_int_equal(u.id, id2);
}

static void test_missing(void **state)
{
	struct store_fixture *f = *state;
	struct user u;
	memset(&u, 0x5a, sizeof(u));
	assert_int_equal(store_user_get(f->s, "admin", &u), -ENOENT);
	assert_int_equal(u.id, 0x5a5a5a5a5a5a5a5a);

	int64_t id;
	assert_int_equal(store_user_create(f->s, "admin", "h", 1, &id), 0);
	assert_int_equal(store_user_get(f->s, "Admin", &u), -ENOENT);
	assert_int_equal(store_user_get(f->s, "admin ", &u), -ENOENT);
	assert_int_equal(store_user_get(f->s, "", &u), -ENOENT);
}

static void test_duplicate_name(void **state)
{
	struct store_fixture *f = *state;
	int64_t id = -1, id2 = 77;
	assert_int_equal(store_user_create(f->s, "admin", "h1", 1, &id), 0);
	assert_int_equal(store_user_create(f->s, "admin", "h2", 2, &id2), -EEXIST);
	assert_int_equal(id2, 77);
	struct user u;
	assert_int_equal(store_user_get(f->s, "admin", &u), 0);
	assert_string_equal(u.password_hash, "h1");
	/* The failed insert left the statement usable. */
	assert_int_equal(store_user_create(f->s, "other", "h3", 3, &id2), 0);
}

static void test_set_password(void **state)
{
	struct store_fixture *f = *state;
	int64_t id;
	assert_int_equal(store_user_create(f->s, "admin", "old", 1, &id), 0);
	assert_int_equal(store_user_set_password(f->s, id, "new", 2), 0);
	struct user u;
	assert_int_equal(store_user_get(f->s, "admin", &u), 0);
	assert_string_equal(u.password_hash, "new");
	assert_int_equal(store_user_set_password(f->s, id + 100, "x", 3), -ENOENT);
	assert_int_equal(store_user_get(f->s, "admin", &u), 0);
	assert_string_equal(u.password_hash, "new");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_get, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_missing, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_name, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_set_password, store_fixture_setup, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
