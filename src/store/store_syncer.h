/* Group commit: the store's commits (store.h: written to the log, not
 * waited for) reach the disk off the loop. One sync at a time runs in a
 * thread of its own; a sync covers every commit made before it began, so
 * the commits made while one runs share the next. After each loop
 * iteration that wrote, a sync begins if none is running: every commit is
 * on disk a sync or two after it was made, whoever made it. Once the log
 * has grown long, a checkpoint follows in a second thread (store.h: the
 * commits in the loop make none).
 *
 * Whoever must not speak before a write is durable — the HTTP server,
 * before it answers a request that wrote — waits for it here: `ready`
 * runs in the loop once a sync covering `writes` is done. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct loop;
struct store;
struct store_syncer;

struct store_sync_wait;
/* `r`: 0, or the -errno of the sync that failed to cover the wait. */
typedef void (*store_sync_ready_fn)(struct store_sync_wait *w, int r);

/* The caller's memory (embedded in what waits), the syncer's meanwhile. */
struct store_sync_wait {
	uint64_t writes; /* store_writes() once the caller's commit was made */
	store_sync_ready_fn ready;
	/* The syncer's. */
	struct store_sync_wait *prev, *next;
	bool queued;
};

int store_syncer_new(struct loop *l, struct store *s, struct store_syncer **ret);
/* Lets the sync in flight finish, syncs what is left here, and answers
 * every wait (with the last sync's result). NULL is a no-op. */
void store_syncer_free(struct store_syncer *y);

/* True if every write up to `writes` is on disk. */
bool store_syncer_covers(const struct store_syncer *y, uint64_t writes);
/* Queues `w` (writes and ready set); ready runs later, never in here. */
void store_syncer_wait(struct store_syncer *y, struct store_sync_wait *w);
/* Takes back a queued wait: its ready will not run. */
void store_syncer_cancel(struct store_syncer *y, struct store_sync_wait *w);

/* Test-only (picd --test-faults store-sync-fail): every sync from now
 * on fails with -EIO, as a disk that refuses writes would. */
void store_syncer_fail_for_test(struct store_syncer *y);

/* Syncs and checkpoints done so far (for tests). */
unsigned long store_syncer_syncs(const struct store_syncer *y);
unsigned long store_syncer_checkpoints(const struct store_syncer *y);
