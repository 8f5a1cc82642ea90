/* The path of every request: route → limits → authentication → content
 * type → JSON parse → handler. Every refusal uses the one error format. */
#pragma once

#include <stddef.h>

#include "http.h"
#include "router.h"

struct daemon;

/* At the first sight of a request (headers only): finds its route (or,
 * for what is the web UI's, ui_static_route) and body limit. Returns -1 with `res` set when it can be answered at once
 * (404, 405). */
int dispatch_route(struct daemon *d, struct http_request *req, struct router_match *ret_match,
		   enum router_result *ret_found, size_t *ret_body_limit, struct http_response *res);
void dispatch_too_large(const struct http_request *req, size_t limit, struct http_response *res);
/* With the whole body: everything else. */
void dispatch_request(struct daemon *d, struct http_request *req, const struct router_match *m,
		      struct http_response *res);
