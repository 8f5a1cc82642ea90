/* The JSON form of the configuration: identity fields, the address plan
 * derived from them, and pending changes. */
#pragma once

#include <jansson.h>

#include "model/config.h"
#include "store/store_config.h"

json_t *api_config_doc(const struct cell_config *c, const struct pending_change *pending, int n_pending);
json_t *api_config_pending_json(const struct cell_config *c, const struct pending_change *pending,
				int n_pending);
