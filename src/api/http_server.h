/* The HTTP transport: libmicrohttpd in external epoll mode, driven by the
 * daemon's loop (no MHD thread). One server per listening socket; the
 * control socket's server marks its requests `local`. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct daemon;
struct http_server;

/* Takes ownership of `listen_fd` (already bound and listening). */
int http_server_start(struct daemon *d, int listen_fd, bool local, struct http_server **ret);
/* Requests from `addr` (host order; the cell's proxy) are taken to be on
 * behalf of the client it names in X-Forwarded-For, over TLS when
 * X-Forwarded-Proto says https. 0 trusts no one. */
void http_server_trust_proxy(struct http_server *s, uint32_t addr);

/* Stops accepting; connections in progress go on. */
void http_server_quiesce(struct http_server *s);
unsigned http_server_connections(struct http_server *s);
void http_server_free(struct http_server *s);
