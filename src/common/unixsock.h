/* Connecting to a local daemon's unix socket (control and admin sockets). */
#pragma once

/* A non-blocking, close-on-exec connection to `path`. On a unix socket
 * connect completes at once or fails (-EAGAIN: the backlog is full,
 * -ECONNREFUSED/-ENOENT: nobody listens, -ENAMETOOLONG: path too long). */
int unixsock_connect(const char *path, int *ret_fd);
