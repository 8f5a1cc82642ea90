/* What a handler sees of an HTTP request and fills in for the response.
 * The transport (http_server.c) builds the request, the dispatcher
 * authenticates it and parses its JSON body, the handler answers. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_PARAMS 4
#define HTTP_PARAM_MAX 128
#define HTTP_MAX_EXTRA_HEADERS 6

struct MHD_Connection;

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_METHOD_OTHER,
};

enum auth_kind {
	AUTH_NONE,
	AUTH_SESSION, /* browser: cookie + CSRF header */
	AUTH_TOKEN,   /* script: bearer token */
	AUTH_LOCAL,   /* control socket, root peer */
};

struct auth_info {
	enum auth_kind kind;
	int64_t user_id;
	char username[65];
	bool admin;            /* the admin (a token, the control socket); else a cell account */
	char session_hash[65]; /* AUTH_SESSION */
	char csrf_token[65];   /* AUTH_SESSION */
	int64_t expires_at;    /* AUTH_SESSION */
	int64_t token_id;      /* AUTH_TOKEN */
};

struct http_request {
	struct MHD_Connection *conn;
	enum http_method method;
	const char *method_name;
	const char *path;
	/* The path asked for held "%00": libmicrohttpd decoded it into a NUL,
	 * so `path` ends there and is not what was asked for. */
	bool path_nul;
	bool local; /* arrived on the control socket */
	bool tls;
	char peer[64]; /* client address, for throttling and logs */
	unsigned peer_uid;  /* local only */

	const char *body;
	size_t body_len;
	json_t *json; /* parsed body, or NULL when there was none */

	unsigned n_params;
	char params[HTTP_MAX_PARAMS][HTTP_PARAM_MAX];

	struct auth_info auth;
};

struct http_header {
	const char *name;
	char value[256];
};

struct sse_stream;
struct deferred;

struct http_response {
	unsigned status;
	json_t *body; /* owned; NULL for no body */
	struct sse_stream *stream; /* instead of a body: an event stream */
	char *raw;                 /* instead of JSON: bytes (owned) ... */
	size_t raw_len;
	const char *raw_type;      /* ... of this content type (also of a file) */
	bool has_file;             /* instead of JSON: a file's contents, sent */
	int file_fd;               /* from this descriptor (owned when has_file) */
	uint64_t file_size;        /* by libmicrohttpd (sendfile), never read here */
	struct deferred *deferred; /* instead of an answer now: one later (deferred.h) */
	unsigned n_headers;
	struct http_header headers[HTTP_MAX_EXTRA_HEADERS];
};

/* A request header, or NULL. */
const char *http_request_header(const struct http_request *req, const char *name);
/* A query-string argument, or NULL. */
const char *http_request_query(const struct http_request *req, const char *name);

/* Adds a header; silently ignored past HTTP_MAX_EXTRA_HEADERS (a bug the
 * tests catch, not an input a client controls). */
void http_response_header(struct http_response *res, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sets status and body (takes ownership of `body`). Returns 0. */
int http_reply(struct http_response *res, unsigned status, json_t *body);
/* Sets status and a non-JSON body (copied). -ENOMEM, or 0. */
int http_reply_raw(struct http_response *res, unsigned status, const char *content_type, const void *data,
		   size_t len);
/* Sets status and a file's contents as the body: takes ownership of
 * `fd` (a regular file open for reading, `size` bytes, sent from offset
 * 0), also for a 304 or a HEAD, whose Content-Length it gives. Returns 0. */
int http_reply_file_take(struct http_response *res, unsigned status, const char *content_type, int fd,
			 uint64_t size);
/* Frees what `res` holds (body, raw text, file, event stream) and zeroes it. */
void http_response_clear(struct http_response *res);
/* Sets an error response in the house format. Returns 0. */
int http_error(struct http_response *res, unsigned status, const char *code, const char *field,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

enum http_method http_method_parse(const char *s);
const char *http_method_name(enum http_method m);
