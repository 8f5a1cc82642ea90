/* Typed access to JSON request bodies. */
#include "api_body.h"

#include <errno.h>
#include <string.h>

#include "common/banned.h"

int api_body_object(struct http_request *req, struct http_response *res, const char *const *allowed)
{
	if (!req->json || !json_is_object(req->json)) {
		http_error(res, 400, "invalid_body", NULL, "the request body must be a JSON object");
		return -EINVAL;
	}
	const char *key;
	json_t *value;
	json_object_foreach(req->json, key, value) {
		bool known = false;
		for (const char *const *a = allowed; *a; a++)
			known = known || strcmp(*a, key) == 0;
		if (!known) {
			http_error(res, 400, "unknown_field", key, "unknown field '%s'", key);
			return -EINVAL;
		}
	}
	return 0;
}

int api_body_string(struct http_request *req, struct http_response *res, const char *key,
		    size_t max_len, bool required, const char **ret)
{
	json_t *v = json_object_get(req->json, key);
	*ret = NULL;
	if (!v) {
		if (!required)
			return 0;
		http_error(res, 400, "missing_field", key, "%s is required", key);
		return -EINVAL;
	}
	if (!json_is_string(v)) {
		http_error(res, 400, "invalid_field", key, "%s must be a string", key);
		return -EINVAL;
	}
	size_t len = json_string_length(v);
	if (len == 0 || len > max_len) {
		http_error(res, 400, "invalid_field", key, "%s must be 1 to %zu characters long", key, max_len);
		return -EINVAL;
	}
	if (memchr(json_string_value(v), '\0', len)) {
		http_error(res, 400, "invalid_field", key, "%s must not contain NUL characters", key);
		return -EINVAL;
	}
	*ret = json_string_value(v);
	return 0;
}
