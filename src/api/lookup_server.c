/* The lookup server (see lookup_server.h). */
#include "lookup_server.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "common/loop.h"
#include "daemon.h"
#include "priv/priv.h"
#include "common/banned.h"

/* A daemon opens one per process that asks (postfix's smtpd, cleanup…;
 * dovecot's auth opens one per lookup). */
#define LOOKUP_CONNECTIONS 64
#define LOOKUP_REQUEST_BUF 2048
#define LOOKUP_REPLY_MAX 4096

struct lookup_conn {
	struct lookup_server *srv;
	int fd;
	struct loop_source *source;
	size_t len;
	char in[LOOKUP_REQUEST_BUF];
};

struct lookup_server {
	struct daemon *d;
	const struct lookup_server_ops *ops;
	int fd;
	struct loop_source *source;
	struct lookup_conn *conns[LOOKUP_CONNECTIONS];
};

static void conn_close(struct lookup_conn *c)
{
	for (size_t i = 0; i < LOOKUP_CONNECTIONS; i++)
		if (c->srv->conns[i] == c)
			c->srv->conns[i] = NULL;
	loop_remove(c->srv->d->loop, c->source);
	close(c->fd);
	free(c);
}

/* Answers every whole request in the buffer; false: close the
 * connection (malformed, or a reply that cannot be sent now). */
static bool conn_answer(struct lookup_conn *c)
{
	const struct lookup_server_ops *ops = c->srv->ops;
	size_t off = 0;
	bool ok = true;
	while (ok && off < c->len) {
		const char *req;
		size_t req_len;
		ssize_t used = ops->parse(c->in + off, c->len - off, ops->request_max, &req, &req_len);
		if (used == -EAGAIN)
			break;
		if (used < 0)
			return false;
		off += (size_t)used;
		struct buf reply;
		buf_init(&reply, LOOKUP_REPLY_MAX);
		ok = ops->answer(c->srv->d, req, req_len, &reply) == 0 &&
		     (reply.len == 0 ||
		      send(c->fd, reply.data, reply.len, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)reply.len);
		buf_free(&reply);
	}
	memmove(c->in, c->in + off, c->len - off);
	c->len -= off;
	return ok;
}

static void on_conn(struct loop *l, int fd, uint32_t events, void *data)
{
	struct lookup_conn *c = data;
	ssize_t n = recv(fd, c->in + c->len, sizeof(c->in) - c->len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->len += (size_t)n;
	if (!conn_answer(c) || c->len == sizeof(c->in))
		conn_close(c);
}

static void on_accept(struct loop *l, int fd, uint32_t events, void *data)
{
	struct lookup_server *srv = data;
	int cfd;
	while ((cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		size_t slot = 0;
		while (slot < LOOKUP_CONNECTIONS && srv->conns[slot])
			slot++;
		struct lookup_conn *c = slot < LOOKUP_CONNECTIONS ? calloc(1, sizeof(*c)) : NULL;
		if (!c) {
			log_warn("%s: too many connections; refusing one", srv->ops->name);
			close(cfd);
			continue;
		}
		*c = (struct lookup_conn){ .srv = srv, .fd = cfd };
		if (loop_add_fd(srv->d->loop, cfd, EPOLLIN, on_conn, c, &c->source) < 0) {
			close(cfd);
			free(c);
			continue;
		}
		srv->conns[slot] = c;
	}
}

int lookup_server_open(struct daemon *d, const struct lookup_server_ops *ops, const char *path, const char *group,
		       struct lookup_server **ret)
{
	struct lookup_server *srv = calloc(1, sizeof(*srv));
	if (!srv)
		return -ENOMEM;
	*srv = (struct lookup_server){ .d = d, .ops = ops, .fd = -1 };
	int r = ops->request_max < LOOKUP_REQUEST_BUF ? priv_group_socket_open(path, group, &srv->fd) : -EINVAL;
	if (r == 0)
		r = loop_add_fd(d->loop, srv->fd, EPOLLIN, on_accept, srv, &srv->source);
	if (r < 0) {
		lookup_server_free(srv);
		return r;
	}
	*ret = srv;
	return 0;
}

void lookup_server_free(struct lookup_server *srv)
{
	if (!srv)
		return;
	for (size_t i = 0; i < LOOKUP_CONNECTIONS; i++)
		if (srv->conns[i])
			conn_close(srv->conns[i]);
	loop_remove(srv->d->loop, srv->source);
	if (srv->fd >= 0)
		close(srv->fd);
	free(srv);
}
