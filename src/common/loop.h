/* The event loop: one epoll set, fd sources with callbacks, periodic
 * timers (timerfd) and "tick" hooks that run once per iteration and may ask
 * for a shorter wait (used to drive libmicrohttpd in external mode).
 * Single-threaded; callbacks must not block. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct loop;
struct loop_source;

typedef void (*loop_fd_cb)(struct loop *l, int fd, uint32_t events, void *data);
/* Runs after every wake-up; returns the longest wait in ms it can
 * tolerate before the next tick, or -1 for no limit. */
typedef int64_t (*loop_tick_cb)(struct loop *l, void *data);

int loop_new(struct loop **ret_loop);
void loop_free(struct loop *l);

int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_cb cb, void *data,
		struct loop_source **ret_source);
void loop_remove(struct loop *l, struct loop_source *s);

/* A periodic timer every `interval_ms`; the callback receives the timerfd.
 * Sources still registered when the loop is freed are removed then. */
int loop_add_timer(struct loop *l, uint64_t interval_ms, loop_fd_cb cb, void *data,
		   struct loop_source **ret_source);

int loop_add_tick(struct loop *l, loop_tick_cb cb, void *data);
void loop_remove_tick(struct loop *l, loop_tick_cb cb, void *data);

/* Runs until loop_quit(); returns 0 or -errno if epoll fails. */
int loop_run(struct loop *l);
void loop_quit(struct loop *l);
bool loop_quitting(const struct loop *l);

/* Monotonic clock in milliseconds. */
uint64_t loop_now_ms(void);
