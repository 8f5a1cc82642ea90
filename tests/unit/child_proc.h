/* Test helper: stopping a daemon a test started as its child. */
#pragma once

#include <sys/types.h>

/* SIGTERM, up to 3 s for it to exit, then SIGKILL; reaps it and sets
 * *pid to -1. Nothing when *pid <= 0. */
void child_stop(pid_t *pid);
