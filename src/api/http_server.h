/* The HTTP transport: libmicrohttpd in external epoll mode, driven by the
 * daemon's loop (no MHD thread). One server per listening socket; the
 * control socket's server marks its requests `local`. */
#pragma once

#include <stdbool.h>

struct daemon;
struct http_server;

/* Takes ownership of `listen_fd` (already bound and listening). */
int http_server_start(struct daemon *d, int listen_fd, bool local, struct http_server **ret);
/* Stops accepting; connections in progress go on. */
void http_server_quiesce(struct http_server *s);
unsigned http_server_connections(struct http_server *s);
void http_server_free(struct http_server *s);
