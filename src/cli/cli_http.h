/* One HTTP request to picd over its control socket (libcurl with
 * CURLOPT_UNIX_SOCKET_PATH; the URL is always http://localhost/...).
 * picd authorises the socket's peer by uid, so nothing secret is sent
 * besides what a command puts in its body. Answers are capped at
 * CLI_HTTP_BODY_MAX and parsed as JSON, or kept as text when a request
 * asks for that (a PEM document); a streamed answer (an event stream) is
 * handed over line by line instead, each capped at CLI_HTTP_LINE_MAX. */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "cli_cmd.h"
#include "common/cleanup.h"

#define CLI_HTTP_BODY_MAX (1024 * 1024)
#define CLI_HTTP_LINE_MAX (64 * 1024)

struct cli_request {
	const char *method;   /* "GET", "PUT", "POST", "DELETE" */
	const char *path;     /* starts with '/' */
	const json_t *json;   /* body, serialised here; or NULL */
	const char *raw_json; /* body already serialised (a caller that must
			       * wipe it keeps the only copy); or NULL */
	const char *if_match; /* value for If-Match (an ETag), or NULL */
	const char *accept;   /* value for Accept; NULL for application/json */
	bool text;            /* keep a 2xx answer's body as text (resp.text)
			       * instead of parsing it as JSON; not for a
			       * stream */
};

struct cli_response {
	long status;
	json_t *body;         /* NULL when the answer had no body */
	char *etag;           /* the ETag header, or NULL */
	char *text;           /* a 2xx body asked for as text, NUL-terminated
			       * (it may hold NULs of its own); else NULL */
	size_t text_len;
};

/* Releases what a response holds; fine on a zeroed one. */
void cli_response_done(struct cli_response *r);
#define _cleanup_response_ _cleanup_(cli_response_done)

/* Sends `req` and fills *ret_resp for any HTTP status. -errno when no
 * well-formed answer arrived: the errno of connect(2) when the socket
 * cannot be reached, -ETIMEDOUT, -EFBIG (answer over the cap), -EBADMSG
 * (a 2xx answer that is not JSON, unless req->text), -EIO (other
 * transport failure), -ENOMEM. A non-2xx answer that is not JSON gives
 * body == NULL; with req->text a non-2xx answer is still parsed as JSON
 * (picd's errors are), and a 2xx one goes to text, never NULL then. */
int cli_http_request(const struct cli_ctx *ctx, const struct cli_request *req,
		     struct cli_response *ret_resp);

/* cli_http_request(), reporting every failure through cli_error: returns 0
 * and fills *ret_resp on a 2xx answer, else the exit status. */
int cli_http_call(const struct cli_ctx *ctx, const struct cli_request *req,
		  struct cli_response *ret_resp);

/* DELETE <prefix><name> (the name escaped as one path segment), through
 * cli_http_call; `what` names it in a usage error ("queue id"). Returns 0
 * or the exit status. */
int cli_http_delete(const struct cli_ctx *ctx, const char *prefix, const char *name, const char *what);

/* Takes one line of a streamed answer: `line` is NUL-terminated, without
 * its "\n" or "\r\n", and cut at CLI_HTTP_LINE_MAX bytes (the rest of an
 * overlong line is dropped). Returns 0 to go on, -errno to stop. */
typedef int (*cli_http_line_fn)(const char *line, size_t len, void *userdata);

/* Sends `req` and hands a 2xx answer's body to `fn` line by line as it
 * arrives, with no limit on its total time (the connect timeout stays);
 * an unterminated last line is handed over too. Returns 0 when picd
 * ended the answer (closing the connection midway counts as ending it),
 * with *ret_resp holding the status; a non-2xx answer is not streamed
 * but parsed into *ret_resp as by cli_http_request(). -EINTR soon after
 * *stop becomes nonzero (a signal handler sets it), what `fn` returned
 * when it stopped the stream, else -errno as for cli_http_request(). */
int cli_http_stream(const struct cli_ctx *ctx, const struct cli_request *req,
		    const volatile sig_atomic_t *stop, cli_http_line_fn fn, void *userdata,
		    struct cli_response *ret_resp);

/* Whether something still accepts connections on the control socket: 0
 * when connect(2) succeeds, else its -errno (-ECONNREFUSED, -ENOENT once
 * picd is gone). Sends nothing. */
int cli_http_probe(const struct cli_ctx *ctx);
