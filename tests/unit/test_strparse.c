/* The strict number parsers: the whole string must be digits without
 * sign, space or leading zero, within [min, max] (-ERANGE outside, also
 * on overflow), and the output is written only on success. Also
 * str_len_within at its boundary. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/strparse.h"
#include "common/banned.h"

static void test_u64_valid(void **state)
{
	uint64_t v = 99;
	assert_int_equal(parse_u64("0", 0, UINT64_MAX, &v), 0);
	assert_true(v == 0);
	assert_int_equal(parse_u64("7", 0, UINT64_MAX, &v), 0);
	assert_true(v == 7);
	assert_int_equal(parse_u64("10", 0, UINT64_MAX, &v), 0);
	assert_true(v == 10);
	assert_int_equal(parse_u64("18446744073709551615", 0, UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	/* Both ends of the range are inside it. */
	assert_int_equal(parse_u64("5", 5, 9, &v), 0);
	assert_true(v == 5);
	assert_int_equal(parse_u64("9", 5, 9, &v), 0);
	assert_true(v == 9);
}

static void test_u64_invalid(void **state)
{
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "01", "00", "1a", "a1", "0x10", "1e3", "1.0", "\t1", "1\n",
		"--1", "\xd9\xa1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t v = 4242;
		if (parse_u64(bad[i], 0, UINT64_MAX, &v) != -EINVAL)
			fail_msg("parse_u64 accepted '%s'", bad[i]);
		assert_true(v == 4242);
	}
	uint64_t v = 4242;
	assert_int_equal(parse_u64(NULL, 0, UINT64_MAX, &v), -EINVAL);
	assert_true(v == 4242);
}

static void test_u64_range(void **state)
{
	uint64_t v = 4242;
	assert_int_equal(parse_u64("18446744073709551616", 0, UINT64_MAX, &v), -ERANGE);
	assert_int_equal(parse_u64("99999999999999999999999", 0, UINT64_MAX, &v), -ERANGE);
	assert_int_equal(parse_u64("4", 5, 9, &v), -ERANGE);
	assert_int_equal(parse_u64("10", 5, 9, &v), -ERANGE);
	assert_int_equal(parse_u64("0", 1, 9, &v), -ERANGE);
	assert_true(v == 4242);
}

static void test_u32(void **state)
{
	uint32_t v = 4242;
	assert_int_equal(parse_u32("4294967295", 0, UINT32_MAX, &v), 0);
	assert_int_equal(v, UINT32_MAX);
	v = 4242;
	assert_int_equal(parse_u32("4294967296", 0, UINT32_MAX, &v), -ERANGE);
	assert_int_equal(v, 4242);
	assert_int_equal(parse_u32("18446744073709551617", 0, UINT32_MAX, &v), -ERANGE);
	assert_int_equal(v, 4242);
	assert_int_equal(parse_u32("65535", 1, 65535, &v), 0);
	assert_int_equal(v, 65535);
	v = 4242;
	assert_int_equal(parse_u32("65536", 1, 65535, &v), -ERANGE);
	assert_int_equal(parse_u32("0", 1, 65535, &v), -ERANGE);
	assert_int_equal(parse_u32("-1", 1, 65535, &v), -EINVAL);
	assert_int_equal(parse_u32("01", 1, 65535, &v), -EINVAL);
	assert_int_equal(v, 4242);
}

static void test_len_within(void **state)
{
	assert_false(str_len_within(NULL, 10));
	assert_true(str_len_within("", 0));
	assert_false(str_len_within("a", 0));
	assert_true(str_len_within("abc", 3));
	assert_false(str_len_within("abcd", 3));
	assert_true(str_len_within("abc", SIZE_MAX - 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64_valid),
		cmocka_unit_test(test_u64_invalid),
		cmocka_unit_test(test_u64_range),
		cmocka_unit_test(test_u32),
		cmocka_unit_test(test_len_within),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
