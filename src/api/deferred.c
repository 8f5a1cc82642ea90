/* Deferred answers (see deferred.h). */
#include "deferred.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

struct deferred {
	struct deferred_set *set;
	struct MHD_Connection *conn; /* suspended for us; NULL once the transport let go */
	struct http_request *req;    /* the transport's; NULL once it let go */
	bool transport_held, work_held;
	bool answered;               /* `res` is final (the work's or the cancellation's) */
	struct http_response res;
	struct http_response scratch; /* what a continuation writes nobody reads */
	struct deferred *prev, *next;
};

struct deferred_set {
	unsigned n, max;
	bool closing;
	unsigned long resumes;
	struct deferred *list;
};

int deferred_set_new(unsigned max, struct deferred_set **ret)
{
	struct deferred_set *set = calloc(1, sizeof(*set));
	if (!set)
		return -ENOMEM;
	set->max = max;
	*ret = set;
	return 0;
}

static void unlink_free(struct deferred *df)
{
	struct deferred_set *set = df->set;
	if (set) {
		if (df->prev)
			df->prev->next = df->next;
		else
			set->list = df->next;
		if (df->next)
			df->next->prev = df->prev;
		set->n--;
	}
	http_response_clear(&df->res);
	http_response_clear(&df->scratch);
	free(df);
}

static void maybe_free(struct deferred *df)
{
	if (!df->transport_held && !df->work_held)
		unlink_free(df);
}

void deferred_set_free(struct deferred_set *set)
{
	if (!set)
		return;
	/* What is left is held by work that outlives the loop (worker_free
	 * runs its continuations later): detach it. */
	for (struct deferred *df = set->list, *next; df; df = next) {
		next = df->next;
		df->set = NULL;
		df->prev = df->next = NULL;
		df->conn = NULL;
		df->req = NULL;
		df->transport_held = false;
		if (!df->work_held)
			unlink_free(df);
	}
	free(set);
}

static int busy(struct http_response *res, const char *why)
{
	http_response_header(res, "Retry-After", "1");
	return http_error(res, 503, "busy", NULL, "%s; try again in a second", why);
}

int deferred_begin(struct deferred_set *set, struct http_request *req, struct http_response *res,
		   struct deferred **ret)
{
	if (set->closing) {
		busy(res, "picd is shutting down");
		return -EBUSY;
	}
	if (set->n >= set->max) {
		busy(res, "too many slow requests in progress");
		return -EBUSY;
	}
	struct deferred *df = calloc(1, sizeof(*df));
	if (!df) {
		http_error(res, 500, "internal", NULL, "out of memory");
		return -EBUSY;
	}
	*df = (struct deferred){ .set = set, .req = req, .transport_held = true, .work_held = true,
				 .next = set->list };
	if (set->list)
		set->list->prev = df;
	set->list = df;
	set->n++;
	res->deferred = df;
	*ret = df;
	return 0;
}

void deferred_drop(struct deferred *df, struct http_response *res)
{
	res->deferred = NULL;
	unlink_free(df);
}

struct http_request *deferred_request(struct deferred *df)
{
	return df->transport_held && !df->answered ? df->req : NULL;
}

struct http_response *deferred_response(struct deferred *df)
{
	return df->transport_held && !df->answered ? &df->res : &df->scratch;
}

static void resume(struct deferred *df)
{
	df->answered = true;
	if (df->conn) {
		MHD_resume_connection(df->conn);
		if (df->set)
			df->set->resumes++;
	}
}

void deferred_answer(struct deferred *df)
{
	if (df->transport_held && !df->answered) {
		if (df->res.status == 0)
			http_error(&df->res, 500, "internal", NULL, "the handler gave no answer");
		resume(df);
	}
	df->work_held = false;
	http_response_clear(&df->scratch);
	maybe_free(df);
}

void deferred_attach(struct deferred *df, struct MHD_Connection *conn)
{
	df->conn = conn;
	MHD_suspend_connection(conn);
	/* Answered (or cancelled) before the transport suspended. */
	if (df->answered)
		resume(df);
}

bool deferred_ready(const struct deferred *df)
{
	return df->answered;
}

void deferred_take(struct deferred *df, struct http_response *ret_res)
{
	*ret_res = df->res;
	df->res = (struct http_response){ 0 };
	deferred_release(df);
}

void deferred_release(struct deferred *df)
{
	df->transport_held = false;
	df->conn = NULL;
	df->req = NULL;
	maybe_free(df);
}

void deferred_cancel_all(struct deferred_set *set)
{
	if (!set)
		return;
	set->closing = true;
	for (struct deferred *df = set->list; df; df = df->next) {
		if (!df->transport_held || df->answered)
			continue;
		http_response_clear(&df->res);
		http_error(&df->res, 503, "shutting_down", NULL, "picd is shutting down; try again shortly");
		resume(df);
	}
}

unsigned deferred_outstanding(const struct deferred_set *set)
{
	return set ? set->n : 0;
}

unsigned long deferred_resumes(const struct deferred_set *set)
{
	return set ? set->resumes : 0;
}
