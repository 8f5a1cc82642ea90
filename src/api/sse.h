/* Server-Sent Events: long-lived responses that carry events as they
 * happen. A stream holds what has not been sent yet; when it is empty the
 * connection is suspended in libmicrohttpd (no polling) and resumed when
 * something is published to it. Streams are of two kinds: the cell's
 * event feed (GET /api/events) and one service's log (logs?follow=1). */
#pragma once

#include <jansson.h>
#include <stdbool.h>

#include "http.h"

#define SSE_PENDING_MAX (256 * 1024) /* a stream this far behind is cut */
#define SSE_MAX_STREAMS 64

struct daemon;
struct svc;

enum sse_kind { SSE_EVENTS, SSE_LOG };

struct sse_hub;
struct sse_stream;
struct MHD_Connection;
struct MHD_Response;

int sse_hub_new(struct daemon *d, struct sse_hub **ret);
void sse_hub_free(struct sse_hub *h);

/* Turns `res` into a stream of `kind` (for SSE_LOG, of service `s`,
 * starting after log cursor `cursor`). 503 when too many are open. */
int sse_open(struct sse_hub *h, struct http_response *res, enum sse_kind kind, struct svc *s,
	     unsigned long long cursor);

/* For the transport: the libmicrohttpd response that carries `st`. */
struct MHD_Response *sse_response(struct sse_stream *st, struct MHD_Connection *conn);
/* For the transport: a stream whose response was never created. */
void sse_discard(struct sse_stream *st);

/* Ends every stream once what is pending has been sent (shutdown:
 * libmicrohttpd cannot stop with suspended connections). */
void sse_close_all(struct sse_hub *h);

/* How many connections were resumed so far. A connection resumed from
 * outside libmicrohttpd is only picked up by a run of its daemon: the
 * transport runs it when this number changed. */
unsigned long sse_resumes(const struct sse_hub *h);

/* Publishes one event (type + JSON data) to every event stream. */
void sse_publish(struct sse_hub *h, const char *type, json_t *data);
/* A service's log grew: sends the new lines to its followers. */
void sse_log_grew(struct sse_hub *h, struct svc *s);
