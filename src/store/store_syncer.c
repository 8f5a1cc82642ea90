/* Group commit of the store (see store_syncer.h). */
#include "store_syncer.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/loop.h"
#include "common/worker.h"
#include "store.h"
#include "common/banned.h"

/* One sync at a time (`busy`): the next begins when it is done. */
#define SYNCS_IN_FLIGHT 1

struct store_syncer {
	struct loop *loop;
	struct store *store;
	struct worker *worker;
	/* Checkpoints: a thread of their own, so that a sync never waits
	 * behind one; its SQLite connection is that thread's alone (and
	 * closed here once the thread is joined). */
	struct worker *checkpointer;
	sqlite3 *checkpoint_conn;
	bool checkpointing;
	unsigned long checkpoints;
	uint64_t checkpoint_writes; /* store_writes() when the last one began */
	uint64_t synced;      /* every write up to here is on disk */
	uint64_t failed_upto; /* the last failed sync's cover: not retried for it alone */
	bool busy, stopping;
	bool fail; /* test-only: every sync fails (store_syncer_fail_for_test) */
	unsigned long syncs;
	struct store_sync_wait *waits;
};

struct sync_job {
	struct worker_job job; /* first: the worker sees a worker_job */
	struct store_syncer *y;
	uint64_t writes;
	char wal[PATH_MAX];
	bool fail;
	int r; /* the thread's */
};

static void unlink_wait(struct store_syncer *y, struct store_sync_wait *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		y->waits = w->next;
	if (w->next)
		w->next->prev = w->prev;
	w->prev = w->next = NULL;
	w->queued = false;
}

/* Answers the waits this sync decided: covered, or failed with it. */
static void answer_waits(struct store_syncer *y, uint64_t tried, int r)
{
	struct store_sync_wait *w = y->waits;
	while (w) {
		struct store_sync_wait *next = w->next;
		if (w->writes <= y->synced || w->writes <= tried) {
			unlink_wait(y, w);
			w->ready(w, w->writes <= y->synced ? 0 : r);
			/* `ready` may have cancelled others: start over. */
			next = y->waits;
		}
		w = next;
	}
}

static void sync_begin(struct store_syncer *y);

struct checkpoint_job {
	struct worker_job job; /* first */
	struct store_syncer *y;
	sqlite3 **conn; /* the thread's */
	char path[PATH_MAX];
	int r;
};

static void checkpoint_run(struct worker_job *job)
{
	struct checkpoint_job *j = (struct checkpoint_job *)job;
	j->r = store_checkpoint_path(j->path, j->conn);
}

static void checkpoint_done(struct worker_job *job)
{
	struct checkpoint_job *j = (struct checkpoint_job *)job;
	struct store_syncer *y = j->y;
	y->checkpointing = false;
	y->checkpoints++;
	if (j->r < 0)
		log_warn("store: checkpoint failed: %s", strerror(-j->r));
	free(j);
}

/* After a sync, when the log has grown: past STORE_CHECKPOINT_PAGES at
 * the last commit that counted them, or by STORE_CHECKPOINT_WRITES rows
 * (a statement that returns rows commits without SQLite counting). */
static void checkpoint_begin(struct store_syncer *y)
{
	uint64_t writes = store_writes(y->store);
	if (y->checkpointing || y->stopping ||
	    (store_wal_pages(y->store) < STORE_CHECKPOINT_PAGES &&
	     writes - y->checkpoint_writes < STORE_CHECKPOINT_WRITES))
		return;
	if (!y->checkpointer && worker_new(y->loop, 1, WORKER_NICE, &y->checkpointer) < 0) {
		y->checkpointer = NULL;
		return;
	}
	struct checkpoint_job *j = calloc(1, sizeof(*j));
	if (!j)
		return;
	*j = (struct checkpoint_job){ .job = { .run = checkpoint_run, .done = checkpoint_done }, .y = y,
				      .conn = &y->checkpoint_conn };
	snprintf(j->path, sizeof(j->path), "%s", store_path(y->store));
	if (worker_submit(y->checkpointer, &j->job) < 0) {
		free(j);
		return;
	}
	y->checkpointing = true;
	y->checkpoint_writes = writes;
}

static void sync_run(struct worker_job *job)
{
	struct sync_job *j = (struct sync_job *)job;
	j->r = j->fail ? -EIO : store_sync_path(j->wal);
}

static void sync_finished(struct store_syncer *y, uint64_t writes, int r)
{
	y->busy = false;
	y->syncs++;
	if (r == 0 && writes > y->synced)
		y->synced = writes;
	if (r < 0) {
		log_err("store: cannot write the log to disk: %s", strerror(-r));
		y->failed_upto = writes;
	}
	answer_waits(y, r < 0 ? writes : 0, r);
	if (y->waits)
		sync_begin(y); /* those who came while this one ran */
	if (r == 0)
		checkpoint_begin(y);
}

static void sync_done(struct worker_job *job)
{
	struct sync_job *j = (struct sync_job *)job;
	sync_finished(j->y, j->writes, j->r);
	free(j);
}

/* Begins a sync of everything committed so far. Not inside a
 * transaction: store_writes would count what is not committed yet. */
static void sync_begin(struct store_syncer *y)
{
	if (y->busy || y->stopping || store_in_transaction(y->store))
		return;
	struct sync_job *j = calloc(1, sizeof(*j));
	if (!j)
		return; /* the next iteration tries again */
	j->job = (struct worker_job){ .run = sync_run, .done = sync_done };
	j->y = y;
	j->writes = store_writes(y->store);
	j->fail = y->fail;
	snprintf(j->wal, sizeof(j->wal), "%s", store_wal_path(y->store));
	if (worker_submit(y->worker, &j->job) < 0) {
		free(j);
		return;
	}
	y->busy = true;
}

static int64_t on_tick(struct loop *l, void *data)
{
	struct store_syncer *y = data;
	uint64_t now = store_writes(y->store);
	/* New writes, or someone waiting; a failed sync is retried for
	 * those, not for itself alone. */
	if (now > y->synced && (now > y->failed_upto || y->waits))
		sync_begin(y);
	return -1;
}

int store_syncer_new(struct loop *l, struct store *s, struct store_syncer **ret)
{
	struct store_syncer *y = calloc(1, sizeof(*y));
	if (!y)
		return -ENOMEM;
	*y = (struct store_syncer){ .loop = l, .store = s, .synced = store_writes(s), .failed_upto = store_writes(s),
				 .checkpoint_writes = store_writes(s) };
	/* At the loop's niceness: a sync is a wait on the disk, and its
	 * answer is what the writers wait for. */
	int r = worker_new(l, SYNCS_IN_FLIGHT, 0, &y->worker);
	if (r == 0)
		r = loop_add_tick(l, on_tick, y);
	if (r < 0) {
		worker_free(y->worker);
		free(y);
		return r;
	}
	*ret = y;
	return 0;
}

void store_syncer_free(struct store_syncer *y)
{
	if (!y)
		return;
	loop_remove_tick(y->loop, on_tick, y);
	y->stopping = true;
	worker_free(y->worker); /* the sync in flight finishes: sync_done */
	worker_free(y->checkpointer);
	sqlite3_close(y->checkpoint_conn);
	/* The last sync, here: it covers every wait (none can be past it). */
	uint64_t now = store_writes(y->store);
	if (now > y->synced || y->waits)
		sync_finished(y, now, store_in_transaction(y->store) ? -EBUSY : store_sync(y->store));
	free(y);
}

bool store_syncer_covers(const struct store_syncer *y, uint64_t writes)
{
	return writes <= y->synced;
}

void store_syncer_wait(struct store_syncer *y, struct store_sync_wait *w)
{
	w->prev = NULL;
	w->next = y->waits;
	if (y->waits)
		y->waits->prev = w;
	y->waits = w;
	w->queued = true;
	sync_begin(y);
}

void store_syncer_cancel(struct store_syncer *y, struct store_sync_wait *w)
{
	if (w->queued)
		unlink_wait(y, w);
}

void store_syncer_fail_for_test(struct store_syncer *y)
{
	y->fail = true;
}

unsigned long store_syncer_syncs(const struct store_syncer *y)
{
	return y->syncs;
}

unsigned long store_syncer_checkpoints(const struct store_syncer *y)
{
	return y->checkpoints;
}
