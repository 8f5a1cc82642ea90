/* Process creation for services and checkers (see priv_spawn.h). */
#include "priv_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/loop.h"
#include "common/banned.h"

static int pidfd_open_compat(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* In the child, before exec. The child shares picd's memory (see
 * fork_child): only async-signal-safe calls, nothing that allocates or
 * takes a lock, and nothing written outside its own stack but errno (the
 * waiting thread's). On failure it writes a short reason to its log and
 * exits 127. */
static void child_fail(const char *what)
{
	char msg[160];
	const char *why = strerrordesc_np(errno); /* no locale, no allocation */
	int n = snprintf(msg, sizeof(msg), "picd: cannot start service: %s: %s\n", what, why ? why : "unknown error");
	if (n > 0) {
		ssize_t ignored = write(STDERR_FILENO, msg, (size_t)n);
		(void)ignored;
	}
	_exit(127);
}

static void child_setup_mounts(const char *svc_dir, const char *run_link)
{
	if (unshare(CLONE_NEWNS) < 0)
		child_fail("unshare(mount)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		child_fail("make / private");
	if (mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=16m") < 0)
		child_fail("tmpfs on /run");
	if (mkdir(SVC_ROOT, 0755) < 0)
		child_fail("mkdir " SVC_ROOT);
	/* Before /tmp is covered: the service directory may live under it. */
	if (svc_dir && mount(svc_dir, SVC_ROOT, NULL, MS_BIND, NULL) < 0)
		child_fail("bind-mount the service directory");
	if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=64m") < 0)
		child_fail("tmpfs on /tmp");
	if (run_link) {
		char target[PATH_MAX], link[PATH_MAX];
		int a = snprintf(target, sizeof(target), SVC_ROOT "/%s", run_link);
		int b = snprintf(link, sizeof(link), "/run/%s", run_link);
		if (a < 0 || b < 0 || (size_t)a >= sizeof(target) || (size_t)b >= sizeof(link) ||
		    symlink(target, link) < 0)
			child_fail("symlink in /run");
	}
}

void priv_keep_background_priority(void)
{
	errno = 0;
	int nice = getpriority(PRIO_PROCESS, 0);
	if (errno || nice <= 0)
		return;
	int fd = open("/proc/self/autogroup", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	char text[16];
	int n = snprintf(text, sizeof(text), "%d\n", nice);
	if (n > 0) {
		ssize_t ignored = write(fd, text, (size_t)n);
		(void)ignored;
	}
	close(fd);
}

/* `out_fd` receives stderr, and stdout too unless `stdout_fd` >= 0. */
static void child_exec(const struct spawn_spec *spec, int out_fd, int stdout_fd, int netns_fd)
{
	if (spec->capture_stdout && stdout_fd >= 0) {
		int t = out_fd;
		out_fd = stdout_fd;
		stdout_fd = t;
		/* now: stderr → the dropped stream, stdout → the captured one */
	}
	setsid();
	priv_keep_background_priority();
	/* Dispositions first, then the mask: no handler of picd's may run
	 * here, on memory the child shares with it. */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
	    dup2(stdout_fd >= 0 ? stdout_fd : out_fd, STDOUT_FILENO) < 0 ||
	    dup2(out_fd, STDERR_FILENO) < 0)
		_exit(127);

	child_setup_mounts(spec->svc_dir, spec->run_link);
	if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) < 0)
		child_fail("enter the network namespace");
	if (chdir("/") < 0)
		child_fail("chdir /");
	close_range(3, ~0U, 0);

	/* A clean environment: PATH, LANG and what the service declares. */
	const char *envp[16] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8" };
	size_t n = 2;
	for (size_t i = 0; spec->env && spec->env[i] && n < sizeof(envp) / sizeof(envp[0]) - 1; i++)
		envp[n++] = spec->env[i];
	envp[n] = NULL;
	execve(spec->argv[0], (char *const *)spec->argv, (char *const *)envp);
	child_fail(spec->argv[0]);
}

static int open_output(const struct spawn_spec *spec, int *ret_fd)
{
	int fd = spec->log_path
			 ? open(spec->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600)
			 : open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	*ret_fd = fd;
	return 0;
}

struct child_args {
	const struct spawn_spec *spec;
	int out_fd, stdout_fd, netns_fd;
};

static int child_main(void *arg)
{
	const struct child_args *a = arg;
	child_exec(a->spec, a->out_fd, a->stdout_fd, a->netns_fd);
	return 127;
}

/* The child's stack while it shares picd's memory; plenty for
 * child_exec's two paths and its message buffers. */
#define CHILD_STACK_BYTES (256u * 1024u)

/* clone(CLONE_VM | CLONE_VFORK), as posix_spawn does, not fork(): the
 * child runs on picd's memory until its execve, and the calling thread
 * waits for that. A fork would copy the page tables of every mapping
 * (argon2id's 64 MiB among them, while a login hashes) and mark them
 * copy-on-write, so that afterwards each thread's first write to each
 * page faults and flushes the other cores' TLBs: milliseconds taken from
 * the loop for every checker a worker thread starts. */
static int fork_child(const struct spawn_spec *spec, int out_fd, int stdout_fd, pid_t *ret_pid)
{
	if (!spec->argv || !spec->argv[0] || spec->argv[0][0] != '/')
		return -EINVAL;
	_cleanup_close_ int netns_fd = -1;
	if (spec->netns_path) {
		netns_fd = open(spec->netns_path, O_RDONLY | O_CLOEXEC);
		if (netns_fd < 0)
			return -errno;
	}
	void *stack = mmap(NULL, CHILD_STACK_BYTES, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return -errno;
	struct child_args args = { spec, out_fd, stdout_fd, netns_fd };
	pid_t pid = clone(child_main, (char *)stack + CHILD_STACK_BYTES, CLONE_VM | CLONE_VFORK | SIGCHLD, &args);
	int saved = errno;
	munmap(stack, CHILD_STACK_BYTES);
	if (pid < 0)
		return -saved;
	*ret_pid = pid;
	return 0;
}

int priv_spawn(const struct spawn_spec *spec, pid_t *ret_pid, int *ret_pidfd)
{
	_cleanup_close_ int out_fd = -1;
	int r = open_output(spec, &out_fd);
	if (r < 0)
		return r;
	pid_t pid;
	r = fork_child(spec, out_fd, -1, &pid);
	if (r < 0)
		return r;
	int pidfd = pidfd_open_compat(pid);
	if (pidfd < 0) {
		r = -errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return r;
	}
	*ret_pid = pid;
	*ret_pidfd = pidfd;
	return 0;
}

int priv_run(const struct spawn_spec *spec, unsigned timeout_ms, char *out, size_t outlen)
{
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	_cleanup_close_ int rd = pipefd[0];
	_cleanup_close_ int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	pid_t pid;
	int r = null_fd < 0 ? -errno : fork_child(spec, pipefd[1], null_fd, &pid);
	close(pipefd[1]);
	if (r < 0)
		return r;

	size_t used = 0;
	uint64_t deadline = loop_now_ms() + timeout_ms;
	bool timed_out = false;
	for (;;) {
		uint64_t now = loop_now_ms();
		if (now >= deadline) {
			timed_out = true;
			break;
		}
		struct pollfd p = { .fd = rd, .events = POLLIN };
		int n = poll(&p, 1, (int)(deadline - now));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			continue;
		char chunk[512];
		ssize_t got = read(rd, chunk, sizeof(chunk));
		if (got <= 0)
			break; /* EOF: the child closed its output */
		size_t keep = (size_t)got;
		if (outlen && keep > outlen - 1 - used)
			keep = outlen - 1 - used;
		memcpy(out + used, chunk, keep);
		used += keep;
	}
	if (outlen)
		out[used] = '\0';
	if (timed_out)
		kill(pid, SIGKILL);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (timed_out)
		return -ETIMEDOUT;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
