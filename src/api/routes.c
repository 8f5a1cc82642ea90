/* The route table. Order does not matter (see router.h). */
#include "routes.h"

#include "handlers.h"
#include "common/banned.h"

#define KIB 1024

const struct route routes[] = {
	{ HTTP_GET, "/health", api_health_get, ROUTE_PUBLIC, 0, "Liveness and version" },
	{ HTTP_GET, "/api/openapi.json", api_openapi_get, ROUTE_AUTH, 0, "This API's OpenAPI document" },

	{ HTTP_GET, "/api/config", api_config_get, ROUTE_AUTH, 0, "Cell identity and address plan" },
	{ HTTP_PUT, "/api/config", api_config_put, ROUTE_AUTH, 4 * KIB, "Change identity fields" },
	{ HTTP_GET, "/api/config/pending", api_config_pending_get, ROUTE_AUTH, 0, "Changes waiting for apply" },
	{ HTTP_POST, "/api/config/apply", api_config_apply, ROUTE_AUTH, 0, "Apply pending changes" },

	{ HTTP_POST, "/api/auth/login", api_auth_login, ROUTE_PUBLIC, 2 * KIB, "Start a browser session" },
	{ HTTP_POST, "/api/auth/logout", api_auth_logout, ROUTE_AUTH, 0, "End the browser session" },
	{ HTTP_GET, "/api/auth/session", api_auth_session_get, ROUTE_AUTH, 0, "Who is logged in" },
	{ HTTP_POST, "/api/auth/password", api_auth_password, ROUTE_AUTH, 2 * KIB, "Change the admin password" },

	{ HTTP_POST, "/api/auth/tokens", api_tokens_create, ROUTE_AUTH, 1 * KIB, "Create an API token" },
	{ HTTP_GET, "/api/auth/tokens", api_tokens_list, ROUTE_AUTH, 0, "List API tokens" },
	{ HTTP_DELETE, "/api/auth/tokens/{id}", api_tokens_delete, ROUTE_AUTH, 0, "Revoke an API token" },
};
const size_t routes_len = sizeof(routes) / sizeof(routes[0]);
