/* The capped buffer: appends and printf up to exactly the limit succeed;
 * one byte more fails with -E2BIG and leaves data, length and allocation
 * as they were; the data stays NUL-terminated through growth; steal hands
 * the data over and empties the buffer; free is safe on an empty one. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/banned.h"

static void test_append_to_limit(void **state)
{
	struct buf b;
	buf_init(&b, 8);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.limit, 8);

	assert_int_equal(buf_append(&b, "abcd", 4), 0);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "abcd");

	char *data = b.data;
	size_t cap = b.cap;
	assert_int_equal(buf_append(&b, "efghi", 5), -E2BIG);
	assert_ptr_equal(b.data, data);
	assert_int_equal(b.cap, cap);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "abcd");

	assert_int_equal(buf_append(&b, "efgh", 4), 0);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "abcdefgh");
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_int_equal(b.len, 8);
	assert_int_equal(buf_append(&b, "x", 1), -E2BIG);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "abcdefgh");
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.limit, 8);
}

static void test_append_binary(void **state)
{
	struct buf b;
	buf_init(&b, 16);
	assert_int_equal(buf_append(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b\0", 4);
	buf_free(&b);
}

static void test_printf(void **state)
{
	struct buf b;
	buf_init(&b, 12);
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "ab"), 0);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "42-ab");
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_int_equal(b.len, 5);

	/* 5 + 8 = 13 > 12: refused whole, nothing partial. */
	assert_int_equal(buf_printf(&b, "%08d", 7), -E2BIG);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "42-ab");

	assert_int_equal(buf_printf(&b, "%07d", 7), 0);
	assert_int_equal(b.len, 12);
	assert_string_equal(b.data, "42-ab0000007");
	assert_int_equal(buf_printf(&b, "x"), -E2BIG);
	assert_string_equal(b.data, "42-ab0000007");
	buf_free(&b);

	/* printf into an empty buffer allocates. */
	buf_init(&b, 4);
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

static void test_growth(void **state)
{
	struct buf b;
	char expect[5000];
	buf_init(&b, sizeof(expect) - 1);
	size_t n = 0;
	for (int i = 0; n + 7 <= sizeof(expect) - 1; i++) {
		char chunk[8];
		for (int k = 0; k < 7; k++)
			chunk[k] = (char)('a' + (i + k) % 26);
		assert_int_equal(buf_append(&b, chunk, 7), 0);
		memcpy(expect + n, chunk, 7);
		n += 7;
		assert_int_equal(b.len, n);
		assert_true(b.cap > b.len);
		assert_int_equal(b.data[b.len], '\0');
	}
	assert_memory_equal(b.data, expect, n);
	buf_free(&b);
}

static void test_zero_limit(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(buf_append(&b, "x", 1), -E2BIG);
	assert_null(b.data);
	assert_int_equal(buf_printf(&b, "%c", 'x'), -E2BIG);
	assert_null(b.data);
	buf_free(&b);
}

static void test_steal(void **state)
{
	struct buf b;
	buf_init(&b, 100);
	assert_int_equal(buf_printf(&b, "hello %s", "world"), 0);
	char *p = buf_steal(&b);
	assert_string_equal(p, "hello world");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.limit, 100);
	free(p);
	/* The emptied buffer is usable again. */
	assert_int_equal(buf_append(&b, "x", 1), 0);
	assert_string_equal(b.data, "x");
	buf_free(&b);
	buf_free(&b);

	buf_init(&b, 10);
	assert_null(buf_steal(&b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_to_limit),
		cmocka_unit_test(test_append_binary),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_zero_limit),
		cmocka_unit_test(test_steal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
