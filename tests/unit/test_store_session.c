/* Browser sessions in the store: a session is found by its hash with its
 * user's name until `now` reaches expires_at (then -ENOENT), touch slides
 * the expiry and last_seen, delete ends one session, delete_user ends all
 * of a user's sessions but the one kept (and no other user's), and purge
 * removes exactly the expired ones and counts them. */
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
#include "store/store_session.h"
#include "store/store_user.h"
#include "store_fixture.h"
#include "common/banned.h"

/* Creates a session whose id hash is the digest of `secret`, and returns
 * that hash in `hash`. */
static void make_session(struct store *s, int64_t user_id, const char *secret, int64_t now,
			 int64_t expires_at, char hash[SECRET_HASH_HEX_LEN + 1])
{
	struct session sess;
	memset(&sess, 0, sizeof(sess));
	secret_hash_hex(secret, sess.id_hash);
	sess.user_id = user_id;
	snprintf(sess.csrf_token, sizeof(sess.csrf_token), "csrf-%s", secret);
	sess.expires_at = expires_at;
	assert_int_equal(store_session_create(s, &sess, now), 0);
	memcpy(hash, sess.id_hash, SECRET_HASH_HEX_LEN + 1);
}

static bool exists(struct store *s, const char *hash, int64_t now)
{
	struct session got;
	int r = store_session_get(s, hash, now, &got);
	assert_true(r == 0 || r == -ENOENT);
	return r == 0;
}

static void test_create_get_expiry(void **state)
{
	struct store_fixture *f = *state;
	int64_t uid = store_fixture_user(f->s, "admin");
	char h[SECRET_HASH_HEX_LEN + 1];
	make_session(f->s, uid, "s1", 1000, 2000, h);

	struct session got;
	memset(&got, 0, sizeof(got));
	assert_int_equal(store_session_get(f->s, h, 1999, &got), 0);
	assert_string_equal(got.id_hash, h);
	assert_int_equal(got.user_id, uid);
	assert_string_equal(got.username, "admin");
	assert_string_equal(got.csrf_token, "csrf-s1");
	assert_int_equal(got.last_seen, 1000);
	assert_int_equal(got.expires_at, 2000);

	/* Expired from the second expires_at is reached. */
	memset(&got, 0x5a, sizeof(got));
	assert_int_equal(store_session_get(f->s, h, 2000, &got), -ENOENT);
	assert_int_equal(got.user_id, 0x5a5a5a5a5a5a5a5a);
	assert_int_equal(store_session_get(f->s, h, 5000, &got), -ENOENT);

	char other[SECRET_HASH_HEX_LEN + 1];
	secret_hash_hex("s2", other);
	assert_int_equal(store_session_get(f->s, other, 1000, &got), -ENOENT);

	/* The same hash twice is refused. */
	struct session dup = { .user_id = uid, .expires_at = 3000 };
	memcpy(dup.id_hash, h, sizeof(dup.id_hash));
	assert_int_equal(store_session_create(f->s, &dup, 1000), -EEXIST);
}

static void test_touch(void **state)
{
	struct store_fixture *f = *state;
	int64_t uid = store_fixture_user(f->s, "admin");
	char h[SECRET_HASH_HEX_LEN + 1];
	make_session(f->s, uid, "s1", 1000, 2000, h);

	assert_int_equal(store_session_touch(f->s, h, 1500, 3500), 0);
	struct session got;
	assert_int_equal(store_session_get(f->s, h, 3000, &got), 0);
	assert_int_equal(got.last_seen, 1500);
	assert_int_equal(got.expires_at, 3500);
	assert_false(exists(f->s, h, 3500));
}

static void test_delete(void **state)
{
	struct store_fixture *f = *state;
	int64_t uid = store_fixture_user(f->s, "admin");
	char h1[SECRET_HASH_HEX_LEN + 1], h2[SECRET_HASH_HEX_LEN + 1];
	make_session(f->s, uid, "s1", 1000, 2000, h1);
	make_session(f->s, uid, "s2", 1000, 2000, h2);
	assert_int_equal(store_session_delete(f->s, h1), 0);
	assert_false(exists(f->s, h1, 1000));
	assert_true(exists(f->s, h2, 1000));
	assert_int_equal(store_session_delete(f->s, h1), 0);
}

static void test_delete_user_keep_one(void **state)
{
	struct store_fixture *f = *state;
	int64_t admin = store_fixture_user(f->s, "admin");
	int64_t other = store_fixture_user(f->s, "other");
	char a1[SECRET_HASH_HEX_LEN + 1], a2[SECRET_HASH_HEX_LEN + 1], a3[SECRET_HASH_HEX_LEN + 1];
	char o1[SECRET_HASH_HEX_LEN + 1];
	make_session(f->s, admin, "a1", 1000, 2000, a1);
	make_session(f->s, admin, "a2", 1000, 2000, a2);
	make_session(f->s, admin, "a3", 1000, 2000, a3);
	make_session(f->s, other, "o1", 1000, 2000, o1);

	assert_int_equal(store_session_delete_user(f->s, admin, a2), 0);
	assert_false(exists(f->s, a1, 1000));
	assert_true(exists(f->s, a2, 1000));
	assert_false(exists(f->s, a3, 1000));
	assert_true(exists(f->s, o1, 1000));

	/* NULL keeps none. */
	assert_int_equal(store_session_delete_user(f->s, admin, NULL), 0);
	assert_false(exists(f->s, a2, 1000));
	assert_true(exists(f->s, o1, 1000));
}

static void test_purge(void **state)
{
	struct store_fixture *f = *state;
	int64_t uid = store_fixture_user(f->s, "admin");
	char h1[SECRET_HASH_HEX_LEN + 1], h2[SECRET_HASH_HEX_LEN + 1], h3[SECRET_HASH_HEX_LEN + 1];
	make_session(f->s, uid, "s1", 50, 100, h1);
	make_session(f->s, uid, "s2", 50, 200, h2);
	make_session(f->s, uid, "s3", 50, 300, h3);

	assert_int_equal(store_session_purge(f->s, 99), 0);
	/* expires_at <= now counts as expired, as in get. */
	assert_int_equal(store_session_purge(f->s, 200), 2);
	assert_int_equal(store_session_purge(f->s, 200), 0);
	assert_true(exists(f->s, h3, 200));
	assert_int_equal(store_session_delete(f->s, h3), 0);
	assert_int_equal(store_session_purge(f->s, 1000), 0);
	/* Gone, not merely expired: not found even at an earlier time. */
	assert_false(exists(f->s, h1, 0));
	assert_false(exists(f->s, h2, 0));
}

static int group_setup(void **state)
{
	return secret_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_get_expiry, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_touch, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_delete, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_delete_user_keep_one, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_purge, store_fixture_setup, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
