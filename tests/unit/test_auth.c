/* The pure parts of authentication: finding the session cookie in a
 * Cookie header (several cookies, spacing, a name that ends another name,
 * absence, a value too long for the buffer) and argon2id password hashing
 * and verification, including the dummy check for an unknown user. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "api/auth.h"
#include "common/secret.h"
#include "common/banned.h"

static void assert_cookie(const char *header, const char *expect)
{
	char out[64];
	memset(out, 'z', sizeof(out));
	int r = auth_cookie_value(header, SESSION_COOKIE, out, sizeof(out));
	if (r != 0)
		fail_msg("'%s': %d", header, r);
	assert_string_equal(out, expect);
}

static void test_cookie_found(void **state)
{
	assert_cookie("pic_session=abc", "abc");
	assert_cookie("a=1; pic_session=abc; b=2", "abc");
	assert_cookie("a=1;pic_session=abc;b=2", "abc");
	assert_cookie("a=1;   pic_session=abc", "abc");
	assert_cookie("pic_session=abc; pic_session=def", "abc");
	assert_cookie("xpic_session=1; pic_session=2", "2");
	assert_cookie("pic_session_old=1; pic_session=2", "2");
	assert_cookie("pic=1; pic_session=2", "2");
	assert_cookie("pic_session=a=b", "a=b");
	assert_cookie("pic_session=", "");
}

static void test_cookie_absent(void **state)
{
	static const char *const headers[] = {
		"", "a=1", "xpic_session=1", "pic_session", "pic_session_x=1", "pic_sessio=1",
		"; ;", "a=pic_session=1",
	};
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		char out[64];
		if (auth_cookie_value(headers[i], SESSION_COOKIE, out, sizeof(out)) != -ENOENT)
			fail_msg("found a session cookie in '%s'", headers[i]);
	}
}

static void test_cookie_too_long(void **state)
{
	char out[4];
	/* Three characters fit with the NUL, four do not. */
	assert_int_equal(auth_cookie_value("pic_session=abc", SESSION_COOKIE, out, sizeof(out)), 0);
	assert_string_equal(out, "abc");
	assert_int_equal(auth_cookie_value("pic_session=abcd", SESSION_COOKIE, out, sizeof(out)), -ENOBUFS);
	assert_int_equal(auth_cookie_value("a=b; pic_session=abcd; c=d", SESSION_COOKIE, out, sizeof(out)),
			 -ENOBUFS);
}

static void test_password(void **state)
{
	char hash[crypto_pwhash_STRBYTES];
	assert_int_equal(auth_password_hash(AUTH_PW_ARGON2ID, "correct horse", hash, sizeof(hash)), 0);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_true(auth_password_verify(hash, "correct horse"));
	assert_false(auth_password_verify(hash, "correct horse "));
	assert_false(auth_password_verify(hash, "Correct horse"));
	assert_false(auth_password_verify(hash, ""));

	/* A second hash of the same password differs (fresh salt) and
	 * verifies too. */
	char hash2[crypto_pwhash_STRBYTES];
	assert_int_equal(auth_password_hash(AUTH_PW_ARGON2ID, "correct horse", hash2, sizeof(hash2)), 0);
	assert_string_not_equal(hash, hash2);
	assert_true(auth_password_verify(hash2, "correct horse"));

	/* Unknown user: never true, whatever the password. */
	assert_false(auth_password_verify(NULL, "correct horse"));
	assert_false(auth_password_verify(NULL, "not a password"));
	assert_false(auth_password_verify(NULL, ""));

	/* Garbage instead of a hash. */
	assert_false(auth_password_verify("", "x"));
	assert_false(auth_password_verify("$argon2id$nonsense", "x"));
}

/* A cell account's hash: bcrypt, the format dovecot, radicale and apache
 * verify, at the cost picd uses. */
static void test_password_bcrypt(void **state)
{
	char hash[PASSWORD_HASH_MAX + 1], cost[8];
	assert_int_equal(auth_password_hash(AUTH_PW_BCRYPT, "saffron-kettle-42", hash, sizeof(hash)), 0);
	snprintf(cost, sizeof(cost), "$2b$%02d$", AUTH_BCRYPT_COST);
	assert_true(strncmp(hash, cost, 7) == 0);
	assert_int_equal(strlen(hash), 60);
	assert_true(auth_password_verify(hash, "saffron-kettle-42"));
	assert_false(auth_password_verify(hash, "saffron-kettle-43"));
	assert_false(auth_password_verify(hash, ""));
	/* htpasswd -B writes $2y$: the same algorithm. */
	hash[2] = 'y';
	assert_true(auth_password_verify(hash, "saffron-kettle-42"));
	assert_false(auth_password_verify("$2b$10$short", "x"));
	char small[40];
	assert_int_equal(auth_password_hash(AUTH_PW_BCRYPT, "pw", small, sizeof(small)), -EIO);
}

static void test_password_small_buffer(void **state)
{
	char hash[crypto_pwhash_STRBYTES - 1];
	assert_int_equal(auth_password_hash(AUTH_PW_ARGON2ID, "pw", hash, sizeof(hash)), -ENOBUFS);
}

static int setup(void **state)
{
	return secret_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cookie_found),
		cmocka_unit_test(test_cookie_absent),
		cmocka_unit_test(test_cookie_too_long),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_password_small_buffer),
		cmocka_unit_test(test_password_bcrypt),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
