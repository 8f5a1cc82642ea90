/* The OpenAPI document served at /api/openapi.json must describe exactly
 * the route table: every route has an operation with the same method and
 * path, every operation has a route, and an operation declares security
 * iff its route requires authentication (the admin's, or anyone's).
 * `make build` runs this test, so
 * a route missing from the document fails the build. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/api_openapi.h"
#include "api/routes.h"
#include "common/banned.h"

static json_t *load_doc(void)
{
	size_t len;
	const char *text = api_openapi_text(&len);
	json_error_t err;
	json_t *doc = json_loadb(text, len, 0, &err);
	if (!doc)
		fail_msg("openapi.json does not parse: line %d: %s", err.line, err.text);
	return doc;
}

static void lower(const char *in, char *out, size_t outlen)
{
	size_t i = 0;
	for (; in[i] && i + 1 < outlen; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[i] = '\0';
}

static void test_every_route_is_documented(void **state)
{
	json_t *doc = load_doc();
	json_t *paths = json_object_get(doc, "paths");
	assert_non_null(paths);
	int missing = 0;
	for (size_t i = 0; i < routes_len; i++) {
		char method[16];
		lower(http_method_name(routes[i].method), method, sizeof(method));
		json_t *opn = json_object_get(json_object_get(paths, routes[i].pattern), method);
		if (!opn) {
			fprintf(stderr, "route %s %s is missing from src/api/openapi.json\n",
				http_method_name(routes[i].method), routes[i].pattern);
			missing++;
			continue;
		}
		bool secured = json_object_get(opn, "security") != NULL;
		if (secured != (routes[i].access != ROUTE_PUBLIC)) {
			fprintf(stderr, "route %s %s: security in the document does not match the table\n",
				http_method_name(routes[i].method), routes[i].pattern);
			missing++;
		}
	}
	json_decref(doc);
	assert_int_equal(missing, 0);
}

static void test_every_operation_has_a_route(void **state)
{
	json_t *doc = load_doc();
	const char *path, *method;
	json_t *item, *opn;
	int stale = 0;
	json_object_foreach(json_object_get(doc, "paths"), path, item) {
		json_object_foreach(item, method, opn) {
			bool found = false;
			for (size_t i = 0; i < routes_len && !found; i++) {
				char m[16];
				lower(http_method_name(routes[i].method), m, sizeof(m));
				found = strcmp(routes[i].pattern, path) == 0 && strcmp(m, method) == 0;
			}
			if (!found) {
				fprintf(stderr, "openapi.json documents %s %s, which no route serves\n", method, path);
				stale++;
			}
		}
	}
	json_decref(doc);
	assert_int_equal(stale, 0);
}

static void test_document_is_openapi_3_1(void **state)
{
	json_t *doc = load_doc();
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_is_documented),
		cmocka_unit_test(test_every_operation_has_a_route),
		cmocka_unit_test(test_document_is_openapi_3_1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
