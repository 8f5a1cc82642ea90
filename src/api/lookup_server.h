/* A unix-socket server in the event loop for daemons that ask picd
 * small questions as they work: postfix's socketmap (mail_maps.h) and
 * dovecot's dict protocol (account_dict.h). The caller gives the framing
 * and the answers; the server accepts, buffers, and replies in order.
 * Answers come from the store as it is at that moment, so a change is
 * seen by the next question, with nothing to reload. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "common/buf.h"

struct daemon;
struct lookup_server;

struct lookup_server_ops {
	const char *name;   /* for the log: "mail maps" */
	size_t request_max; /* longest request; more closes the connection */
	/* One request at the start of `in`: its length taken (the request
	 * at *req, *req_len bytes), -EAGAIN if incomplete, other -errno if
	 * malformed (the connection is closed). */
	ssize_t (*parse)(const char *in, size_t len, size_t max, const char **req, size_t *req_len);
	/* Appends the framed reply (nothing for a request that has none);
	 * <0 closes the connection. */
	int (*answer)(struct daemon *d, const char *req, size_t len, struct buf *out);
};

/* Listens at `path` (a stale socket is replaced), 0660 with group
 * `group`: the daemon's unprivileged processes ask. */
int lookup_server_open(struct daemon *d, const struct lookup_server_ops *ops, const char *path, const char *group,
		       struct lookup_server **ret);
void lookup_server_free(struct lookup_server *srv);
