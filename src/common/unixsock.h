/* Talking to a local daemon's unix socket (control and admin sockets):
 * connecting, and one request/answer exchange under one deadline. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* A non-blocking, close-on-exec connection to `path`. On a unix socket
 * connect completes at once or fails (-EAGAIN: the backlog is full,
 * -ECONNREFUSED/-ENOENT: nobody listens, -ENAMETOOLONG: path too long). */
int unixsock_connect(const char *path, int *ret_fd);

/* How an exchange ended, besides its return value. */
struct unixsock_exchange_end {
	bool sent_all; /* the daemon took the whole request */
	bool closed;   /* it closed the connection (EOF or a reset) ... */
	bool reset;    /* ... by a reset: it closed with bytes of ours unread */
};

/* Writes req[0..len) to the non-blocking `fd` while handing every byte
 * that comes back to `feed` (0: more wanted; 1: the answer is complete;
 * -errno: stop with it), all within `timeout_ms`. A daemon that stops
 * reading is left alone (its answer may say why). 0 when `feed` said
 * complete or the daemon closed the connection (*end says which);
 * -ETIMEDOUT; `feed`'s error; or -errno from the socket calls. The read
 * buffer is wiped (answers may carry keys). */
int unixsock_exchange(int fd, const void *req, size_t len, unsigned timeout_ms,
		      int (*feed)(const char *data, size_t n, void *cls), void *cls, struct unixsock_exchange_end *end);
