/* Request routing from one table. A pattern is a path whose segments are
 * literals or `{name}` parameters. Matching never depends on table order:
 * among the routes that match a path, the most specific wins (a literal
 * segment beats a parameter, compared left to right), and the table may
 * not hold two routes of the same method and shape (router_check). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "http.h"

struct daemon;

typedef int (*route_handler)(struct daemon *d, struct http_request *req, struct http_response *res);

enum route_access {
	ROUTE_PUBLIC, /* no authentication */
	ROUTE_AUTH,   /* the admin: its session, a bearer token or root on the control socket */
	ROUTE_SELF,   /* anyone authenticated, a cell account's session too: its own things */
};

struct route {
	enum http_method method;
	const char *pattern;
	route_handler handler;
	enum route_access access;
	size_t body_limit; /* bytes; 0 = no body accepted */
	const char *summary;
};

enum router_result {
	ROUTER_FOUND,
	ROUTER_NOT_FOUND,
	ROUTER_METHOD_NOT_ALLOWED,
};

struct router_match {
	const struct route *route;
	unsigned n_params;
	char params[HTTP_MAX_PARAMS][HTTP_PARAM_MAX];
	char allow[96]; /* for 405: "GET, PUT" */
};

enum router_result router_match(const struct route *table, size_t n, enum http_method method,
				const char *path, struct router_match *ret);

/* 0 if the table is well-formed; else -EINVAL and a description of the
 * first problem (duplicate shape, bad pattern) in `err`. */
int router_check(const struct route *table, size_t n, char *err, size_t errlen);
