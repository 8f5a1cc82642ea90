/* Test helpers for tests that run daemons or stand-ins for them. */
#pragma once

#include <sys/types.h>

/* SIGTERM, up to 3 s for it to exit, then SIGKILL; reaps it and sets
 * *pid to -1. Nothing when *pid <= 0. */
void child_stop(pid_t *pid);

/* A listening unix socket at `path` (any file there is removed first),
 * close-on-exec; -errno on failure. */
int unix_listen(const char *path);

struct buf;
/* Runs `path` with `argv` and `envp`, stdin from /dev/null, and appends
 * its standard output to `out`: its exit status, or -1 if it did not
 * exit normally. */
int child_output(const char *path, char *const argv[], char *const envp[], struct buf *out);

/* CLOCK_MONOTONIC in milliseconds, for the timings tests print. */
double now_ms(void);
