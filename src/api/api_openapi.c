/* GET /api/openapi.json: the OpenAPI 3.1 document, embedded at build time. */
#include <jansson.h>

#include "api_openapi.h"
#include "common/incbin.h"
#include "handlers.h"
#include "common/banned.h"

INCBIN(openapi_json, "src/api/openapi.json");

const char *api_openapi_text(size_t *ret_len)
{
	*ret_len = INCBIN_LEN(openapi_json);
	return openapi_json;
}

HANDLER(api_openapi_get)
{
	size_t len;
	const char *text = api_openapi_text(&len);
	json_error_t err;
	json_t *doc = json_loadb(text, len, 0, &err);
	if (!doc)
		return http_error(res, 500, "internal", NULL, "embedded OpenAPI document is invalid");
	return http_reply(res, 200, doc);
}
