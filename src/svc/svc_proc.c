/* /proc checks and pidfiles. */
#include "svc_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/log.h"
#include "common/strparse.h"
#include "net/netns.h"
#include "common/banned.h"

/* State letter and start time (clock ticks after boot) from
 * /proc/<pid>/stat; the command name may contain spaces and ')'. */
static int proc_stat(pid_t pid, char *ret_state, uint64_t *ret_start)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return -EIO;
	*ret_state = p[2];
	/* Fields after the name: state is field 3, starttime field 22. */
	p += 2;
	for (int field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -EIO;
		p++;
	}
	char num[32];
	size_t len = strcspn(p, " ");
	if (len == 0 || len >= sizeof(num))
		return -EIO;
	memcpy(num, p, len);
	num[len] = '\0';
	return parse_u64(num, 0, UINT64_MAX, ret_start);
}

static bool runs_binary(pid_t pid, const char *binary)
{
	char path[64], exe[4096];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	ssize_t n = readlink(path, exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	size_t blen = strlen(binary);
	/* After a package upgrade the link reads "<path> (deleted)". */
	return strncmp(exe, binary, blen) == 0 && (exe[blen] == '\0' || strcmp(exe + blen, " (deleted)") == 0);
}

bool svc_proc_alive(pid_t pid, const char *binary)
{
	char state;
	uint64_t start;
	return proc_stat(pid, &state, &start) == 0 && state != 'Z' && state != 'X' && runs_binary(pid, binary);
}

int svc_proc_write_pidfile(const char *path, pid_t pid)
{
	char state, text[64];
	uint64_t start;
	int r = proc_stat(pid, &state, &start);
	if (r < 0)
		return r;
	int n = snprintf(text, sizeof(text), "%d %" PRIu64 "\n", (int)pid, start);
	return fs_write_atomic(path, text, (size_t)n, 0600);
}

static int64_t boot_time(void)
{
	FILE *f = fopen("/proc/stat", "re");
	if (!f)
		return 0;
	char line[256];
	long long btime = 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %lld", &btime) == 1)
			break;
	fclose(f);
	return btime;
}

int svc_proc_read_pidfile(const char *path, const char *binary, pid_t *ret_pid, int64_t *ret_started_at)
{
	char text[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -ESRCH;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	text[n] = '\0';
	int pid;
	unsigned long long recorded;
	if (sscanf(text, "%d %llu", &pid, &recorded) != 2 || pid <= 1)
		return -ESRCH;
	char state;
	uint64_t start;
	if (proc_stat(pid, &state, &start) < 0 || start != recorded || state == 'Z' || state == 'X' ||
	    !runs_binary(pid, binary))
		return -ESRCH;
	long ticks = sysconf(_SC_CLK_TCK);
	*ret_pid = pid;
	*ret_started_at = boot_time() + (int64_t)(start / (uint64_t)(ticks > 0 ? ticks : 100));
	return 0;
}

int svc_proc_open_netns(const char *pid_path, const char *binary, int *ret_fd)
{
	pid_t pid;
	int64_t started;
	if (svc_proc_read_pidfile(pid_path, binary, &pid, &started) < 0)
		return -ESRCH;
	/* The pidfd holds the process: its pid cannot name another one
	 * while it is open and the process has not exited. */
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -ESRCH;
	if (svc_proc_read_pidfile(pid_path, binary, &pid, &started) < 0)
		return -ESRCH;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	/* Still the recorded process after the open: the namespace is its. */
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	if (poll(&p, 1, 0) != 0)
		return -ESRCH;
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/* A socket of the process's namespace: picd's thread enters it only for
 * the socket() call, like the netlink sockets of net.c. */
static int socket_in_netns_of(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	_cleanup_close_ int ns = open(path, O_RDONLY | O_CLOEXEC);
	int saved;
	if (ns < 0 || netns_enter(ns, &saved) < 0)
		return -1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int r = netns_restore(saved);
	if (r < 0) {
		log_err("cannot return to picd's own network namespace: %s", strerror(-r));
		abort();
	}
	return fd;
}

void svc_proc_terminate(pid_t pid, uint16_t wake_port)
{
	kill(pid, SIGTERM);
	if (!wake_port)
		return;
	_cleanup_close_ int fd = socket_in_netns_of(pid);
	if (fd < 0)
		return;
	/* On loopback the handshake is done within connect(): the
	 * connection waits in the listener's queue and wakes its poll. */
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(wake_port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	(void)connect(fd, (const struct sockaddr *)&a, sizeof(a));
}

int svc_proc_wait(int pidfd, unsigned timeout_ms, siginfo_t *ret_si)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int n;
	while ((n = poll(&p, 1, (int)timeout_ms)) < 0 && errno == EINTR)
		;
	if (n == 0)
		return -ETIMEDOUT;
	*ret_si = (siginfo_t){ 0 };
	if (waitid((idtype_t)P_PIDFD, (id_t)pidfd, ret_si, WEXITED | WNOHANG) < 0)
		ret_si->si_pid = 0; /* not our child: exited, status unknown */
	return 0;
}
