/* Group commit: a wait is answered in the loop, never inside
 * store_syncer_wait, once a sync that began after its writes is done;
 * waits that come while a sync runs share the next one; a cancelled wait
 * is never answered; a sync never begins inside a transaction (it would
 * claim writes not committed yet); the syncer syncs on its own after an
 * iteration that wrote; commits never checkpoint, the syncer's thread
 * does once the log is long; store_syncer_free answers what is left. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/loop.h"
#include "store/store.h"
#include "store/store_syncer.h"
#include "store_fixture.h"
#include "common/banned.h"

struct waiter {
	struct store_sync_wait w; /* first */
	struct loop *loop;
	int calls, r;
	bool quit;
};

static void on_ready(struct store_sync_wait *w, int r)
{
	struct waiter *x = (struct waiter *)w;
	x->calls++;
	x->r = r;
	if (x->quit)
		loop_quit(x->loop);
}

/* Wakes the loop, so that its ticks run, as requests do in picd. */
static void on_timer(struct loop *l, int fd, uint32_t events, void *data)
{
	uint64_t n;
	ssize_t ignored = read(fd, &n, sizeof(n));
	(void)ignored;
}

static void write_one(struct store *s, const char *name)
{
	assert_true(store_fixture_user(s, name) > 0);
}

static void test_wait_is_answered_after_a_sync(void **state)
{
	struct store_fixture *f = *state;
	struct loop *l;
	struct store_syncer *y;
	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(store_syncer_new(l, f->s, &y), 0);
	assert_true(store_syncer_covers(y, store_writes(f->s)));

	write_one(f->s, "alice");
	uint64_t writes = store_writes(f->s);
	assert_false(store_syncer_covers(y, writes));
	struct waiter x = { .w = { .writes = writes, .ready = on_ready }, .loop = l, .r = 1, .quit = true };
	store_syncer_wait(y, &x.w);
	assert_int_equal(x.calls, 0); /* never inside the call */
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(x.calls, 1);
	assert_int_equal(x.r, 0);
	assert_true(store_syncer_covers(y, writes));
	assert_false(x.w.queued);

	store_syncer_free(y);
	assert_int_equal(x.calls, 1);
	loop_free(l);
}

static void test_waits_share_syncs(void **state)
{
	struct store_fixture *f = *state;
	struct loop *l;
	struct store_syncer *y;
	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(store_syncer_new(l, f->s, &y), 0);
	enum { N = 12 };
	struct waiter x[N];
	for (int i = 0; i < N; i++) {
		char name[16];
		snprintf(name, sizeof(name), "user%d", i);
		write_one(f->s, name);
		x[i] = (struct waiter){ .w = { .writes = store_writes(f->s), .ready = on_ready }, .loop = l };
		store_syncer_wait(y, &x[i].w);
	}
	x[N - 1].quit = true; /* the last is answered last (or with the others) */
	assert_int_equal(loop_run(l), 0);
	for (int i = 0; i < N; i++) {
		assert_int_equal(x[i].calls, 1);
		assert_int_equal(x[i].r, 0);
	}
	/* One began with the first wait; the other eleven came while it ran
	 * and shared the one after it. */
	assert_true(store_syncer_syncs(y) <= 2);
	store_syncer_free(y);
	loop_free(l);
}

static void test_cancelled_wait_is_not_answered(void **state)
{
	struct store_fixture *f = *state;
	struct loop *l;
	struct store_syncer *y;
	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(store_syncer_new(l, f->s, &y), 0);
	write_one(f->s, "bob");
	struct waiter gone = { .w = { .writes = store_writes(f->s), .ready = on_ready }, .loop = l };
	struct waiter kept = { .w = { .writes = store_writes(f->s), .ready = on_ready }, .loop = l, .quit = true };
	store_syncer_wait(y, &gone.w);
	store_syncer_wait(y, &kept.w);
	store_syncer_cancel(y, &gone.w);
	assert_false(gone.w.queued);
	store_syncer_cancel(y, &gone.w); /* twice is harmless */
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(kept.calls, 1);
	assert_int_equal(gone.calls, 0);
	store_syncer_free(y);
	assert_int_equal(gone.calls, 0);
	loop_free(l);
}

struct open_txn {
	struct store *s;
	struct waiter *x;
	int iterations;
};

/* Twenty iterations of the loop with the transaction open — nobody may
 * be answered: no sync may claim the write — then the commit. */
static int64_t commit_later(struct loop *l, void *data)
{
	struct open_txn *t = data;
	if (++t->iterations == 20) {
		assert_int_equal(t->x->calls, 0);
		assert_int_equal(store_commit(t->s), 0);
	}
	return -1;
}

static void test_no_sync_covers_an_open_transaction(void **state)
{
	struct store_fixture *f = *state;
	struct loop *l;
	struct store_syncer *y;
	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(store_syncer_new(l, f->s, &y), 0);
	assert_int_equal(store_begin(f->s), 0);
	write_one(f->s, "carol");
	struct waiter x = { .w = { .writes = store_writes(f->s), .ready = on_ready }, .loop = l, .quit = true };
	store_syncer_wait(y, &x.w);
	struct open_txn t = { .s = f->s, .x = &x };
	assert_int_equal(loop_add_tick(l, commit_later, &t), 0);
	assert_int_equal(loop_add_timer(l, 1, on_timer, NULL, NULL), 0);
	assert_int_equal(loop_run(l), 0);
	assert_true(t.iterations > 20);
	assert_int_equal(x.calls, 1);
	assert_int_equal(x.r, 0);
	loop_remove_tick(l, commit_later, &t);
	store_syncer_free(y);
	loop_free(l);
}

static int64_t quit_when_synced(struct loop *l, void *data)
{
	struct store_syncer *y = data;
	if (store_syncer_syncs(y) > 0)
		loop_quit(l);
	return 1;
}

static void test_syncs_on_its_own(void **state)
{
	struct store_fixture *f = *state;
	struct loop *l;
	struct store_syncer *y;
	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(store_syncer_new(l, f->s, &y), 0);
	assert_int_equal(loop_add_tick(l, quit_when_synced, y), 0);
	assert_int_equal(loop_add_timer(l, 1, on_timer, NULL, NULL), 0);
	write_one(f->s, "dave"); /* nobody waits for it */
	assert_int_equal(loop_run(l), 0);
	assert_true(store_syncer_covers(y, store_writes(f->s)));
	loop_remove_tick(l, quit_when_synced, y);
	store_syncer_free(y);
	loop_free(l);
}

static int64_t quit_when_checkpointed(struct loop *l, void *data)
{
	struct store_syncer *y = data;
	if (store_syncer_checkpoints(y) > 0)
		loop_quit(l);
	return 1;
}

static void test_checkpoints_in_its_thread_not_in_commits(void **state)
{
	struct store_fixture *f = *state;
	/* Commits alone never checkpoint: the log keeps growing. */
	for (int i = 0; store_wal_pages(f->s) < STORE_CHECKPOINT_PAGES; i++) {
		assert_true(i < 20000);
		char name[24];
		snprintf(name, sizeof(name), "many%d", i);
		assert_int_equal(store_begin(f->s), 0);
		write_one(f->s, name);
		assert_int_equal(store_commit(f->s), 0);
	}
	struct loop *l;
	struct store_syncer *y;
	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(store_syncer_new(l, f->s, &y), 0);
	assert_int_equal(loop_add_tick(l, quit_when_checkpointed, y), 0);
	assert_int_equal(loop_add_timer(l, 1, on_timer, NULL, NULL), 0);
	write_one(f->s, "last");
	assert_int_equal(loop_run(l), 0);
	/* Done whole: the next commit starts the log from its beginning. */
	assert_int_equal(store_begin(f->s), 0);
	write_one(f->s, "after");
	assert_int_equal(store_commit(f->s), 0);
	assert_true(store_wal_pages(f->s) < 10);
	loop_remove_tick(l, quit_when_checkpointed, y);
	store_syncer_free(y);
	loop_free(l);
}

static void test_free_answers_what_is_left(void **state)
{
	struct store_fixture *f = *state;
	struct loop *l;
	struct store_syncer *y;
	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(store_syncer_new(l, f->s, &y), 0);
	write_one(f->s, "erin");
	struct waiter x = { .w = { .writes = store_writes(f->s), .ready = on_ready }, .loop = l };
	store_syncer_wait(y, &x.w);
	store_syncer_free(y); /* without the loop ever running */
	assert_int_equal(x.calls, 1);
	assert_int_equal(x.r, 0);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_wait_is_answered_after_a_sync, store_fixture_setup,
						store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_waits_share_syncs, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cancelled_wait_is_not_answered, store_fixture_setup,
						store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_no_sync_covers_an_open_transaction, store_fixture_setup,
						store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_syncs_on_its_own, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_checkpoints_in_its_thread_not_in_commits, store_fixture_setup,
						store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_free_answers_what_is_left, store_fixture_setup,
						store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
