/* One worker thread for work too slow for the loop (argon2id), fed by a
 * queue with no shared mutable state: a job is a caller's struct that
 * starts with `struct worker_job`; submitting hands the pointer to the
 * thread through a pipe, and the thread hands it back through another
 * pipe the loop watches. Between the two hand-overs only the thread
 * touches the job; before and after, only the loop. A job's `run` must
 * use nothing but the job's own memory (inputs copied in, results written
 * into the job) and functions safe to call from another thread.
 *
 * Jobs run one at a time in submission order. At most `max_jobs` are
 * queued or running; past that worker_submit refuses (the caller decides
 * what to answer).
 *
 * The thread runs at the niceness it is given (WORKER_NICE for work in
 * the background), and so do the processes it starts: on a small machine
 * the loop, which answers everyone, gets the CPU first. */
#pragma once

struct loop;
struct worker;
struct worker_job;

/* In the worker thread. */
typedef void (*worker_run_fn)(struct worker_job *job);
/* In the loop, once per submitted job, after `run`. Owns the job: frees
 * it. Also called from worker_free for jobs still in flight then (with
 * `run` done), so a job is never leaked. */
typedef void (*worker_done_fn)(struct worker_job *job);

struct worker_job {
	worker_run_fn run;
	worker_done_fn done;
};

/* Below the loop, above nothing: the loop wins a contended CPU by ~9 to 1
 * (the kernel's weights for nice 0 and 10), and the work still runs
 * whenever a CPU is free. */
#define WORKER_NICE 10

/* `nice`: the thread's niceness (0: the loop's). */
int worker_new(struct loop *l, unsigned max_jobs, int nice, struct worker **ret);
/* Stops taking jobs, lets the thread finish the ones queued, joins it and
 * calls their `done`. NULL is a no-op. */
void worker_free(struct worker *w);

/* Queues `job` (which must set run and done). 0: `done` will be called;
 * -EBUSY: max_jobs are in flight, -EPIPE: the worker is gone; on error the
 * caller keeps the job. */
int worker_submit(struct worker *w, struct worker_job *job);
/* Jobs queued or running. */
unsigned worker_in_flight(const struct worker *w);
