/* The worker thread: jobs run off the loop in submission order and come
 * back to the loop's `done` exactly once; past max_jobs a submission is
 * refused and the caller keeps its job; worker_free finishes jobs still
 * in flight and calls their `done`. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/loop.h"
#include "common/worker.h"
#include "common/banned.h"

struct counter {
	struct loop *loop;
	unsigned done, want;
	int order[16];
};

struct test_job {
	struct worker_job job;
	struct counter *c; /* read in the loop only */
	int id;
	int result;        /* written by the thread */
};

static void run_square(struct worker_job *job)
{
	struct test_job *j = (struct test_job *)job;
	usleep(2000);
	j->result = j->id * j->id;
}

static void done_count(struct worker_job *job)
{
	struct test_job *j = (struct test_job *)job;
	struct counter *c = j->c;
	assert_int_equal(j->result, j->id * j->id);
	c->order[c->done++] = j->id;
	free(j);
	if (c->loop && c->done == c->want)
		loop_quit(c->loop);
}

static struct test_job *new_job(struct counter *c, int id)
{
	struct test_job *j = calloc(1, sizeof(*j));
	assert_non_null(j);
	*j = (struct test_job){ .job = { .run = run_square, .done = done_count }, .c = c, .id = id, .result = -1 };
	return j;
}

static void test_jobs_come_back_in_order(void **state)
{
	struct loop *l;
	struct worker *w;
	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(worker_new(l, 8, 0, &w), 0);
	struct counter c = { .loop = l, .want = 5 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(worker_submit(w, &new_job(&c, i + 1)->job), 0);
	assert_int_equal(worker_in_flight(w), 5);
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(c.done, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(c.order[i], i + 1);
	assert_int_equal(worker_in_flight(w), 0);
	worker_free(w);
	loop_free(l);
}

static void test_refuses_past_max(void **state)
{
	struct loop *l;
	struct worker *w;
	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(worker_new(l, 2, 0, &w), 0);
	struct counter c = { .loop = l, .want = 2 };
	assert_int_equal(worker_submit(w, &new_job(&c, 1)->job), 0);
	assert_int_equal(worker_submit(w, &new_job(&c, 2)->job), 0);
	struct test_job *third = new_job(&c, 3);
	assert_int_equal(worker_submit(w, &third->job), -EBUSY);
	free(third); /* still ours */
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(c.done, 2);
	/* Room again (the loop has quit: worker_free collects it). */
	c.loop = NULL;
	assert_int_equal(worker_submit(w, &new_job(&c, 4)->job), 0);
	worker_free(w);
	assert_int_equal(c.done, 3);
	assert_int_equal(c.order[2], 4);
	loop_free(l);
}

static void test_free_finishes_jobs_in_flight(void **state)
{
	struct loop *l;
	struct worker *w;
	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(worker_new(l, 8, 0, &w), 0);
	struct counter c = { .want = 100 };
	for (int i = 0; i < 4; i++)
		assert_int_equal(worker_submit(w, &new_job(&c, i)->job), 0);
	/* No loop run: worker_free waits for the thread and calls done. */
	worker_free(w);
	assert_int_equal(c.done, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(c.order[i], i);
	worker_free(NULL);
	assert_int_equal(worker_submit(NULL, NULL), -EPIPE);
	loop_free(l);
}

struct nice_job {
	struct worker_job job;
	int seen; /* written by the thread */
};

static void run_read_nice(struct worker_job *job)
{
	struct nice_job *j = (struct nice_job *)job;
	errno = 0;
	int n = getpriority(PRIO_PROCESS, (id_t)gettid());
	j->seen = errno ? -100 : n;
}

static void done_quit(struct worker_job *job)
{
	(void)job;
}

/* The thread runs at the niceness it was given; the loop's is its own. */
static void test_runs_at_its_niceness(void **state)
{
	struct loop *l;
	struct worker *w;
	assert_int_equal(loop_new(&l), 0);
	int loop_nice = getpriority(PRIO_PROCESS, (id_t)gettid());
	assert_int_equal(worker_new(l, 2, WORKER_NICE, &w), 0);
	struct nice_job j = { .job = { .run = run_read_nice, .done = done_quit }, .seen = -50 };
	assert_int_equal(worker_submit(w, &j.job), 0);
	worker_free(w);
	assert_int_equal(j.seen, WORKER_NICE);
	assert_int_equal(getpriority(PRIO_PROCESS, (id_t)gettid()), loop_nice);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jobs_come_back_in_order),
		cmocka_unit_test(test_refuses_past_max),
		cmocka_unit_test(test_free_finishes_jobs_in_flight),
		cmocka_unit_test(test_runs_at_its_niceness),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
