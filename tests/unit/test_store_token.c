/* API tokens in the store: create returns increasing ids, get_by_hash
 * finds a token with its owner's name and "never used" as 0, touch records
 * use, list and count are per user in id order, a duplicate hash is
 * refused, and delete is -ENOENT for a missing id and for another user's
 * token (which survives). */
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
#include "store/store_token.h"
#include "store/store_user.h"
#include "store_fixture.h"
#include "common/banned.h"

static int64_t make_token(struct store *s, int64_t uid, const char *name, const char *secret, int64_t now)
{
	char h[SECRET_HASH_HEX_LEN + 1];
	int64_t id = -1;
	secret_hash_hex(secret, h);
	assert_int_equal(store_token_create(s, name, h, uid, now, &id), 0);
	assert_true(id > 0);
	return id;
}

static void test_create_get(void **state)
{
	struct store_fixture *f = *state;
	int64_t uid = store_fixture_user(f->s, "admin");
	int64_t id = make_token(f->s, uid, "backup script", "pic_secret1", 1000);

	char h[SECRET_HASH_HEX_LEN + 1];
	secret_hash_hex("pic_secret1", h);
	struct api_token t;
	memset(&t, 0, sizeof(t));
	assert_int_equal(store_token_get_by_hash(f->s, h, &t), 0);
	assert_int_equal(t.id, id);
	assert_string_equal(t.name, "backup script");
	assert_int_equal(t.user_id, uid);
	assert_string_equal(t.username, "admin");
	assert_int_equal(t.created_at, 1000);
	assert_int_equal(t.last_used_at, 0);

	assert_int_equal(store_token_touch(f->s, id, 1234), 0);
	assert_int_equal(store_token_get_by_hash(f->s, h, &t), 0);
	assert_int_equal(t.last_used_at, 1234);

	secret_hash_hex("pic_other", h);
	memset(&t, 0x5a, sizeof(t));
	assert_int_equal(store_token_get_by_hash(f->s, h, &t), -ENOENT);
	assert_int_equal(t.id, 0x5a5a5a5a5a5a5a5a);
}

static void test_duplicate_hash(void **state)
{
	struct store_fixture *f = *state;
	int64_t uid = store_fixture_user(f->s, "admin");
	make_token(f->s, uid, "a", "same", 1);
	char h[SECRET_HASH_HEX_LEN + 1];
	secret_hash_hex("same", h);
	int64_t id = 77;
	assert_int_equal(store_token_create(f->s, "b", h, uid, 2, &id), -EEXIST);
	assert_int_equal(id, 77);
	assert_int_equal(store_token_count(f->s, uid), 1);
}

static void test_list_count(void **state)
{
	struct store_fixture *f = *state;
	int64_t admin = store_fixture_user(f->s, "admin");
	int64_t other = store_fixture_user(f->s, "other");
	assert_int_equal(store_token_count(f->s, admin), 0);
	struct api_token list[4];
	assert_int_equal(store_token_list(f->s, admin, list, 4), 0);

	int64_t t1 = make_token(f->s, admin, "one", "s1", 10);
	int64_t o1 = make_token(f->s, other, "theirs", "s2", 11);
	int64_t t2 = make_token(f->s, admin, "two", "s3", 12);
	int64_t t3 = make_token(f->s, admin, "three", "s4", 13);
	assert_true(t1 < o1 && o1 < t2 && t2 < t3);

	assert_int_equal(store_token_count(f->s, admin), 3);
	assert_int_equal(store_token_count(f->s, other), 1);
	assert_int_equal(store_token_list(f->s, admin, list, 4), 3);
	assert_int_equal(list[0].id, t1);
	assert_string_equal(list[0].name, "one");
	assert_int_equal(list[0].created_at, 10);
	assert_string_equal(list[0].username, "admin");
	assert_int_equal(list[1].id, t2);
	assert_string_equal(list[1].name, "two");
	assert_int_equal(list[2].id, t3);
	assert_int_equal(list[2].user_id, admin);

	/* `max` bounds the list. */
	assert_int_equal(store_token_list(f->s, admin, list, 2), 2);
	assert_int_equal(list[1].id, t2);

	assert_int_equal(store_token_list(f->s, other, list, 4), 1);
	assert_int_equal(list[0].id, o1);
	assert_string_equal(list[0].username, "other");
}

static void test_delete(void **state)
{
	struct store_fixture *f = *state;
	int64_t admin = store_fixture_user(f->s, "admin");
	int64_t other = store_fixture_user(f->s, "other");
	int64_t mine = make_token(f->s, admin, "mine", "s1", 1);
	int64_t theirs = make_token(f->s, other, "theirs", "s2", 1);

	/* Another user's token is not found, and survives. */
	assert_int_equal(store_token_delete(f->s, admin, theirs), -ENOENT);
	assert_int_equal(store_token_count(f->s, other), 1);
	char h[SECRET_HASH_HEX_LEN + 1];
	struct api_token t;
	secret_hash_hex("s2", h);
	assert_int_equal(store_token_get_by_hash(f->s, h, &t), 0);

	assert_int_equal(store_token_delete(f->s, admin, 9999), -ENOENT);
	assert_int_equal(store_token_delete(f->s, admin, mine), 0);
	assert_int_equal(store_token_count(f->s, admin), 0);
	secret_hash_hex("s1", h);
	assert_int_equal(store_token_get_by_hash(f->s, h, &t), -ENOENT);
	assert_int_equal(store_token_delete(f->s, admin, mine), -ENOENT);

	/* Ids are not reused, even the highest one after its delete. */
	assert_int_equal(store_token_delete(f->s, other, theirs), 0);
	int64_t next = make_token(f->s, admin, "next", "s3", 2);
	assert_true(next > theirs);
}

static int group_setup(void **state)
{
	return secret_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_get, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_hash, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_list_count, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_delete, store_fixture_setup, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
