/* Answers that come later. A handler whose work is too slow for the loop
 * (argon2id, a daemon's checker) starts the work, calls deferred_begin and
 * returns; the transport suspends the connection (other requests go on
 * being served) and, once the work's continuation has filled the
 * response in the loop and called deferred_answer, resumes it and sends
 * that answer.
 *
 * Two parties hold a deferred answer: the transport (until it sends the
 * answer or the connection ends) and the work (until deferred_answer).
 * It is freed when both have let go, so neither can touch freed memory:
 * once the connection is gone or the answer was cancelled,
 * deferred_request returns NULL and deferred_response a scratch response
 * nobody reads, and the continuation finishes its work's side effects
 * (a failed login is still counted) without an answer to give.
 *
 * Limits: at most `max` answers are outstanding; past that, and while
 * picd shuts down, deferred_begin answers 503 with Retry-After: 1 at once
 * (no queueing: a client that is told to come back costs nothing, a
 * queue of slow work costs memory and latency for everyone). */
#pragma once

#include <stdbool.h>

#include "http.h"

struct MHD_Connection;
struct deferred;
struct deferred_set;

int deferred_set_new(unsigned max, struct deferred_set **ret);
/* Answers that are still outstanding are let go as by the transport. */
void deferred_set_free(struct deferred_set *set);

/* The handler's side. 0 and *ret: the answer is deferred (res->deferred
 * is set; the handler must not fill `res` further and must end with
 * exactly one deferred_answer). -EBUSY: `res` is a 503 to send now. */
int deferred_begin(struct deferred_set *set, struct http_request *req, struct http_response *res,
		   struct deferred **ret);
/* Undoes deferred_begin when the work could not be started; the handler
 * then answers through `res` as usual. */
void deferred_drop(struct deferred *df, struct http_response *res);

/* The continuation's side, in the loop. The request as the handler saw
 * it, or NULL when nobody waits for the answer any more. */
struct http_request *deferred_request(struct deferred *df);
/* Where to put the answer (never NULL). */
struct http_response *deferred_response(struct deferred *df);
/* The work lets go: the answer is sent if somebody waits for it. */
void deferred_answer(struct deferred *df);

/* The transport's side. The connection was suspended for `df`. */
void deferred_attach(struct deferred *df, struct MHD_Connection *conn);
/* Whether the answer is ready to be sent. */
bool deferred_ready(const struct deferred *df);
/* Moves the answer into *ret_res and lets go of `df`. */
void deferred_take(struct deferred *df, struct http_response *ret_res);
/* The connection ended before the answer was sent: lets go of `df`. */
void deferred_release(struct deferred *df);

/* Shutdown: answers everything still outstanding with 503 now and refuses
 * new deferred answers (the work goes on; its result is dropped). */
void deferred_cancel_all(struct deferred_set *set);
unsigned deferred_outstanding(const struct deferred_set *set);
/* Counts resumptions: the transport runs libmicrohttpd when it changed. */
unsigned long deferred_resumes(const struct deferred_set *set);
