/* libFuzzer harness: the parts of a request a client controls before a
 * handler sees it — the path (router_match on the real route table), the
 * Cookie header (auth_cookie_value) and the body (json_depth_within, then
 * jansson as dispatch.c calls it). */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "api/json_limits.h"
#include "api/router.h"
#include "api/routes.h"
#include "common/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	struct router_match m;
	for (int method = HTTP_GET; method <= HTTP_METHOD_OTHER; method++) {
		enum router_result r = router_match(routes, routes_len, (enum http_method)method, text, &m);
		if (r == ROUTER_FOUND && m.n_params > HTTP_MAX_PARAMS)
			abort();
	}

	char cookie[128];
	(void)auth_cookie_value(text, SESSION_COOKIE, cookie, sizeof(cookie));

	if (json_depth_within(text, size, JSON_MAX_DEPTH)) {
		json_error_t err;
		json_t *j = json_loadb(text, size, JSON_REJECT_DUPLICATES, &err);
		json_decref(j);
	}
	free(text);
	return 0;
}
