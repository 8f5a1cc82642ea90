/* HTTP to picd over its unix socket (see cli_http.h). */
#include "cli_http.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli_error.h"
#include "cli_url.h"
#include "common/cleanup.h"
#include "common/buf.h"

#include "common/banned.h"

/* A hung picd must not hang scripts forever; apply may take a while. */
#define CONNECT_TIMEOUT_S 10L
#define TOTAL_TIMEOUT_S 300L

DEFINE_PTR_CLEANUP(CURL, curl_easy_cleanup)
DEFINE_PTR_CLEANUP(struct curl_slist, curl_slist_free_all)

struct http_recv {
	struct buf body;
	int body_error; /* why the body callback stopped, -errno */
	char *etag;
};

static void http_recv_done(struct http_recv *rx)
{
	buf_free(&rx->body);
	free(rx->etag);
}

/* A streamed answer being cut into lines. */
struct http_stream {
	CURL *curl;
	struct http_recv *rx;  /* takes a non-2xx answer whole */
	long status;           /* 0 until the first body bytes */
	cli_http_line_fn fn;
	void *userdata;
	const volatile sig_atomic_t *stop;
	int fn_error;          /* what fn returned when it stopped the stream */
	char *line;            /* CLI_HTTP_LINE_MAX + 1 bytes */
	size_t len;
};

void cli_response_done(struct cli_response *r)
{
	json_decref(r->body);
	free(r->etag);
	free(r->text);
	*r = (struct cli_response){ 0 };
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct http_recv *rx = userdata;
	size_t n = size * nmemb;
	int r = buf_append(&rx->body, data, n);
	if (r < 0) {
		rx->body_error = r == -E2BIG ? -EFBIG : r;
		return 0; /* curl stops with CURLE_WRITE_ERROR */
	}
	return n;
}

static bool is_2xx(long status)
{
	return status >= 200 && status <= 299;
}

/* Hands the line collected so far to fn and starts the next one. */
static int stream_emit(struct http_stream *st)
{
	size_t len = st->len;
	if (len > 0 && st->line[len - 1] == '\r')
		len--;
	st->line[len] = '\0';
	st->len = 0;
	return st->fn(st->line, len, st->userdata);
}

static size_t on_stream_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct http_stream *st = userdata;
	size_t n = size * nmemb;
	const char *p = data, *end = data + n;

	if (st->status == 0)
		curl_easy_getinfo(st->curl, CURLINFO_RESPONSE_CODE, &st->status);
	if (!is_2xx(st->status))
		return on_body(data, size, nmemb, st->rx);
	/* A line may arrive in pieces over several calls: collect it until
	 * its "\n", keeping no more than the cap. */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t take = (size_t)((nl ? nl : end) - p);
		size_t room = CLI_HTTP_LINE_MAX - st->len;

		memcpy(st->line + st->len, p, take < room ? take : room);
		st->len += take < room ? take : room;
		if (!nl)
			break;
		int r = stream_emit(st);
		if (r < 0) {
			st->fn_error = r;
			return 0; /* curl stops with CURLE_WRITE_ERROR */
		}
		p = nl + 1;
	}
	return n;
}

/* Called by curl at least once a second: a nonzero answer ends the
 * transfer with CURLE_ABORTED_BY_CALLBACK. */
static int on_stream_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
			      curl_off_t ultotal, curl_off_t ulnow)
{
	const struct http_stream *st = userdata;
	return *st->stop ? 1 : 0;
}

/* Keeps the value of an "ETag:" header line, blanks and CRLF trimmed. */
static size_t on_header(char *data, size_t size, size_t nitems, void *userdata)
{
	static const char name[] = "etag:";
	struct http_recv *rx = userdata;
	size_t n = size * nitems;

	if (n < sizeof(name) - 1 || strncasecmp(data, name, sizeof(name) - 1) != 0)
		return n;
	const char *v = data + sizeof(name) - 1, *end = data + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && strchr(" \t\r\n", end[-1]))
		end--;
	char *etag = strndup(v, (size_t)(end - v));
	if (!etag) {
		rx->body_error = -ENOMEM;
		return 0;
	}
	free(rx->etag);
	rx->etag = etag;
	return n;
}

static int add_header(struct curl_slist **list, const char *line)
{
	struct curl_slist *l = curl_slist_append(*list, line);
	if (!l)
		return -ENOMEM;
	*list = l;
	return 0;
}

static int build_headers(const struct cli_request *req, bool has_body,
			 struct curl_slist **ret_list)
{
	_cleanup_(curl_slist_free_allp) struct curl_slist *list = NULL;
	int r;

	_cleanup_free_ char *accept = NULL;
	if (asprintf(&accept, "Accept: %s", req->accept ? req->accept : "application/json") < 0)
		return -ENOMEM;
	r = add_header(&list, accept);
	/* No "Expect: 100-continue" round trip for larger bodies. */
	if (r == 0)
		r = add_header(&list, "Expect:");
	/* Without a body, drop the form type curl would claim for a POST. */
	if (r == 0)
		r = add_header(&list, has_body ? "Content-Type: application/json" : "Content-Type:");
	if (r == 0 && req->if_match) {
		_cleanup_free_ char *line = NULL;
		if (asprintf(&line, "If-Match: %s", req->if_match) < 0)
			return -ENOMEM;
		r = add_header(&list, line);
	}
	if (r < 0)
		return r;
	*ret_list = TAKE_PTR(list);
	return 0;
}

static int map_curl_error(CURL *c, CURLcode rc, const struct http_recv *rx)
{
	long os_errno = 0;

	switch (rc) {
	case CURLE_WRITE_ERROR:
		return rx->body_error < 0 ? rx->body_error : -EIO;
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
		return os_errno > 0 ? -(int)os_errno : -ECONNREFUSED;
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_OUT_OF_MEMORY:
		return -ENOMEM;
	default:
		return rx->body_error < 0 ? rx->body_error : -EIO;
	}
}

/* Sends `req` with `body`; the answer goes whole into `rx`, or, when `st`
 * is not NULL, through st's line splitter (a non-2xx one into rx). */
static int perform(const struct cli_ctx *ctx, const struct cli_request *req,
		   const char *body, struct http_recv *rx, struct http_stream *st,
		   long *ret_status)
{
	_cleanup_(curl_easy_cleanupp) CURL *c = curl_easy_init();
	_cleanup_(curl_slist_free_allp) struct curl_slist *headers = NULL;
	char url[1024];
	int r;

	if (!c)
		return -ENOMEM;
	int n = snprintf(url, sizeof(url), "http://localhost%s", req->path);
	if (n < 0 || (size_t)n >= sizeof(url))
		return -ENAMETOOLONG;
	r = build_headers(req, body != NULL, &headers);
	if (r < 0)
		return r;

	CURLcode rc = CURLE_OK;
#define SET(opt, val) do { if (rc == CURLE_OK) rc = curl_easy_setopt(c, opt, val); } while (0)
	SET(CURLOPT_URL, url);
	SET(CURLOPT_UNIX_SOCKET_PATH, ctx->socket);
	SET(CURLOPT_PROXY, ""); /* never route the socket through $http_proxy */
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
	SET(CURLOPT_HTTPHEADER, headers);
	if (st) {
		/* A stream lasts as long as it lasts; only *stop ends it. */
		st->curl = c;
		SET(CURLOPT_WRITEFUNCTION, on_stream_body);
		SET(CURLOPT_WRITEDATA, st);
		SET(CURLOPT_NOPROGRESS, 0L);
		SET(CURLOPT_XFERINFOFUNCTION, on_stream_progress);
		SET(CURLOPT_XFERINFODATA, st);
	} else {
		SET(CURLOPT_TIMEOUT, TOTAL_TIMEOUT_S);
		SET(CURLOPT_WRITEFUNCTION, on_body);
		SET(CURLOPT_WRITEDATA, rx);
	}
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, rx);
	SET(CURLOPT_CUSTOMREQUEST, req->method);
	if (body) {
		SET(CURLOPT_POSTFIELDS, body);
		SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	} else if (strcmp(req->method, "POST") == 0 || strcmp(req->method, "PUT") == 0) {
		/* An empty body, sent with Content-Length: 0. */
		SET(CURLOPT_POSTFIELDS, "");
		SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
	}
#undef SET
	if (rc != CURLE_OK)
		return rc == CURLE_OUT_OF_MEMORY ? -ENOMEM : -EINVAL;

	rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (st && rc == CURLE_ABORTED_BY_CALLBACK)
		return -EINTR;
	if (st && rc == CURLE_WRITE_ERROR && st->fn_error < 0)
		return st->fn_error;
	/* picd going away ends a stream it had begun: that is its end. */
	if (st && is_2xx(status) && (rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR))
		rc = CURLE_OK;
	if (rc != CURLE_OK)
		return map_curl_error(c, rc, rx);
	if (st && is_2xx(status) && st->len > 0) {
		r = stream_emit(st);
		if (r < 0)
			return r;
	}
	*ret_status = status;
	return 0;
}

/* Sends `req` (through `st` when streaming) and parses what was collected
 * whole: any answer of a plain request, a non-2xx one of a stream. */
static int request(const struct cli_ctx *ctx, const struct cli_request *req,
		   struct http_stream *st, struct cli_response *ret_resp)
{
	_cleanup_(http_recv_done) struct http_recv rx = { 0 };
	_cleanup_free_ char *dumped = NULL;
	const char *body = req->raw_json;
	long status = 0;
	json_t *parsed = NULL;
	char *text = NULL;
	size_t text_len = 0;
	int r;

	/* curl would report an overlong path only as a resolve failure. */
	if (strlen(ctx->socket) >= sizeof(((struct sockaddr_un *)NULL)->sun_path))
		return -ENAMETOOLONG;
	if (req->json) {
		dumped = json_dumps(req->json, JSON_COMPACT);
		if (!dumped)
			return -ENOMEM;
		body = dumped;
	}
	buf_init(&rx.body, CLI_HTTP_BODY_MAX);

	if (st)
		st->rx = &rx;
	r = perform(ctx, req, body, &rx, st, &status);
	if (r < 0)
		return r;
	if (req->text && !st && is_2xx(status)) {
		text_len = rx.body.len;
		text = rx.body.data ? buf_steal(&rx.body) : strdup("");
		if (!text)
			return -ENOMEM;
	} else if (rx.body.len > 0) {
		parsed = json_loadb(rx.body.data, rx.body.len, 0, NULL);
		if (!parsed && is_2xx(status))
			return -EBADMSG;
	}
	*ret_resp = (struct cli_response){
		.status = status,
		.body = parsed,
		.etag = TAKE_PTR(rx.etag),
		.text = text,
		.text_len = text_len,
	};
	return 0;
}

int cli_http_request(const struct cli_ctx *ctx, const struct cli_request *req,
		     struct cli_response *ret_resp)
{
	return request(ctx, req, NULL, ret_resp);
}

int cli_http_stream(const struct cli_ctx *ctx, const struct cli_request *req,
		    const volatile sig_atomic_t *stop, cli_http_line_fn fn, void *userdata,
		    struct cli_response *ret_resp)
{
	_cleanup_free_ char *line = malloc(CLI_HTTP_LINE_MAX + 1);
	if (!line)
		return -ENOMEM;
	struct http_stream st = {
		.fn = fn,
		.userdata = userdata,
		.stop = stop,
		.line = line,
	};
	return request(ctx, req, &st, ret_resp);
}

int cli_http_probe(const struct cli_ctx *ctx)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", ctx->socket);
	if (n < 0 || (size_t)n >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;

	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	return connect(fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
}

int cli_http_call(const struct cli_ctx *ctx, const struct cli_request *req,
		  struct cli_response *ret_resp)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = cli_http_request(ctx, req, &resp);

	if (r < 0)
		return cli_error_transport(ctx, r);
	if (resp.status < 200 || resp.status > 299)
		return cli_error_refused(ctx, resp.status, resp.body);
	*ret_resp = resp;
	resp = (struct cli_response){ 0 };
	return 0;
}

int cli_http_delete(const struct cli_ctx *ctx, const char *prefix, const char *name, const char *what)
{
	_cleanup_free_ char *path = NULL;
	int r = cli_url_join(prefix, name, &path);
	if (r < 0)
		return r == -ENAMETOOLONG ? cli_error_usage("%s too long", what) : cli_error_local(r, "building the request");
	_cleanup_response_ struct cli_response resp = { 0 };
	return cli_http_call(ctx, &(struct cli_request){ .method = "DELETE", .path = path }, &resp);
}
