/* json_depth_within: nesting exactly at the limit passes and one deeper
 * fails, for arrays, objects and a mix; brackets inside strings, after
 * escaped quotes and past `len` do not count; stray closers do not let a
 * later opener through. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "api/json_limits.h"
#include "common/banned.h"

static bool within(const char *s, unsigned max)
{
	return json_depth_within(s, strlen(s), max);
}

/* `depth` nested arrays: "[[...]]". */
static void nested(char *out, size_t outlen, unsigned depth)
{
	assert_true(2 * depth + 1 <= outlen);
	memset(out, '[', depth);
	memset(out + depth, ']', depth);
	out[2 * depth] = '\0';
}

static void test_arrays_at_limit(void **state)
{
	char s[64];
	assert_int_equal(JSON_MAX_DEPTH, 8);
	nested(s, sizeof(s), 8);
	assert_true(within(s, JSON_MAX_DEPTH));
	nested(s, sizeof(s), 9);
	assert_false(within(s, JSON_MAX_DEPTH));
	nested(s, sizeof(s), 0);
	assert_true(within(s, JSON_MAX_DEPTH));
}

static void test_objects_and_mix(void **state)
{
	const char *eight = "{\"a\":[{\"b\":[{\"c\":[{\"d\":[1]}]}]}]}";
	const char *nine = "{\"a\":[{\"b\":[{\"c\":[{\"d\":[{}]}]}]}]}";
	assert_true(within(eight, 8));
	assert_false(within(nine, 8));
	assert_true(within(nine, 9));
	/* Siblings do not add up. */
	assert_true(within("[[1],[2],[3],{\"a\":1},{}]", 2));
	assert_false(within("[[1],{\"a\":{}}]", 2));
	assert_false(within("[[1],[2],[[3]]]", 2));
}

static void test_strings(void **state)
{
	/* Brackets inside a string do not count. */
	assert_true(within("[\"[[[[[[[[[[{{{{{{{{{{\"]", 1));
	assert_true(within("{\"[[[[\":\"]]]]{{{{\"}", 1));
	/* An escaped quote does not end the string... */
	assert_true(within("[\"a\\\"[[[[[[[[[[\"]", 1));
	/* ...but an escaped backslash before a quote does. */
	assert_false(within("[\"a\\\\\"[[]]", 1));
	assert_true(within("[\"a\\\\\"[[]]", 3));
	/* Other escapes are skipped as one character. */
	assert_true(within("[\"\\u005b\\n[\"]", 1));
}

static void test_stray_closers(void **state)
{
	/* Closers beyond depth 0 do not bank credit for later openers. */
	assert_false(within("]]]][[[", 2));
	assert_true(within("]]]][[", 2));
	assert_true(within("", 0));
	assert_false(within("[]", 0));
	assert_true(within("1", 0));
}

static void test_len_bounds_scan(void **state)
{
	const char *s = "[[]][[[[[[[[[[";
	assert_true(json_depth_within(s, 4, 2));
	assert_false(json_depth_within(s, strlen(s), 2));
	/* A backslash as the last byte inside a string does not run past len. */
	assert_true(json_depth_within("[\"\\", 3, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arrays_at_limit),
		cmocka_unit_test(test_objects_and_mix),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_stray_closers),
		cmocka_unit_test(test_len_bounds_scan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
