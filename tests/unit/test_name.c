/* name_validate: the length limits (255 for the name, 63 for a label, both
 * at and one past the boundary), the label rules (no empty label, no
 * leading or trailing hyphen), the character allow-list, and that every
 * failure names the field it was given. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model/name.h"
#include "common/banned.h"

/* Writes `n` copies of `c` at `p` and returns the position after them. */
static char *fill(char *p, char c, size_t n)
{
	memset(p, c, n);
	return p + n;
}

/* Asserts that `s` is rejected for field `field` with a message that
 * contains `needle`. */
static void assert_rejected(const char *field, const char *s, const char *needle)
{
	struct field_error e;
	memset(&e, 0, sizeof(e));
	assert_int_equal(name_validate(field, s, &e), -EINVAL);
	assert_string_equal(e.field, field);
	assert_true(strlen(e.message) > 0);
	if (!strstr(e.message, needle))
		fail_msg("message '%s' does not contain '%s'", e.message, needle);
}

static void assert_valid(const char *s)
{
	struct field_error e;
	memset(&e, 0, sizeof(e));
	assert_int_equal(name_validate("domain", s, &e), 0);
}

static void test_empty(void **state)
{
	assert_rejected("cell_name", "", "must not be empty");
}

static void test_total_length(void **state)
{
	char s[NAME_MAX_LEN + 2];
	/* Four labels of 63 joined by three dots: exactly 255. */
	char *p = s;
	for (int i = 0; i < 4; i++) {
		if (i > 0)
			*p++ = '.';
		p = fill(p, 'a', 63);
	}
	*p = '\0';
	assert_int_equal(strlen(s), 255);
	assert_valid(s);

	/* 63.63.63.62 + ".b": 256, every label still well-formed. */
	p = s;
	for (int i = 0; i < 3; i++) {
		p = fill(p, 'a', 63);
		*p++ = '.';
	}
	p = fill(p, 'a', 62);
	*p++ = '.';
	*p++ = 'b';
	*p = '\0';
	assert_int_equal(strlen(s), 256);
	assert_rejected("domain", s, "longer than 255");
}

static void test_label_length(void **state)
{
	char s[80];
	char *p = fill(s, 'x', 63);
	memcpy(p, ".cell", 6);
	assert_valid(s);

	p = fill(s, 'x', 64);
	memcpy(p, ".cell", 6);
	assert_rejected("domain", s, "label longer than 63");

	/* The over-long label last, ended by the NUL rather than a dot. */
	memcpy(s, "cell.", 5);
	p = fill(s + 5, 'x', 64);
	*p = '\0';
	assert_rejected("domain", s, "label longer than 63");
}

static void test_hyphens(void **state)
{
	assert_valid("my-cell");
	assert_valid("a--b.c-d");
	assert_rejected("domain", "-cell", "hyphen");
	assert_rejected("domain", "cell-", "hyphen");
	assert_rejected("domain", "ok.-bad.ok", "hyphen");
	assert_rejected("domain", "ok.bad-", "hyphen");
	assert_rejected("domain", "-", "hyphen");
}

static void test_dots(void **state)
{
	assert_rejected("domain", ".cell", "empty label");
	assert_rejected("domain", "cell.", "empty label");
	assert_rejected("domain", "my..cell", "empty label");
	assert_rejected("domain", ".", "empty label");
}

static void test_characters(void **state)
{
	assert_rejected("domain", "my_cell", "found '_' at position 3");
	assert_rejected("domain", "my cell", "invalid character at position 3");
	assert_rejected("domain", "caf\xc3\xa9", "invalid character at position 4");
	assert_rejected("domain", "a/b", "found '/' at position 2");
	assert_rejected("domain", "tab\there", "invalid character at position 4");
}

static void test_valid_names(void **state)
{
	assert_valid("cell");
	assert_valid("MyCell");
	assert_valid("a");
	assert_valid("123");
	assert_valid("cell.123.example");
	assert_valid("0-9.x");
}

static void test_field_is_copied(void **state)
{
	/* The field name given is the one reported, whatever the rule. */
	assert_rejected("cell_name", "bad_name", "cell_name");
	assert_rejected("endpoint", "a..b", "endpoint");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_total_length),
		cmocka_unit_test(test_label_length),
		cmocka_unit_test(test_hyphens),
		cmocka_unit_test(test_dots),
		cmocka_unit_test(test_characters),
		cmocka_unit_test(test_valid_names),
		cmocka_unit_test(test_field_is_copied),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
