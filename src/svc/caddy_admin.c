/* caddy's admin API over its unix socket (see caddy_admin.h): the request
 * is written whole while the response is read to EOF, both under one
 * deadline; then the status line, the headers we need (Content-Length,
 * Transfer-Encoding) and the body are parsed from what came back. */
#include "caddy_admin.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/unixsock.h"
#include "common/banned.h"

#define HEADER_MAX 8192 /* the response's status line and headers */

static inline void buf_freep(struct buf *b) { buf_free(b); }

static int feed_buf(const char *data, size_t n, void *cls)
{
	int r = buf_append(cls, data, n);
	return r == -E2BIG ? -EMSGSIZE : r;
}

/* Sends `req` while reading everything caddy answers until it closes the
 * connection (it does after a "Connection: close" request). */
static int exchange(int fd, const char *req, size_t reqlen, unsigned timeout_ms, struct buf *resp)
{
	struct unixsock_exchange_end end;
	int r = unixsock_exchange(fd, req, reqlen, timeout_ms, feed_buf, resp, &end);
	return r < 0 ? r : resp->len > 0 ? 0 : -EPROTO;
}

/* A header's value in the block [p, end) of "Name: value\r\n" lines,
 * trimmed; NULL if absent. */
static const char *header_value(const char *p, const char *end, const char *name, size_t *ret_len)
{
	size_t nlen = strlen(name);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > nlen && strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			const char *v = p + nlen + 1, *ve = eol;
			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			*ret_len = (size_t)(ve - v);
			return v;
		}
		p = eol + 1;
	}
	return NULL;
}

/* A number of `base` in [p, p + len) with nothing else: -EPROTO if not. */
static int parse_size(const char *p, size_t len, int base, size_t *ret)
{
	char tmp[24];
	if (len == 0 || len >= sizeof(tmp))
		return -EPROTO;
	memcpy(tmp, p, len);
	tmp[len] = '\0';
	if (!strchr(base == 16 ? "0123456789abcdefABCDEF" : "0123456789", tmp[0]))
		return -EPROTO;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(tmp, &end, base);
	if (errno || *end || v > CADDY_ADMIN_RESPONSE_MAX)
		return -EPROTO;
	*ret = (size_t)v;
	return 0;
}

/* Chunked transfer coding (RFC 9112 §7.1), no trailers expected but
 * skipped if present. */
static int dechunk(const char *p, const char *end, struct buf *out)
{
	for (;;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			return -EPROTO;
		size_t len = strcspn(p, ";\r\n"); /* the size, before any extension */
		size_t size;
		if (p + len > eol || parse_size(p, len, 16, &size) < 0)
			return -EPROTO;
		p = eol + 1;
		if (size == 0)
			return 0;
		if ((size_t)(end - p) < size + 2 || p[size] != '\r' || p[size + 1] != '\n')
			return -EPROTO;
		int r = out ? buf_append(out, p, size) : 0;
		if (r < 0)
			return r;
		p += size + 2;
	}
}

static int parse_response(const struct buf *resp, int *ret_status, struct buf *ret_body)
{
	const char *start = resp->data, *end = resp->data + resp->len;
	const char *hdr_end = memmem(start, resp->len < HEADER_MAX ? resp->len : HEADER_MAX, "\r\n\r\n", 4);
	if (!hdr_end || resp->len < 12 || strncmp(start, "HTTP/1.", 7) != 0 || start[8] != ' ')
		return -EPROTO;
	int status = 0;
	for (int i = 9; i < 12; i++) {
		if (start[i] < '0' || start[i] > '9')
			return -EPROTO;
		status = status * 10 + (start[i] - '0');
	}
	/* The header lines: after the status line, up to and with the
	 * last line's CRLF. */
	const char *headers = memchr(start, '\n', (size_t)(hdr_end - start));
	headers = headers ? headers + 1 : hdr_end + 2;
	const char *body = hdr_end + 4;
	size_t te_len = 0, cl_len = 0, clen;
	const char *te = header_value(headers, hdr_end + 2, "Transfer-Encoding", &te_len);
	const char *cl = header_value(headers, hdr_end + 2, "Content-Length", &cl_len);
	int r = 0;
	if (te) {
		if (te_len != 7 || strncasecmp(te, "chunked", 7) != 0)
			return -EPROTO;
		r = dechunk(body, end, ret_body);
	} else if (cl) {
		if (parse_size(cl, cl_len, 10, &clen) < 0 || (size_t)(end - body) < clen)
			return -EPROTO;
		if (ret_body)
			r = buf_append(ret_body, body, clen);
	} else if (ret_body) {
		r = buf_append(ret_body, body, (size_t)(end - body)); /* delimited by the close */
	}
	if (r < 0)
		return r == -E2BIG ? -EMSGSIZE : r;
	*ret_status = status;
	return 0;
}

static bool token_ok(const char *s)
{
	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (*p < 'A' || *p > 'Z')
			return false;
	return true;
}

static bool path_ok(const char *s)
{
	if (*s != '/')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return false;
	return true;
}

/* caddy_admin_request(), and with `force` the header that makes POST
 * /load reload a config equal to the running one. */
static int request(const char *socket_path, const char *method, const char *path, const char *body, size_t len,
		   bool force, unsigned timeout_ms, int *ret_status, struct buf *ret_body)
{
	if (!token_ok(method) || !path_ok(path))
		return -EINVAL;
	if (body && len > CADDY_ADMIN_BODY_MAX)
		return -E2BIG;
	_cleanup_(buf_freep) struct buf req = { 0 };
	buf_init(&req, CADDY_ADMIN_BODY_MAX + HEADER_MAX);
	int r = buf_printf(&req, "%s %s HTTP/1.1\r\nHost: " CADDY_ADMIN_HOST "\r\nConnection: close\r\n", method,
			   path);
	if (r == 0 && body)
		r = buf_printf(&req, "Content-Type: application/json\r\nContent-Length: %zu\r\n", len);
	if (r == 0 && force)
		r = buf_printf(&req, "Cache-Control: must-revalidate\r\n");
	if (r == 0)
		r = buf_printf(&req, "\r\n");
	if (r == 0 && body)
		r = buf_append(&req, body, len);
	if (r < 0)
		return r;

	_cleanup_close_ int fd = -1;
	if ((r = unixsock_connect(socket_path, &fd)) < 0)
		return r;
	_cleanup_(buf_freep) struct buf resp = { 0 };
	buf_init(&resp, CADDY_ADMIN_RESPONSE_MAX + HEADER_MAX);
	if ((r = exchange(fd, req.data, req.len, timeout_ms, &resp)) < 0)
		return r;
	return parse_response(&resp, ret_status, ret_body);
}

int caddy_admin_request(const char *socket_path, const char *method, const char *path, const char *body,
			size_t len, unsigned timeout_ms, int *ret_status, struct buf *ret_body)
{
	return request(socket_path, method, path, body, len, false, timeout_ms, ret_status, ret_body);
}

static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (n < 0)
		err[0] = '\0';
	/* A longer reason is cut: the start says what failed. */
}

static const char *transport_reason(int r)
{
	switch (r) {
	case -ENOENT:
	case -ECONNREFUSED:
		return "caddy's admin socket is not listening";
	case -ETIMEDOUT:
		return "caddy's admin API did not answer in time";
	case -EPROTO:
		return "caddy's admin API answered something that is not HTTP";
	case -EMSGSIZE:
		return "caddy's admin API answered too much";
	case -ENAMETOOLONG:
		return "the admin socket's path is too long";
	case -E2BIG:
		return "the config is too large to send";
	case -EINVAL:
		return "not a request picd sends";
	default:
		return NULL;
	}
}

/* The status judged, with caddy's reason for a refusal. */
static int judge(int r, int status, const struct buf *body, char *err, size_t errlen)
{
	if (r < 0) {
		const char *why = transport_reason(r);
		set_err(err, errlen, "%s (%s)", why ? why : "caddy's admin API could not be reached", strerror(-r));
		return r;
	}
	if (status == 200)
		return 0;
	/* caddy's errors are {"error": "..."}. */
	_cleanup_(json_decrefp) json_t *doc = body->len > 0 ? json_loadb(body->data, body->len, 0, NULL) : NULL;
	const char *msg = json_string_value(json_object_get(doc, "error"));
	if (!msg)
		msg = body->len > 0 ? body->data : "(no reason given)";
	set_err(err, errlen, "caddy answered %d: %s", status, msg);
	switch (status) {
	case 400:
		return -EINVAL;
	case 403:
		return -EACCES;
	default:
		return -EPROTO;
	}
}

int caddy_admin_load(const char *socket_path, const char *json, size_t len, bool force, unsigned timeout_ms,
		     char *err, size_t errlen)
{
	_cleanup_(buf_freep) struct buf body = { 0 };
	buf_init(&body, CADDY_ADMIN_RESPONSE_MAX);
	int status = 0;
	int r = request(socket_path, "POST", "/load", json, len, force, timeout_ms, &status, &body);
	return judge(r, status, &body, err, errlen);
}

int caddy_admin_get_config(const char *socket_path, unsigned timeout_ms, struct buf *out, char *err,
			   size_t errlen)
{
	_cleanup_(buf_freep) struct buf body = { 0 };
	buf_init(&body, CADDY_ADMIN_RESPONSE_MAX);
	int status = 0;
	int r = caddy_admin_request(socket_path, "GET", "/config/", NULL, 0, timeout_ms, &status, &body);
	if ((r = judge(r, status, &body, err, errlen)) < 0)
		return r;
	return buf_append(out, body.data, body.len);
}
