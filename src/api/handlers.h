/* Every route handler, one group per api_<resource>.c file. */
#pragma once

#include "http.h"

struct daemon;

#define HANDLER(name) int name(struct daemon *d, struct http_request *req, struct http_response *res)

HANDLER(api_health_get);
HANDLER(api_openapi_get);

HANDLER(api_config_get);
HANDLER(api_config_put);
HANDLER(api_config_pending_get);
HANDLER(api_config_apply);

HANDLER(api_auth_login);
HANDLER(api_auth_logout);
HANDLER(api_auth_session_get);
HANDLER(api_auth_password);

HANDLER(api_tokens_create);
HANDLER(api_tokens_list);
HANDLER(api_tokens_delete);
