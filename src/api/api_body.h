/* Reading a request's JSON object body: the body must be an object, keys
 * come from an allow-list, values have the type and length asked for.
 * Each failure sets a 400 naming the field and returns -EINVAL. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "http.h"

/* Requires an object body whose keys are all in `allowed` (NULL-ended). */
int api_body_object(struct http_request *req, struct http_response *res, const char *const *allowed);

/* A string member of 1..max_len bytes; *ret points into req->json. With
 * `required` false, an absent member leaves *ret NULL. */
int api_body_string(struct http_request *req, struct http_response *res, const char *key,
		    size_t max_len, bool required, const char **ret);
