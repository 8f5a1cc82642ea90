/* Event streams over suspended connections (see sse.h). */
#include "sse.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/log.h"
#include "common/loop.h"
#include "daemon.h"
#include "svc/svc.h"
#include "common/banned.h"

#define SSE_PING_MS 15000

struct sse_stream {
	struct sse_hub *hub;
	enum sse_kind kind;
	struct svc *svc;
	unsigned long long cursor; /* SSE_LOG: bytes of the log already sent */
	struct MHD_Connection *conn;
	struct buf pending;
	bool suspended;
	bool cut; /* fell too far behind: ends after what is pending */
	struct sse_stream *prev, *next;
};

struct sse_hub {
	struct daemon *d;
	struct sse_stream *streams;
	unsigned n;
	unsigned long resumes; /* counts resumptions, see sse_resumes() */
	struct loop_source *ping;
};

static void wake(struct sse_stream *st)
{
	if (st->suspended && st->conn) {
		st->suspended = false;
		MHD_resume_connection(st->conn);
		if (st->hub)
			st->hub->resumes++;
	}
}

static void push(struct sse_stream *st, const char *data, size_t len)
{
	if (st->cut)
		return;
	if (buf_append(&st->pending, data, len) < 0) {
		st->cut = true;
		log_warn("an event stream fell %d KiB behind; closing it", SSE_PENDING_MAX / 1024);
	}
	wake(st);
}

static void on_ping(struct loop *l, int fd, uint32_t events, void *data)
{
	struct sse_hub *h = data;
	uint64_t expirations;
	ssize_t ignored = read(fd, &expirations, sizeof(expirations));
	(void)ignored;
	/* A comment line keeps proxies from timing the stream out and lets
	 * a vanished client be noticed. */
	for (struct sse_stream *st = h->streams; st; st = st->next)
		push(st, ": ping\n\n", 8);
}

int sse_hub_new(struct daemon *d, struct sse_hub **ret)
{
	struct sse_hub *h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->d = d;
	int r = loop_add_timer(d->loop, SSE_PING_MS, on_ping, h, &h->ping);
	if (r < 0) {
		free(h);
		return r;
	}
	*ret = h;
	return 0;
}

void sse_hub_free(struct sse_hub *h)
{
	if (!h)
		return;
	/* Streams still open belong to connections MHD frees; detach them. */
	for (struct sse_stream *st = h->streams; st; st = st->next)
		st->hub = NULL;
	loop_remove(h->d->loop, h->ping);
	free(h);
}

static void unlink_stream(struct sse_stream *st)
{
	struct sse_hub *h = st->hub;
	if (!h)
		return;
	if (st->prev)
		st->prev->next = st->next;
	else
		h->streams = st->next;
	if (st->next)
		st->next->prev = st->prev;
	h->n--;
	st->hub = NULL;
}

void sse_discard(struct sse_stream *st)
{
	if (!st)
		return;
	unlink_stream(st);
	buf_free(&st->pending);
	free(st);
}

/* Sends the complete lines a log gained since the stream's cursor. */
static void push_log_lines(struct sse_stream *st)
{
	struct buf fresh;
	buf_init(&fresh, SVC_LOG_RING);
	if (svc_log_since(&st->svc->log, st->cursor, &fresh) < 0 || fresh.len == 0) {
		buf_free(&fresh);
		return;
	}
	size_t done = 0;
	for (size_t i = 0; i < fresh.len; i++) {
		if (fresh.data[i] != '\n')
			continue;
		push(st, "data: ", 6);
		push(st, fresh.data + done, i - done);
		push(st, "\n\n", 2);
		done = i + 1;
	}
	st->cursor += done;
	/* Bytes the ring no longer held were skipped: move past them. */
	unsigned long long held = st->svc->log.total - st->cursor;
	if (held > fresh.len - done)
		st->cursor = st->svc->log.total - (fresh.len - done);
	buf_free(&fresh);
}

int sse_open(struct sse_hub *h, struct http_response *res, enum sse_kind kind, struct svc *s,
	     unsigned long long cursor)
{
	if (h->n >= SSE_MAX_STREAMS)
		return http_error(res, 503, "too_many_streams", NULL, "too many open event streams (%d)",
				  SSE_MAX_STREAMS);
	struct sse_stream *st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	*st = (struct sse_stream){ .hub = h, .kind = kind, .svc = s, .cursor = cursor };
	buf_init(&st->pending, SSE_PENDING_MAX);
	st->next = h->streams;
	if (h->streams)
		h->streams->prev = st;
	h->streams = st;
	h->n++;
	/* Tell the client how long to wait before reconnecting. */
	push(st, "retry: 2000\n\n", 13);
	if (kind == SSE_LOG)
		push_log_lines(st);
	res->status = 200;
	res->stream = st;
	return 0;
}

static ssize_t sse_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct sse_stream *st = cls;
	(void)pos;
	if (st->pending.len == 0) {
		if (st->cut || !st->hub)
			return MHD_CONTENT_READER_END_OF_STREAM;
		st->suspended = true;
		MHD_suspend_connection(st->conn);
		return 0;
	}
	size_t n = st->pending.len < max ? st->pending.len : max;
	memcpy(out, st->pending.data, n);
	memmove(st->pending.data, st->pending.data + n, st->pending.len - n);
	st->pending.len -= n;
	st->pending.data[st->pending.len] = '\0';
	return (ssize_t)n;
}

static void sse_free(void *cls)
{
	sse_discard(cls);
}

struct MHD_Response *sse_response(struct sse_stream *st, struct MHD_Connection *conn)
{
	st->conn = conn;
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_read, st, sse_free);
	if (!r)
		return NULL;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
	MHD_add_response_header(r, "X-Accel-Buffering", "no");
	return r;
}

void sse_close_all(struct sse_hub *h)
{
	if (!h)
		return;
	for (struct sse_stream *st = h->streams; st; st = st->next) {
		st->cut = true;
		/* Resumed, the reader sees `cut` with nothing pending and ends. */
		if (st->suspended && st->conn) {
			st->suspended = false;
			MHD_resume_connection(st->conn);
			h->resumes++;
		}
	}
}

unsigned long sse_resumes(const struct sse_hub *h)
{
	return h ? h->resumes : 0;
}

void sse_publish(struct sse_hub *h, const char *type, json_t *data)
{
	char *text = json_dumps(data, JSON_COMPACT);
	json_decref(data);
	if (!h || !text) {
		free(text);
		return;
	}
	for (struct sse_stream *st = h->streams; st; st = st->next) {
		if (st->kind != SSE_EVENTS)
			continue;
		push(st, "event: ", 7);
		push(st, type, strlen(type));
		push(st, "\ndata: ", 7);
		push(st, text, strlen(text));
		push(st, "\n\n", 2);
	}
	free(text);
}

void sse_log_grew(struct sse_hub *h, struct svc *s)
{
	if (!h)
		return;
	for (struct sse_stream *st = h->streams; st; st = st->next)
		if (st->kind == SSE_LOG && st->svc == s)
			push_log_lines(st);
}
