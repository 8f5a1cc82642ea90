/* Request dispatch. */
#include "dispatch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "common/log.h"
#include "daemon.h"
#include "json_limits.h"
#include "routes.h"
#include "ui_static.h"
#include "common/banned.h"

int dispatch_route(struct daemon *d, struct http_request *req, struct router_match *ret_match,
		   enum router_result *ret_found, size_t *ret_body_limit, struct http_response *res)
{
	enum router_result r = router_match(routes, routes_len, req->method, req->path, ret_match);
	*ret_found = r;
	if (r == ROUTER_NOT_FOUND && ui_static_wants(req)) {
		/* The web UI's files: the fallback of the TCP listeners, so
		 * that a path of the UI's own routing (/dns/records) loads it. */
		*ret_match = (struct router_match){ .route = &ui_static_route };
		*ret_found = ROUTER_FOUND;
		*ret_body_limit = 0;
		return 0;
	}
	if (r == ROUTER_NOT_FOUND) {
		http_error(res, 404, "not_found", NULL, "no such path: %s", req->path);
		return -1;
	}
	if (r == ROUTER_METHOD_NOT_ALLOWED) {
		http_response_header(res, "Allow", "%s", ret_match->allow);
		http_error(res, 405, "method_not_allowed", NULL, "%s is not allowed here; allowed: %s",
			   req->method_name, ret_match->allow);
		return -1;
	}
	*ret_body_limit = ret_match->route->body_limit;
	return 0;
}

void dispatch_too_large(const struct http_request *req, size_t limit, struct http_response *res)
{
	if (limit == 0)
		http_error(res, 413, "payload_too_large", NULL, "%s %s takes no request body",
			   req->method_name, req->path);
	else
		http_error(res, 413, "payload_too_large", NULL, "request body larger than %zu bytes", limit);
}

static bool is_json_content_type(const char *ct)
{
	if (!ct)
		return false;
	size_t n = strlen("application/json");
	return strncasecmp(ct, "application/json", n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int parse_body(struct http_request *req, struct http_response *res)
{
	if (req->body_len == 0)
		return 0;
	if (!is_json_content_type(http_request_header(req, "Content-Type"))) {
		http_error(res, 415, "unsupported_media_type", NULL, "the request body must be application/json");
		return -EINVAL;
	}
	if (!json_depth_within(req->body, req->body_len, JSON_MAX_DEPTH)) {
		http_error(res, 400, "invalid_json", NULL, "JSON nested deeper than %d levels", JSON_MAX_DEPTH);
		return -EINVAL;
	}
	json_error_t err;
	req->json = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!req->json) {
		http_error(res, 400, "invalid_json", NULL, "malformed JSON at line %d, column %d: %s",
			   err.line, err.column, err.text);
		return -EINVAL;
	}
	return 0;
}

void dispatch_request(struct daemon *d, struct http_request *req, const struct router_match *m,
		      struct http_response *res)
{
	const struct route *route = m->route;
	req->n_params = m->n_params;
	memcpy(req->params, m->params, sizeof(req->params));

	if (route->access != ROUTE_PUBLIC && auth_authenticate(d, req, res) < 0)
		goto out;
	if (route->access == ROUTE_AUTH && !req->auth.admin) {
		http_error(res, 403, "admin_required", NULL, "this needs the admin; '%s' may use only its own page",
			   req->auth.username);
		goto out;
	}
	if (parse_body(req, res) < 0)
		goto out;
	if (route->handler(d, req, res) < 0 && res->status == 0 && !res->deferred)
		http_error(res, 500, "internal", NULL, "internal error");
	if (res->deferred) {
		log_debug("%s %s from %s: answer deferred", req->method_name, req->path, req->peer);
		return;
	}
	if (res->status == 0)
		http_error(res, 500, "internal", NULL, "the handler gave no answer");
out:
	if (res->status >= 500)
		log_warn("%s %s from %s: %u", req->method_name, req->path, req->peer, res->status);
	else
		log_debug("%s %s from %s: %u", req->method_name, req->path, req->peer, res->status);
}
