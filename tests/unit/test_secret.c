/* Secrets: random tokens carry their prefix, have the exact base64url
 * length for their byte count, use only URL-safe characters, differ from
 * call to call and refuse a buffer one byte short; the stored digest is
 * BLAKE2b-256 in 64 lowercase hex characters (checked against a known
 * vector) and deterministic; secret_equal compares whole strings. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/secret.h"
#include "common/banned.h"

static void test_token_shape(void **state)
{
	char a[64], b[64];
	/* 32 bytes -> 43 base64url characters, no padding. */
	assert_int_equal(secret_random_token("pic_", 32, a, sizeof(a)), 0);
	assert_int_equal(strlen(a), 4 + 43);
	assert_true(strncmp(a, "pic_", 4) == 0);
	assert_int_equal(strspn(a + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
			 43);
	assert_int_equal(secret_random_token("pic_", 32, b, sizeof(b)), 0);
	assert_string_not_equal(a, b);

	assert_int_equal(secret_random_token("", 16, a, sizeof(a)), 0);
	assert_int_equal(strlen(a), 22);
	assert_int_equal(secret_random_token("x", 1, a, sizeof(a)), 0);
	assert_int_equal(strlen(a), 3);
}

static void test_token_buffer(void **state)
{
	char out[64];
	/* "pic_" + 43 + NUL = 48 bytes exactly. */
	assert_int_equal(secret_random_token("pic_", 32, out, 48), 0);
	assert_int_equal(strlen(out), 47);
	memset(out, 'q', sizeof(out));
	assert_int_equal(secret_random_token("pic_", 32, out, 47), -ENOBUFS);
	assert_int_equal(out[0], 'q');
	assert_int_equal(secret_random_token("pic_", 65, out, sizeof(out)), -EINVAL);
}

static void test_hash(void **state)
{
	char h1[SECRET_HASH_HEX_LEN + 1], h2[SECRET_HASH_HEX_LEN + 1];
	secret_hash_hex("abc", h1);
	assert_int_equal(strlen(h1), SECRET_HASH_HEX_LEN);
	assert_string_equal(h1, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	secret_hash_hex("abc", h2);
	assert_string_equal(h1, h2);

	secret_hash_hex("", h1);
	assert_string_equal(h1, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
	secret_hash_hex("abd", h2);
	assert_int_equal(strlen(h2), 64);
	assert_int_equal(strspn(h2, "0123456789abcdef"), 64);
	assert_string_not_equal(h1, h2);
}

static void test_equal(void **state)
{
	assert_true(secret_equal("", ""));
	assert_true(secret_equal("token", "token"));
	assert_false(secret_equal("token", "tokem"));
	assert_false(secret_equal("Token", "token"));
	assert_false(secret_equal("tok", "token"));
	assert_false(secret_equal("token", "tok"));
	assert_false(secret_equal("", "a"));
}

static int setup(void **state)
{
	return secret_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_shape),
		cmocka_unit_test(test_token_buffer),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_equal),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
