/* The router on small local tables: a literal segment beats a parameter
 * whatever the table order, parameters are extracted, unknown paths and
 * trailing slashes are 404, a known path with another method is 405 with
 * an Allow list, HEAD is served by GET, over-long parameters do not match.
 * router_check refuses ambiguous or malformed tables and passes the real
 * route table. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "api/router.h"
#include "api/routes.h"
#include "common/banned.h"

#define N(t) (sizeof(t) / sizeof((t)[0]))

static int dummy(struct daemon *d, struct http_request *req, struct http_response *res)
{
	return 0;
}

static const struct route param_first[] = {
	{ HTTP_GET, "/items/{id}", dummy, ROUTE_AUTH, 0, "one item" },
	{ HTTP_GET, "/items/new", dummy, ROUTE_AUTH, 0, "the form" },
};
static const struct route literal_first[] = {
	{ HTTP_GET, "/items/new", dummy, ROUTE_AUTH, 0, "the form" },
	{ HTTP_GET, "/items/{id}", dummy, ROUTE_AUTH, 0, "one item" },
};

/* Specificity is decided left to right. */
static const struct route deep_a[] = {
	{ HTTP_GET, "/a/{x}/c", dummy, ROUTE_AUTH, 0, "" },
	{ HTTP_GET, "/a/b/{y}", dummy, ROUTE_AUTH, 0, "" },
};
static const struct route deep_b[] = {
	{ HTTP_GET, "/a/b/{y}", dummy, ROUTE_AUTH, 0, "" },
	{ HTTP_GET, "/a/{x}/c", dummy, ROUTE_AUTH, 0, "" },
};

static const struct route items[] = {
	{ HTTP_GET, "/items", dummy, ROUTE_AUTH, 0, "" },
	{ HTTP_PUT, "/items", dummy, ROUTE_AUTH, 1024, "" },
	{ HTTP_GET, "/items/{id}", dummy, ROUTE_AUTH, 0, "" },
	{ HTTP_DELETE, "/items/{id}", dummy, ROUTE_AUTH, 0, "" },
	{ HTTP_GET, "/items/{id}/parts/{part}", dummy, ROUTE_AUTH, 0, "" },
	{ HTTP_POST, "/login", dummy, ROUTE_PUBLIC, 0, "" },
	{ HTTP_GET, "/", dummy, ROUTE_PUBLIC, 0, "" },
};

static enum router_result match(const struct route *t, size_t n, enum http_method m, const char *path,
				struct router_match *ret)
{
	memset(ret, 0, sizeof(*ret));
	return router_match(t, n, m, path, ret);
}

static void test_literal_beats_param_any_order(void **state)
{
	struct router_match m;
	assert_int_equal(match(param_first, 2, HTTP_GET, "/items/new", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route, &param_first[1]);
	assert_int_equal(m.n_params, 0);
	assert_int_equal(match(literal_first, 2, HTTP_GET, "/items/new", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route, &literal_first[0]);
	assert_int_equal(m.n_params, 0);

	assert_int_equal(match(param_first, 2, HTTP_GET, "/items/42", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route, &param_first[0]);
	assert_int_equal(m.n_params, 1);
	assert_string_equal(m.params[0], "42");
	assert_int_equal(match(literal_first, 2, HTTP_GET, "/items/42", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route, &literal_first[1]);
	assert_int_equal(m.n_params, 1);
	assert_string_equal(m.params[0], "42");

	/* "newer" is not "new". */
	assert_int_equal(match(literal_first, 2, HTTP_GET, "/items/newer", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route, &literal_first[1]);
	assert_string_equal(m.params[0], "newer");
}

static void test_left_to_right(void **state)
{
	struct router_match m;
	assert_int_equal(match(deep_a, 2, HTTP_GET, "/a/b/c", &m), ROUTER_FOUND);
	assert_string_equal(m.route->pattern, "/a/b/{y}");
	assert_string_equal(m.params[0], "c");
	assert_int_equal(match(deep_b, 2, HTTP_GET, "/a/b/c", &m), ROUTER_FOUND);
	assert_string_equal(m.route->pattern, "/a/b/{y}");
	assert_string_equal(m.params[0], "c");

	assert_int_equal(match(deep_a, 2, HTTP_GET, "/a/z/c", &m), ROUTER_FOUND);
	assert_string_equal(m.route->pattern, "/a/{x}/c");
	assert_string_equal(m.params[0], "z");
	assert_int_equal(match(deep_b, 2, HTTP_GET, "/a/z/c", &m), ROUTER_FOUND);
	assert_string_equal(m.route->pattern, "/a/{x}/c");
}

static void test_params(void **state)
{
	struct router_match m;
	assert_int_equal(match(items, N(items), HTTP_GET, "/items/7/parts/wheel-2", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route, &items[4]);
	assert_int_equal(m.n_params, 2);
	assert_string_equal(m.params[0], "7");
	assert_string_equal(m.params[1], "wheel-2");

	assert_int_equal(match(items, N(items), HTTP_GET, "/", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route, &items[6]);
	assert_int_equal(m.n_params, 0);
}

static void test_not_found(void **state)
{
	static const char *const paths[] = {
		"/nope", "/items/", "/items/7/", "/items//", "/items/7/parts", "/items/7/parts/",
		"/items/7/parts/a/b", "/ITEMS", "items", "", "//", "/login/", "/items/7/extra",
	};
	for (size_t i = 0; i < N(paths); i++) {
		struct router_match m;
		if (match(items, N(items), HTTP_GET, paths[i], &m) != ROUTER_NOT_FOUND)
			fail_msg("'%s' should be 404", paths[i]);
		if (match(items, N(items), HTTP_POST, paths[i], &m) != ROUTER_NOT_FOUND)
			fail_msg("POST '%s' should be 404", paths[i]);
	}
}

static void test_method_not_allowed(void **state)
{
	struct router_match m;
	assert_int_equal(match(items, N(items), HTTP_POST, "/items", &m), ROUTER_METHOD_NOT_ALLOWED);
	assert_string_equal(m.allow, "GET, PUT");
	assert_int_equal(match(items, N(items), HTTP_DELETE, "/items", &m), ROUTER_METHOD_NOT_ALLOWED);
	assert_string_equal(m.allow, "GET, PUT");
	assert_int_equal(match(items, N(items), HTTP_PUT, "/items/3", &m), ROUTER_METHOD_NOT_ALLOWED);
	assert_string_equal(m.allow, "GET, DELETE");
	assert_int_equal(match(items, N(items), HTTP_GET, "/login", &m), ROUTER_METHOD_NOT_ALLOWED);
	assert_string_equal(m.allow, "POST");
	assert_int_equal(match(items, N(items), HTTP_METHOD_OTHER, "/", &m), ROUTER_METHOD_NOT_ALLOWED);
	assert_string_equal(m.allow, "GET");
}

static void test_head(void **state)
{
	struct router_match m;
	assert_int_equal(match(items, N(items), HTTP_HEAD, "/items", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route, &items[0]);
	assert_int_equal(match(items, N(items), HTTP_HEAD, "/items/9", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route, &items[2]);
	assert_string_equal(m.params[0], "9");
	/* HEAD is not POST. */
	assert_int_equal(match(items, N(items), HTTP_HEAD, "/login", &m), ROUTER_METHOD_NOT_ALLOWED);
	assert_string_equal(m.allow, "POST");
}

static void test_param_length(void **state)
{
	char path[HTTP_PARAM_MAX + 16];
	struct router_match m;
	memcpy(path, "/items/", 7);

	/* HTTP_PARAM_MAX - 1 characters fit with their NUL. */
	memset(path + 7, 'x', HTTP_PARAM_MAX - 1);
	path[7 + HTTP_PARAM_MAX - 1] = '\0';
	assert_int_equal(match(items, N(items), HTTP_GET, path, &m), ROUTER_FOUND);
	assert_ptr_equal(m.route, &items[2]);
	assert_int_equal(strlen(m.params[0]), HTTP_PARAM_MAX - 1);

	memset(path + 7, 'x', HTTP_PARAM_MAX);
	path[7 + HTTP_PARAM_MAX] = '\0';
	assert_int_equal(match(items, N(items), HTTP_GET, path, &m), ROUTER_NOT_FOUND);
	assert_int_equal(match(items, N(items), HTTP_DELETE, path, &m), ROUTER_NOT_FOUND);
}

static void test_check_ambiguous(void **state)
{
	char err[256] = "";
	const struct route same_shape[] = {
		{ HTTP_GET, "/a/{x}", dummy, ROUTE_AUTH, 0, "" },
		{ HTTP_GET, "/a/{y}", dummy, ROUTE_AUTH, 0, "" },
	};
	assert_int_equal(router_check(same_shape, 2, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "/a/{x}"));
	assert_non_null(strstr(err, "/a/{y}"));

	const struct route dup[] = {
		{ HTTP_GET, "/b", dummy, ROUTE_AUTH, 0, "" },
		{ HTTP_PUT, "/b", dummy, ROUTE_AUTH, 0, "" },
		{ HTTP_PUT, "/b", dummy, ROUTE_AUTH, 0, "" },
	};
	err[0] = '\0';
	assert_int_equal(router_check(dup, 3, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "PUT"));

	const struct route different_methods[] = {
		{ HTTP_GET, "/a/{x}", dummy, ROUTE_AUTH, 0, "" },
		{ HTTP_DELETE, "/a/{y}", dummy, ROUTE_AUTH, 0, "" },
		{ HTTP_GET, "/a/{x}/b", dummy, ROUTE_AUTH, 0, "" },
		{ HTTP_GET, "/a/b", dummy, ROUTE_AUTH, 0, "" },
	};
	assert_int_equal(router_check(different_methods, 4, err, sizeof(err)), 0);
}

static void test_check_malformed(void **state)
{
	static const char *const bad[] = { "a", "", "/a/{x", "/a/{x}y", "/a/x{y}", "{x}" };
	for (size_t i = 0; i < N(bad); i++) {
		char err[256] = "";
		const struct route t[] = { { HTTP_GET, bad[i], dummy, ROUTE_AUTH, 0, "" } };
		if (router_check(t, 1, err, sizeof(err)) != -EINVAL)
			fail_msg("pattern '%s' accepted", bad[i]);
		assert_non_null(strstr(err, "malformed"));
	}
	char err[256] = "";
	const struct route no_handler[] = { { HTTP_GET, "/a", NULL, ROUTE_AUTH, 0, "" } };
	assert_int_equal(router_check(no_handler, 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no handler"));
}

static void test_check_local_tables(void **state)
{
	char err[256];
	assert_int_equal(router_check(param_first, N(param_first), err, sizeof(err)), 0);
	assert_int_equal(router_check(deep_a, N(deep_a), err, sizeof(err)), 0);
	assert_int_equal(router_check(items, N(items), err, sizeof(err)), 0);
}

/* Allow lists every method that would serve the path, whichever route
 * shape serves it. */
static void test_allow_spans_shapes(void **state)
{
	static const struct route mixed[] = {
		{ HTTP_GET, "/a/{x}", dummy, ROUTE_AUTH, 0, "" },
		{ HTTP_PUT, "/a/b", dummy, ROUTE_AUTH, 0, "" },
	};
	struct router_match m;
	assert_int_equal(match(mixed, N(mixed), HTTP_DELETE, "/a/b", &m), ROUTER_METHOD_NOT_ALLOWED);
	assert_string_equal(m.allow, "GET, PUT");
	assert_int_equal(match(mixed, N(mixed), HTTP_DELETE, "/a/c", &m), ROUTER_METHOD_NOT_ALLOWED);
	assert_string_equal(m.allow, "GET");
}

static void test_check_real_table(void **state)
{
	char err[256] = "";
	int r = router_check(routes, routes_len, err, sizeof(err));
	if (r != 0)
		fail_msg("route table: %s", err);
	assert_true(routes_len > 0);

	/* Every route is reachable at its own pattern (params filled in). */
	for (size_t i = 0; i < routes_len; i++) {
		char path[256];
		size_t o = 0;
		for (const char *p = routes[i].pattern; *p && o + 2 < sizeof(path);) {
			if (*p == '{') {
				path[o++] = '1';
				p = strchr(p, '}') + 1;
			} else {
				path[o++] = *p++;
			}
		}
		path[o] = '\0';
		struct router_match m;
		assert_int_equal(match(routes, routes_len, routes[i].method, path, &m), ROUTER_FOUND);
		assert_ptr_equal(m.route, &routes[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_beats_param_any_order),
		cmocka_unit_test(test_left_to_right),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_method_not_allowed),
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_param_length),
		cmocka_unit_test(test_check_ambiguous),
		cmocka_unit_test(test_check_malformed),
		cmocka_unit_test(test_check_local_tables),
		cmocka_unit_test(test_allow_spans_shapes),
		cmocka_unit_test(test_check_real_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
