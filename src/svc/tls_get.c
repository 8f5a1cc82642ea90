/* One HTTPS GET under a deadline (see tls_get.h). */
#include "tls_get.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "common/cleanup.h"
#include "common/banned.h"

DEFINE_PTR_CLEANUP(SSL_CTX, SSL_CTX_free)
DEFINE_PTR_CLEANUP(SSL, SSL_free)

static int fail(char *err, size_t errlen, int r, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errlen, int r, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		(void)vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	ERR_clear_error();
	return r;
}

/* The socket waits at most `timeout_ms` in any one call (connect, send,
 * receive); the caller's deadline is that bound per step. */
static int connect_to(uint32_t addr, uint16_t port, unsigned timeout_ms, int *ret_fd)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(addr) };
	/* TCP_NODELAY: the request follows the handshake's last flight at
	 * once. With Nagle it waited for that flight's ACK, which the server
	 * delays by 40 ms (every proxy change's check took ~48 ms). */
	int one = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int r = errno == EINPROGRESS || errno == EAGAIN ? -ETIMEDOUT : -errno;
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

static SSL_CTX *context_for(const char *ca_file)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* caddy may close after the answer without a close_notify. */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* "HTTP/1.1 200 ...\r\n...\r\n\r\nbody": the status and where the body starts. */
static int parse_response(const struct buf *resp, int *ret_status, size_t *ret_body)
{
	if (!resp->data || resp->len < 12 || strncmp(resp->data, "HTTP/1.", 7) != 0 || resp->data[8] != ' ')
		return -EPROTO;
	char *end;
	long status = strtol(resp->data + 9, &end, 10);
	const char *body = strstr(resp->data, "\r\n\r\n");
	if (end != resp->data + 12 || status < 100 || status > 599 || !body)
		return -EPROTO;
	*ret_status = (int)status;
	*ret_body = (size_t)(body + 4 - resp->data);
	return 0;
}

int tls_get(uint32_t addr, uint16_t port, const char *host, const char *path, const char *ca_file,
	    unsigned timeout_ms, int *ret_status, struct buf *ret_body, X509 **ret_peer, char *err, size_t errlen)
{
	char req[1024];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host);
	if (n < 0 || (size_t)n >= sizeof(req) || strpbrk(path, "\r\n ") || strpbrk(host, "\r\n "))
		return fail(err, errlen, -EINVAL, "a path or host that cannot go into a request");
	_cleanup_(SSL_CTX_freep) SSL_CTX *ctx = context_for(ca_file);
	if (!ctx)
		return fail(err, errlen, -EPROTO, "cannot load the trusted root %s", ca_file);
	_cleanup_(SSL_freep) SSL *ssl = SSL_new(ctx);
	if (!ssl || SSL_set_tlsext_host_name(ssl, host) != 1 || SSL_set1_host(ssl, host) != 1)
		return fail(err, errlen, -ENOMEM, "cannot set up TLS");
	_cleanup_close_ int fd = -1;
	int r = connect_to(addr, port, timeout_ms, &fd);
	if (r < 0)
		return fail(err, errlen, r, "connect: %s", strerror(-r));
	SSL_set_fd(ssl, fd);
	if (SSL_connect(ssl) != 1) {
		long v = SSL_get_verify_result(ssl);
		return v != X509_V_OK ? fail(err, errlen, -EPROTO, "certificate refused: %s", X509_verify_cert_error_string(v))
				      : fail(err, errlen, -EPROTO, "TLS handshake failed");
	}
	if (SSL_write(ssl, req, n) != n)
		return fail(err, errlen, -EIO, "TLS write failed");
	struct buf resp;
	buf_init(&resp, TLS_GET_RESPONSE_MAX);
	char chunk[4096];
	int got;
	while ((got = SSL_read(ssl, chunk, sizeof(chunk))) > 0)
		if ((r = buf_append(&resp, chunk, (size_t)got)) < 0) {
			buf_free(&resp);
			return fail(err, errlen, -EMSGSIZE, "an answer over %d bytes", TLS_GET_RESPONSE_MAX);
		}
	if (got < 0 && SSL_get_error(ssl, got) != SSL_ERROR_ZERO_RETURN) {
		bool timeout = errno == EAGAIN || errno == EWOULDBLOCK;
		buf_free(&resp);
		return timeout ? fail(err, errlen, -ETIMEDOUT, "no whole answer in time")
			       : fail(err, errlen, -EIO, "reading the answer failed");
	}
	size_t body = 0;
	r = parse_response(&resp, ret_status, &body);
	if (r == 0)
		r = buf_append(ret_body, resp.data + body, resp.len - body);
	buf_free(&resp);
	if (r < 0)
		return fail(err, errlen, r == -EPROTO ? r : -EMSGSIZE, "%s", r == -EPROTO ? "not an HTTP answer" : "answer too large");
	if (ret_peer)
		*ret_peer = SSL_get1_peer_certificate(ssl);
	return 0;
}
