/* argon2id in a process of its own. Each hash maps 64 MiB of working
 * memory and unmaps it after; done in picd, the unmapping holds the lock
 * on picd's memory map — every thread's brk and mmap waits for it, the
 * loop's too — and the TLB shootdowns interrupt the core the loop runs on.
 * A helper (picd itself, executed again as `picd --hasher`, behind a
 * socketpair) has a memory map of its own, and a session whose autogroup
 * runs at the niceness of the worker that started it: behind the loop
 * and the daemons.
 *
 * Used from one worker thread only, one job at a time (common/worker.h):
 * the thread owns the helper, starts it at the first job and again after
 * it died; if it cannot run at all, the job runs in the thread as before. */
#pragma once

struct auth_hasher;
struct auth_pw_work;

#define AUTH_HASHER_ARG "--hasher"
/* The helper's end of the socketpair, in the helper. */
#define AUTH_HASHER_FD 3

int auth_hasher_new(struct auth_hasher **ret);
/* Stops the helper (after the worker thread is joined). NULL is a no-op. */
void auth_hasher_free(struct auth_hasher *h);

/* In the worker thread: `w` computed by the helper. 0, or -errno when no
 * helper could do it (the caller computes it itself). */
int auth_hasher_run(struct auth_hasher *h, struct auth_pw_work *w);

/* The helper's main: answers jobs on `fd` until it closes. */
int auth_hasher_main(int fd);
