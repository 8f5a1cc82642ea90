/* Privileged operations (see priv.h). */
#include "priv.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/banned.h"

#define LISTEN_BACKLOG 512

int priv_state_dir_prepare(const char *path)
{
	return fs_ensure_dir(path, 0700);
}

int priv_tcp_listen(const char *host, uint16_t port, int *ret_fd)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE };
	struct addrinfo *ai = NULL;
	char service[8];
	snprintf(service, sizeof(service), "%u", port);
	if (getaddrinfo(host, service, &hints, &ai) != 0 || !ai)
		return -EINVAL;

	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int r = fd < 0 ? -errno : 0;
	int one = 1;
	if (r == 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		r = -errno;
	if (r == 0 && bind(fd, ai->ai_addr, ai->ai_addrlen) < 0)
		r = -errno;
	if (r == 0 && listen(fd, LISTEN_BACKLOG) < 0)
		r = -errno;
	freeaddrinfo(ai);
	if (r < 0) {
		if (fd >= 0)
			close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

int priv_tcp_adopt(int fd)
{
	int type = 0, listening = 0;
	socklen_t len = sizeof(type);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
		return -errno;
	len = sizeof(listening);
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0)
		return -errno;
	if (type != SOCK_STREAM || !listening)
		return -ENOTSOCK;
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return -errno;
	return 0;
}

static int fill_sockaddr_un(const char *path, struct sockaddr_un *sa)
{
	*sa = (struct sockaddr_un){ .sun_family = AF_UNIX };
	int n = snprintf(sa->sun_path, sizeof(sa->sun_path), "%s", path);
	return n < 0 || (size_t)n >= sizeof(sa->sun_path) ? -ENAMETOOLONG : 0;
}

/* True when something answers on the socket at `sa`. */
static bool socket_in_use(const struct sockaddr_un *sa)
{
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	return fd >= 0 && connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
}

bool priv_control_socket_in_use(const char *path)
{
	struct sockaddr_un sa;
	return fill_sockaddr_un(path, &sa) == 0 && socket_in_use(&sa);
}

/* A listening socket at `path` (its directory exists), 0660. */
static int socket_open_fresh(const char *path, int *ret_fd)
{
	struct sockaddr_un sa;
	int r = fill_sockaddr_un(path, &sa);
	if (r < 0)
		return r;
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return -EEXIST;
		if (socket_in_use(&sa))
			return -EADDRINUSE;
		if (unlink(path) < 0)
			return -errno;
	}

	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* Created 0660 from the start: no window in which others connect. */
	mode_t old = umask(0117);
	r = bind(fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
	umask(old);
	if (r < 0)
		return r;
	if (chmod(path, 0660) < 0 || listen(fd, LISTEN_BACKLOG) < 0)
		return -errno;
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int priv_control_socket_open(const char *path, int *ret_fd)
{
	char dir[PATH_MAX];
	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	int r = fs_ensure_dir(dirname(dir), 0750);
	return r < 0 ? r : socket_open_fresh(path, ret_fd);
}

int priv_group_socket_open(const char *path, const char *group, int *ret_fd)
{
	struct group *g = getgrnam(group);
	if (!g)
		return -ENOENT;
	_cleanup_close_ int fd = -1;
	int r = socket_open_fresh(path, &fd);
	if (r < 0)
		return r;
	if (chown(path, 0, g->gr_gid) < 0)
		return -errno;
	*ret_fd = TAKE_FD(fd);
	return 0;
}
