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

HANDLER(api_services_list);
HANDLER(api_services_restart);
HANDLER(api_services_stop);
HANDLER(api_services_start);
HANDLER(api_services_logs);

HANDLER(api_ntp_config_get);
HANDLER(api_ntp_config_put);
HANDLER(api_ntp_status);

HANDLER(api_events);
HANDLER(api_cell_stop);

struct svc;
json_t *api_service_json(struct daemon *d, const struct svc *s);
