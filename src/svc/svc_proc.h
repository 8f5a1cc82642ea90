/* Process identity for adoption: picd records each daemon's pid and
 * kernel start time in a pidfile; a later picd adopts the process only if
 * that pid still runs the same binary, started at the same time, and is
 * not a zombie (orphans whose parent died are not reaped by every PID 1). */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

int svc_proc_write_pidfile(const char *path, pid_t pid);
/* 0 with the pid and its start (wall clock seconds) when the recorded
 * process is alive and is `binary`; -ESRCH otherwise. */
int svc_proc_read_pidfile(const char *path, const char *binary, pid_t *ret_pid, int64_t *ret_started_at);
/* Alive (not a zombie) and running `binary`. */
bool svc_proc_alive(pid_t pid, const char *binary);
/* Opens the network namespace the recorded process runs in (O_CLOEXEC),
 * making sure it is that process's: -ESRCH when it is not alive. */
int svc_proc_open_netns(const char *pid_path, const char *binary, int *ret_fd);
/* SIGTERM, then a connection to 127.0.0.1:`wake_port` in the process's
 * network namespace when it is not 0 (svc_ops.stop_wake_port). */
void svc_proc_terminate(pid_t pid, uint16_t wake_port);
/* Waits until the process behind `pidfd` exits, up to `timeout_ms`; reaps
 * it if it is our child (si_pid is then non-zero). -ETIMEDOUT. */
int svc_proc_wait(int pidfd, unsigned timeout_ms, siginfo_t *ret_si);
