/* The embedded OpenAPI document's text. */
#pragma once

#include <stddef.h>

const char *api_openapi_text(size_t *ret_len);
