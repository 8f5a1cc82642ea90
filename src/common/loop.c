/* epoll-based event loop. */
#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "banned.h"

#define LOOP_MAX_TICKS 8
#define LOOP_MAX_EVENTS 64

struct loop_source {
	int fd;
	bool owns_fd;
	bool dead;
	loop_fd_cb cb;
	void *data;
	struct loop_source *next_dead;
	struct loop_source *prev, *next; /* all live sources */
};

struct loop_tick {
	loop_tick_cb cb;
	void *data;
};

struct loop {
	int epfd;
	bool quit;
	bool dispatching;
	struct loop_source *dead; /* removed during dispatch, freed after it */
	struct loop_source *sources;
	struct loop_tick ticks[LOOP_MAX_TICKS];
	unsigned n_ticks;
};

uint64_t loop_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int loop_new(struct loop **ret_loop)
{
	struct loop *l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		int r = -errno;
		free(l);
		return r;
	}
	*ret_loop = l;
	return 0;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	while (l->sources)
		loop_remove(l, l->sources);
	close(l->epfd);
	free(l);
}

static int loop_add_source(struct loop *l, int fd, bool owns_fd, uint32_t events,
			   loop_fd_cb cb, void *data, struct loop_source **ret_source)
{
	struct loop_source *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	*s = (struct loop_source){ .fd = fd, .owns_fd = owns_fd, .cb = cb, .data = data };
	struct epoll_event ev = { .events = events, .data.ptr = s };
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int r = -errno;
		free(s);
		return r;
	}
	s->next = l->sources;
	if (l->sources)
		l->sources->prev = s;
	l->sources = s;
	if (ret_source)
		*ret_source = s;
	return 0;
}

int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_cb cb, void *data,
		struct loop_source **ret_source)
{
	return loop_add_source(l, fd, false, events, cb, data, ret_source);
}

void loop_remove(struct loop *l, struct loop_source *s)
{
	if (!s || s->dead)
		return;
	if (s->prev)
		s->prev->next = s->next;
	else
		l->sources = s->next;
	if (s->next)
		s->next->prev = s->prev;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, s->fd, NULL);
	if (s->owns_fd)
		close(s->fd);
	s->dead = true;
	if (l->dispatching) {
		/* Later events of this batch may still point at it. */
		s->next_dead = l->dead;
		l->dead = s;
		return;
	}
	free(s);
}

static void loop_free_dead(struct loop *l)
{
	while (l->dead) {
		struct loop_source *s = l->dead;
		l->dead = s->next_dead;
		free(s);
	}
}

int loop_add_timer(struct loop *l, uint64_t interval_ms, loop_fd_cb cb, void *data,
		   struct loop_source **ret_source)
{
	_cleanup_close_ int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct timespec t = { .tv_sec = (time_t)(interval_ms / 1000),
			      .tv_nsec = (long)(interval_ms % 1000) * 1000000L };
	struct itimerspec its = { .it_interval = t, .it_value = t };
	if (timerfd_settime(fd, 0, &its, NULL) < 0)
		return -errno;
	int r = loop_add_source(l, fd, true, EPOLLIN, cb, data, ret_source);
	if (r < 0)
		return r;
	TAKE_FD(fd);
	return 0;
}

int loop_add_tick(struct loop *l, loop_tick_cb cb, void *data)
{
	if (l->n_ticks >= LOOP_MAX_TICKS)
		return -ENOSPC;
	l->ticks[l->n_ticks++] = (struct loop_tick){ .cb = cb, .data = data };
	return 0;
}

void loop_remove_tick(struct loop *l, loop_tick_cb cb, void *data)
{
	for (unsigned i = 0; i < l->n_ticks; i++) {
		if (l->ticks[i].cb == cb && l->ticks[i].data == data) {
			memmove(&l->ticks[i], &l->ticks[i + 1], (l->n_ticks - i - 1) * sizeof(l->ticks[0]));
			l->n_ticks--;
			return;
		}
	}
}

void loop_quit(struct loop *l) { l->quit = true; }
bool loop_quitting(const struct loop *l) { return l->quit; }

int loop_run(struct loop *l)
{
	int timeout = -1;
	while (!l->quit) {
		struct epoll_event evs[LOOP_MAX_EVENTS];
		int n = epoll_wait(l->epfd, evs, LOOP_MAX_EVENTS, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		l->dispatching = true;
		for (int i = 0; i < n; i++) {
			struct loop_source *s = evs[i].data.ptr;
			if (!s->dead)
				s->cb(l, s->fd, evs[i].events, s->data);
		}
		l->dispatching = false;
		loop_free_dead(l);
		timeout = -1;
		for (unsigned i = 0; i < l->n_ticks; i++) {
			int64_t want = l->ticks[i].cb(l, l->ticks[i].data);
			if (want >= 0 && (timeout < 0 || want < timeout))
				timeout = want > 60000 ? 60000 : (int)want;
		}
	}
	return 0;
}
