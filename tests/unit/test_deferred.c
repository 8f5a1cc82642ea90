/* Deferred answers: the answer the work fills is the one the transport
 * takes; past the limit and while shutting down a 503 with Retry-After
 * comes at once; once the connection is gone the continuation gets no
 * request and writes into a scratch answer, and whichever side lets go
 * last frees it (ASan checks there is no use after free or leak);
 * cancellation answers 503 and the work's later answer is dropped. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "api/deferred.h"
#include "api/http.h"
#include "common/banned.h"

static const char *header(const struct http_response *res, const char *name)
{
	for (unsigned i = 0; i < res->n_headers; i++)
		if (strcmp(res->headers[i].name, name) == 0)
			return res->headers[i].value;
	return NULL;
}

static void test_answer_then_take(void **state)
{
	struct deferred_set *set;
	assert_int_equal(deferred_set_new(2, &set), 0);
	struct http_request req = { .path = "/x" };
	struct http_response res = { 0 };
	struct deferred *df;
	assert_int_equal(deferred_begin(set, &req, &res, &df), 0);
	assert_ptr_equal(res.deferred, df);
	assert_int_equal(deferred_outstanding(set), 1);
	assert_false(deferred_ready(df));

	assert_ptr_equal(deferred_request(df), &req);
	http_reply(deferred_response(df), 200, json_pack("{s:i}", "n", 7));
	deferred_answer(df);
	assert_true(deferred_ready(df));

	struct http_response out = { 0 };
	deferred_take(df, &out);
	assert_int_equal(out.status, 200);
	assert_int_equal(json_integer_value(json_object_get(out.body, "n")), 7);
	json_decref(out.body);
	assert_int_equal(deferred_outstanding(set), 0);
	deferred_set_free(set);
}

static void test_limit_and_drop(void **state)
{
	struct deferred_set *set;
	assert_int_equal(deferred_set_new(1, &set), 0);
	struct http_request req = { 0 };
	struct http_response res = { 0 }, res2 = { 0 };
	struct deferred *df, *df2 = NULL;
	assert_int_equal(deferred_begin(set, &req, &res, &df), 0);
	assert_int_equal(deferred_begin(set, &req, &res2, &df2), -EBUSY);
	assert_null(df2);
	assert_null(res2.deferred);
	assert_int_equal(res2.status, 503);
	assert_string_equal(header(&res2, "Retry-After"), "1");
	json_decref(res2.body);
	/* The work could not start: the handler answers itself. */
	deferred_drop(df, &res);
	assert_null(res.deferred);
	assert_int_equal(deferred_outstanding(set), 0);
	deferred_set_free(set);
}

static void test_connection_gone_first(void **state)
{
	struct deferred_set *set;
	assert_int_equal(deferred_set_new(4, &set), 0);
	struct http_request req = { 0 };
	struct http_response res = { 0 };
	struct deferred *df;
	assert_int_equal(deferred_begin(set, &req, &res, &df), 0);
	deferred_release(df); /* the client left */
	assert_null(deferred_request(df));
	struct http_response *scratch = deferred_response(df);
	assert_non_null(scratch);
	http_error(scratch, 401, "x", NULL, "nobody reads this");
	assert_int_equal(deferred_outstanding(set), 1);
	deferred_answer(df); /* frees it */
	assert_int_equal(deferred_outstanding(set), 0);
	deferred_set_free(set);
}

static void test_cancel_all(void **state)
{
	struct deferred_set *set;
	assert_int_equal(deferred_set_new(4, &set), 0);
	struct http_request req = { 0 };
	struct http_response res = { 0 };
	struct deferred *df;
	assert_int_equal(deferred_begin(set, &req, &res, &df), 0);
	deferred_cancel_all(set);
	assert_true(deferred_ready(df));
	assert_null(deferred_request(df));
	/* The work's answer goes nowhere. */
	http_reply(deferred_response(df), 200, json_object());
	deferred_answer(df);
	struct http_response out = { 0 };
	deferred_take(df, &out);
	assert_int_equal(out.status, 503);
	json_decref(out.body);
	/* No new ones while shutting down. */
	struct http_response res2 = { 0 };
	struct deferred *df2 = NULL;
	assert_int_equal(deferred_begin(set, &req, &res2, &df2), -EBUSY);
	assert_int_equal(res2.status, 503);
	json_decref(res2.body);
	deferred_set_free(set);
}

static void test_set_freed_before_the_work(void **state)
{
	struct deferred_set *set;
	assert_int_equal(deferred_set_new(4, &set), 0);
	struct http_request req = { 0 };
	struct http_response res = { 0 };
	struct deferred *df;
	assert_int_equal(deferred_begin(set, &req, &res, &df), 0);
	deferred_set_free(set); /* picd stopping: the work ends later */
	assert_null(deferred_request(df));
	deferred_answer(df);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_then_take),
		cmocka_unit_test(test_limit_and_drop),
		cmocka_unit_test(test_connection_gone_first),
		cmocka_unit_test(test_cancel_all),
		cmocka_unit_test(test_set_freed_before_the_work),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
