/* The worker thread and its two pipes (see worker.h). Each pipe carries
 * job pointers, one write() of sizeof(pointer) bytes each: writes that
 * small are atomic on a pipe, and the pipe's capacity (64 KiB, 8,192
 * pointers) is far above any max_jobs, so the loop's writes never block.
 * The pipe's write and read order the memory accesses on either side
 * (the kernel's locking), which is all the hand-over needs. */
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "banned.h"

struct worker {
	struct loop *loop;
	struct loop_source *source;
	pthread_t thread;
	bool started;
	int to_thread[2];   /* [1] the loop writes, [0] the thread reads */
	int from_thread[2]; /* [1] the thread writes, [0] the loop reads */
	struct thread_args {
		int in, out, nice;
	} args;             /* the thread's copy: to_thread[0], from_thread[1]; never changed */
	unsigned max_jobs, in_flight;
};

static int write_ptr(int fd, struct worker_job *job)
{
	for (;;) {
		ssize_t n = write(fd, &job, sizeof(job));
		if (n == (ssize_t)sizeof(job))
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 ? -errno : -EIO;
	}
}

/* 1 and *ret_job, 0 at end of file (or EAGAIN), -errno. */
static int read_ptr(int fd, struct worker_job **ret_job)
{
	for (;;) {
		struct worker_job *job;
		ssize_t n = read(fd, &job, sizeof(job));
		if (n == (ssize_t)sizeof(job)) {
			*ret_job = job;
			return 1;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (n < 0 && errno == EAGAIN))
			return 0;
		return n < 0 ? -errno : -EIO;
	}
}

static void *thread_main(void *arg)
{
	/* Only its arguments, written before the thread started. */
	const struct thread_args *args = arg;
	int in = args->in, out = args->out;
	/* This thread only (Linux: a thread is a process to setpriority);
	 * what it starts inherits the niceness. If refused, it runs at the
	 * loop's. */
	if (args->nice != 0 && setpriority(PRIO_PROCESS, (id_t)gettid(), args->nice) < 0)
		log_warn("worker: cannot lower its priority: %s", strerror(errno));
	struct worker_job *job;
	while (read_ptr(in, &job) == 1) {
		job->run(job);
		if (write_ptr(out, job) < 0)
			break;
	}
	return NULL;
}

static void finish(struct worker *w, struct worker_job *job)
{
	w->in_flight--;
	job->done(job);
}

static void on_done(struct loop *l, int fd, uint32_t events, void *data)
{
	struct worker *w = data;
	struct worker_job *job;
	while (read_ptr(fd, &job) == 1)
		finish(w, job);
}

int worker_new(struct loop *l, unsigned max_jobs, int nice, struct worker **ret)
{
	struct worker *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	*w = (struct worker){ .loop = l, .max_jobs = max_jobs,
			      .to_thread = { -1, -1 }, .from_thread = { -1, -1 } };
	int r = 0;
	/* Only the loop's end is non-blocking: the thread blocks for work. */
	if (pipe2(w->to_thread, O_CLOEXEC) < 0 || pipe2(w->from_thread, O_CLOEXEC) < 0 ||
	    fcntl(w->from_thread[0], F_SETFL, O_NONBLOCK) < 0)
		r = -errno;
	if (r == 0)
		r = loop_add_fd(l, w->from_thread[0], EPOLLIN, on_done, w, &w->source);
	if (r == 0) {
		/* The thread gets no signals: the loop's signalfd takes them. */
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		w->args = (struct thread_args){ .in = w->to_thread[0], .out = w->from_thread[1], .nice = nice };
		r = -pthread_create(&w->thread, NULL, thread_main, &w->args);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		w->started = r == 0;
	}
	if (r < 0) {
		worker_free(w);
		return r;
	}
	*ret = w;
	return 0;
}

int worker_submit(struct worker *w, struct worker_job *job)
{
	if (!w || !w->started)
		return -EPIPE;
	if (w->in_flight >= w->max_jobs)
		return -EBUSY;
	int r = write_ptr(w->to_thread[1], job);
	if (r < 0)
		return r;
	w->in_flight++;
	return 0;
}

unsigned worker_in_flight(const struct worker *w)
{
	return w ? w->in_flight : 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void worker_free(struct worker *w)
{
	if (!w)
		return;
	/* End of file tells the thread to stop once the queue is empty. */
	close_fd(&w->to_thread[1]);
	if (w->started) {
		pthread_join(w->thread, NULL);
		/* Everything the thread finished is in the pipe now. */
		struct worker_job *job;
		while (w->in_flight && read_ptr(w->from_thread[0], &job) == 1)
			finish(w, job);
	}
	loop_remove(w->loop, w->source);
	close_fd(&w->to_thread[0]);
	close_fd(&w->from_thread[0]);
	close_fd(&w->from_thread[1]);
	free(w);
}
