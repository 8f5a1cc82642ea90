/* The route table: every endpoint of the API, its handler, who may call it
 * and how large a body it takes. The OpenAPI document is checked against
 * this table by tests/unit/test_openapi.c. */
#pragma once

#include <stddef.h>

#include "router.h"

extern const struct route routes[];
extern const size_t routes_len;
