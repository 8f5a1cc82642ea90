/* Request accessors and response builders shared by all handlers. */
#include "http.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api_error.h"
#include "sse.h"
#include "common/banned.h"

static const char *const method_names[] = {
	[HTTP_GET] = "GET",   [HTTP_HEAD] = "HEAD",     [HTTP_POST] = "POST",
	[HTTP_PUT] = "PUT",   [HTTP_PATCH] = "PATCH",   [HTTP_DELETE] = "DELETE",
	[HTTP_METHOD_OTHER] = "OTHER",
};

enum http_method http_method_parse(const char *s)
{
	for (int m = HTTP_GET; m < HTTP_METHOD_OTHER; m++)
		if (strcmp(s, method_names[m]) == 0)
			return (enum http_method)m;
	return HTTP_METHOD_OTHER;
}

const char *http_method_name(enum http_method m)
{
	return m <= HTTP_METHOD_OTHER ? method_names[m] : "OTHER";
}

const char *http_request_header(const struct http_request *req, const char *name)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_request_query(const struct http_request *req, const char *name)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

void http_response_header(struct http_response *res, const char *name, const char *fmt, ...)
{
	if (res->n_headers >= HTTP_MAX_EXTRA_HEADERS)
		return;
	struct http_header *h = &res->headers[res->n_headers];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(h->value, sizeof(h->value), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(h->value))
		return;
	h->name = name;
	res->n_headers++;
}

/* Drops the body `res` holds, whichever kind, before another is set. */
static void drop_body(struct http_response *res)
{
	json_decref(res->body);
	res->body = NULL;
	free(res->raw);
	res->raw = NULL;
	if (res->has_file)
		close(res->file_fd);
	res->has_file = false;
}

void http_response_clear(struct http_response *res)
{
	drop_body(res);
	if (res->stream)
		sse_discard(res->stream);
	*res = (struct http_response){ 0 };
}

int http_reply(struct http_response *res, unsigned status, json_t *body)
{
	drop_body(res);
	res->status = status;
	res->body = body;
	return 0;
}

int http_reply_file_take(struct http_response *res, unsigned status, const char *content_type, int fd,
			 uint64_t size)
{
	drop_body(res);
	res->has_file = true;
	res->file_fd = fd;
	res->file_size = size;
	res->raw_type = content_type;
	res->status = status;
	return 0;
}

int http_reply_raw(struct http_response *res, unsigned status, const char *content_type, const void *data,
		   size_t len)
{
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, data, len);
	drop_body(res);
	res->raw = copy;
	res->raw_len = len;
	res->raw_type = content_type;
	res->status = status;
	return 0;
}

int http_error(struct http_response *res, unsigned status, const char *code, const char *field,
	       const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return http_reply(res, status, api_error_json(code, msg, field));
}
