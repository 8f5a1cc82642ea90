/* The API's one error body: its exact serialisation with and without a
 * field, an empty field treated as none, and a message that is not valid
 * UTF-8 (it may quote bad input) still yielding a well-formed object. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "api/api_error.h"
#include "common/banned.h"

/* Serialises and frees `j`, asserting it equals `expect`. */
static void assert_json(json_t *j, const char *expect)
{
	assert_non_null(j);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_non_null(s);
	if (strcmp(s, expect) != 0) {
		char got[512];
		snprintf(got, sizeof(got), "%s", s);
		free(s);
		json_decref(j);
		fail_msg("got %s, expected %s", got, expect);
	}
	free(s);
	json_decref(j);
}

static void test_without_field(void **state)
{
	assert_json(api_error_json("not_found", "no such token", NULL),
		    "{\"error\":{\"code\":\"not_found\",\"message\":\"no such token\"}}");
	assert_json(api_error_json("not_found", "no such token", ""),
		    "{\"error\":{\"code\":\"not_found\",\"message\":\"no such token\"}}");
}

static void test_with_field(void **state)
{
	assert_json(api_error_json("invalid_field", "domain has an empty label", "domain"),
		    "{\"error\":{\"code\":\"invalid_field\",\"field\":\"domain\","
		    "\"message\":\"domain has an empty label\"}}");
}

static void test_escaping(void **state)
{
	assert_json(api_error_json("bad", "quote \" backslash \\ newline \n", "f"),
		    "{\"error\":{\"code\":\"bad\",\"field\":\"f\","
		    "\"message\":\"quote \\\" backslash \\\\ newline \\n\"}}");
	assert_json(api_error_json("bad", "caf\xc3\xa9", NULL),
		    "{\"error\":{\"code\":\"bad\",\"message\":\"caf\xc3\xa9\"}}");
}

static void test_null_message(void **state)
{
	assert_json(api_error_json("internal", NULL, NULL),
		    "{\"error\":{\"code\":\"internal\",\"message\":\"\"}}");
}

static void test_invalid_utf8(void **state)
{
	json_t *j = api_error_json("invalid_field", "name 'a\xff\xfe' is bad", "cell_name");
	assert_non_null(j);
	assert_true(json_is_object(j));
	json_t *err = json_object_get(j, "error");
	assert_true(json_is_object(err));
	assert_string_equal(json_string_value(json_object_get(err, "code")), "invalid_field");
	assert_string_equal(json_string_value(json_object_get(err, "field")), "cell_name");
	const char *msg = json_string_value(json_object_get(err, "message"));
	assert_non_null(msg);
	assert_string_equal(msg, "invalid input (the message could not be encoded)");

	/* What goes on the wire parses back. */
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_non_null(s);
	json_error_t je;
	json_t *back = json_loads(s, 0, &je);
	assert_non_null(back);
	assert_true(json_equal(back, j));
	json_decref(back);
	free(s);
	json_decref(j);

	/* A truncated multi-byte sequence too. */
	assert_json(api_error_json("bad", "caf\xc3", NULL),
		    "{\"error\":{\"code\":\"bad\","
		    "\"message\":\"invalid input (the message could not be encoded)\"}}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_without_field),
		cmocka_unit_test(test_with_field),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_null_message),
		cmocka_unit_test(test_invalid_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
