/* The one error format of the API:
 *   {"error": {"code": "...", "message": "...", "field": "..."}}
 * `field` is present only when the error is about one input field. */
#pragma once

#include <jansson.h>

json_t *api_error_json(const char *code, const char *message, const char *field);
