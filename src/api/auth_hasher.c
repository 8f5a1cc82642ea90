/* argon2id in a helper process (see auth_hasher.h). */
#include "auth_hasher.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "auth.h"
#include "priv/priv_spawn.h"
#include "common/banned.h"

/* A hash takes ~60 ms; a helper that has not answered in this long is
 * stuck, and the job runs in the thread instead. */
#define HASHER_ANSWER_MS 10000

struct auth_hasher {
	pid_t pid; /* 0: not running */
	int fd;    /* picd's end of the socketpair */
};

int auth_hasher_new(struct auth_hasher **ret)
{
	struct auth_hasher *h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->fd = -1;
	*ret = h;
	return 0;
}

static void hasher_stop(struct auth_hasher *h)
{
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
	if (h->pid > 0) {
		kill(h->pid, SIGKILL);
		while (waitpid(h->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	h->pid = 0;
}

void auth_hasher_free(struct auth_hasher *h)
{
	if (!h)
		return;
	hasher_stop(h);
	free(h);
}

/* posix_spawn shares picd's memory until the exec (no copy of its page
 * tables); the helper gets the socket as AUTH_HASHER_FD and nothing else,
 * default signal handling, a session of its own and a clean environment. */
static int hasher_start(struct auth_hasher *h)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	/* Above AUTH_HASHER_FD, so the dup2 below always makes a new fd
	 * (without close-on-exec). */
	int child = fcntl(sv[1], F_DUPFD_CLOEXEC, AUTH_HASHER_FD + 1);
	int r = child < 0 ? -errno : 0;
	close(sv[1]);
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	bool fa_ok = false, attr_ok = false;
	if (r == 0 && (r = -posix_spawn_file_actions_init(&fa)) == 0)
		fa_ok = true;
	if (r == 0)
		r = -posix_spawn_file_actions_adddup2(&fa, child, AUTH_HASHER_FD);
	if (r == 0)
		r = -posix_spawn_file_actions_addclosefrom_np(&fa, AUTH_HASHER_FD + 1);
	if (r == 0 && (r = -posix_spawnattr_init(&attr)) == 0)
		attr_ok = true;
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	if (r == 0)
		r = -posix_spawnattr_setsigmask(&attr, &none);
	if (r == 0)
		r = -posix_spawnattr_setsigdefault(&attr, &all);
	if (r == 0)
		r = -posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSID);
	char *const argv[] = { "picd", AUTH_HASHER_ARG, NULL };
	char *const envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", NULL };
	pid_t pid = 0;
	if (r == 0)
		r = -posix_spawn(&pid, "/proc/self/exe", &fa, &attr, argv, envp);
	if (fa_ok)
		posix_spawn_file_actions_destroy(&fa);
	if (attr_ok)
		posix_spawnattr_destroy(&attr);
	if (child >= 0)
		close(child);
	if (r < 0) {
		close(sv[0]);
		return r;
	}
	h->pid = pid;
	h->fd = sv[0];
	return 0;
}

/* One job there and back: the inputs out, the results in. */
static int exchange(struct auth_hasher *h, struct auth_pw_work *w)
{
	struct auth_pw_work msg = *w;
	msg.job = (struct worker_job){ 0 };
	msg.hasher = NULL;
	ssize_t n = send(h->fd, &msg, sizeof(msg), MSG_NOSIGNAL);
	int r = n == (ssize_t)sizeof(msg) ? 0 : n < 0 ? -errno : -EIO;
	sodium_memzero(&msg, sizeof(msg));
	if (r < 0)
		return r;
	struct pollfd p = { .fd = h->fd, .events = POLLIN };
	int ready;
	while ((ready = poll(&p, 1, HASHER_ANSWER_MS)) < 0 && errno == EINTR)
		;
	if (ready <= 0)
		return ready < 0 ? -errno : -ETIMEDOUT;
	n = recv(h->fd, &msg, sizeof(msg), 0);
	if (n != (ssize_t)sizeof(msg))
		return n < 0 ? -errno : -EIO;
	w->matched = msg.matched;
	w->hash_result = msg.hash_result;
	memcpy(w->new_hash, msg.new_hash, sizeof(w->new_hash));
	w->new_hash[sizeof(w->new_hash) - 1] = '\0';
	sodium_memzero(&msg, sizeof(msg));
	return 0;
}

int auth_hasher_run(struct auth_hasher *h, struct auth_pw_work *w)
{
	/* A helper that died since the last job gets one restart. */
	int r = -ENOENT;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (h->fd < 0 && (r = hasher_start(h)) < 0)
			return r;
		r = exchange(h, w);
		if (r == 0)
			return 0;
		hasher_stop(h);
	}
	return r;
}

int auth_hasher_main(int fd)
{
	/* Gone with the thread that started it, and never a process of its
	 * own once picd is gone. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1)
		return 1;
	prctl(PR_SET_NAME, "picd-hasher");
	/* A session of its own (posix_spawn made it), whose autogroup gets
	 * the helper's niceness — the worker's — so that the scheduler puts
	 * it behind picd's loop and the daemons, not beside them. */
	priv_keep_background_priority();
	if (sodium_init() < 0)
		return 1;
	struct auth_pw_work w;
	for (;;) {
		ssize_t n = recv(fd, &w, sizeof(w), 0);
		if (n == 0)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(w))
			return 1;
		w.hash[sizeof(w.hash) - 1] = '\0';
		w.password[sizeof(w.password) - 1] = '\0';
		w.new_password[sizeof(w.new_password) - 1] = '\0';
		auth_pw_work_compute(&w);
		n = send(fd, &w, sizeof(w), MSG_NOSIGNAL);
		sodium_memzero(&w, sizeof(w));
		if (n != (ssize_t)sizeof(w))
			return 1;
	}
}
