/* Pinned network namespaces (see netns.h).
 *
 * A namespace is created by a short-lived child: it unshares its network
 * namespace and bind-mounts /proc/self/ns/net onto the placeholder file.
 * The child shares picd's mount namespace, so the mount is picd's too, and
 * picd itself never changes namespace to create one. */
#include "netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/banned.h"

/* Stacked mounts a delete peels off before giving up. */
#define NETNS_MAX_STACKED 8

/* 1 if `fd` is a network namespace, 0 if another nsfs or file, -errno. */
static int fd_is_netns(int fd)
{
	struct statfs sf;
	if (fstatfs(fd, &sf) < 0)
		return -errno;
	if (sf.f_type != NSFS_MAGIC)
		return 0;
	int type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0)
		return -errno;
	return type == CLONE_NEWNET;
}

static int parent_dir(const char *path, char out[PATH_MAX])
{
	int n = snprintf(out, PATH_MAX, "%s", path);
	if (n < 0 || n >= PATH_MAX)
		return -ENAMETOOLONG;
	char *slash = strrchr(out, '/');
	if (!slash || slash[1] == '\0')
		return -EINVAL;
	if (slash == out)
		slash[1] = '\0';
	else
		*slash = '\0';
	return 0;
}

/* Makes `dir` a shared mount point (bind-mounting it onto itself first if
 * it is not a mount point), as iproute2 does for /run/netns: a namespace
 * file unmounted here is then unmounted in every mount namespace that
 * copied it, and the namespace can be freed. */
static int dir_make_shared(const char *dir)
{
	if (mount("", dir, "none", MS_SHARED | MS_REC, NULL) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno;
	if (mount(dir, dir, "none", MS_BIND | MS_REC, NULL) < 0)
		return -errno;
	if (mount("", dir, "none", MS_SHARED | MS_REC, NULL) < 0)
		return -errno;
	return 0;
}

/* In a child: a new network namespace, pinned at `path`. */
static int pin_new_netns(const char *path)
{
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/* Only system calls from here on: the child of a daemon. */
		if (unshare(CLONE_NEWNET) < 0)
			_exit(errno);
		if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) < 0)
			_exit(errno);
		_exit(0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (!WIFEXITED(status))
		return -ECHILD;
	return -WEXITSTATUS(status);
}

/* Readies `path` for a pin: its parent a shared mount point, a
 * placeholder file there (made if missing: *ret_created). 1 when a
 * network namespace is pinned there already; -EEXIST when `path` is
 * something else. */
static int pin_prepare(const char *path, bool *ret_created)
{
	char dir[PATH_MAX];
	int r = parent_dir(path, dir);
	if (r < 0)
		return r;
	r = fs_ensure_dir(dir, 0755);
	if (r < 0)
		return r;
	r = dir_make_shared(dir);
	if (r < 0)
		return r;

	*ret_created = false;
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return -EEXIST;
		_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			return -errno;
		struct statfs sf;
		if (fstatfs(fd, &sf) < 0)
			return -errno;
		if (sf.f_type == NSFS_MAGIC) {
			r = fd_is_netns(fd);
			return r < 0 ? r : r ? 1 : -EEXIST;
		}
		/* A bare placeholder: left by a crash or a reboot, or the pin
		 * lives in another mount namespace (a sandboxed restart). */
		return 0;
	}
	if (errno != ENOENT)
		return -errno;
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0);
	if (fd < 0)
		return -errno;
	*ret_created = true;
	return 0;
}

int netns_create(const char *path)
{
	bool created;
	int r = pin_prepare(path, &created);
	if (r != 0)
		return r < 0 ? r : 0;
	r = pin_new_netns(path);
	if (r < 0 && created)
		unlink(path);
	return r;
}

int netns_pin(const char *path, int ns_fd)
{
	int r = fd_is_netns(ns_fd);
	if (r <= 0)
		return r < 0 ? r : -EINVAL;
	bool created;
	r = pin_prepare(path, &created);
	if (r != 0)
		return r < 0 ? r : -EEXIST;
	char source[64];
	snprintf(source, sizeof(source), "/proc/self/fd/%d", ns_fd);
	if (mount(source, path, "none", MS_BIND, NULL) < 0) {
		r = -errno;
		if (created)
			unlink(path);
		return r;
	}
	return 0;
}

bool netns_same(int fd_a, int fd_b)
{
	struct stat a, b;
	return fstat(fd_a, &a) == 0 && fstat(fd_b, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int netns_open(const char *path, int *ret_fd)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	struct statfs sf;
	if (fstatfs(fd, &sf) < 0)
		return -errno;
	if (sf.f_type != NSFS_MAGIC)
		return -ENOENT;
	int r = fd_is_netns(fd);
	if (r < 0)
		return r;
	if (r == 0)
		return -EINVAL;
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int netns_delete(const char *path)
{
	for (int i = 0; i < NETNS_MAX_STACKED; i++) {
		if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
			continue;
		if (errno == EINVAL || errno == ENOENT)
			break;
		return -errno;
	}
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

DEFINE_PTR_CLEANUP(DIR, closedir)

int netns_delete_all(const char *dir)
{
	int r = 0;
	{
		_cleanup_(closedirp) DIR *d = opendir(dir);
		if (!d)
			return errno == ENOENT ? 0 : -errno;
		struct dirent *de;
		while ((errno = 0, de = readdir(d))) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			char path[PATH_MAX];
			int n = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			int q = n < 0 || (size_t)n >= sizeof(path) ? -ENAMETOOLONG : netns_delete(path);
			if (q < 0 && r == 0)
				r = q;
		}
		if (errno != 0 && r == 0)
			r = -errno;
	}
	if (r < 0)
		return r;
	if (umount2(dir, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL)
		return -errno;
	if (rmdir(dir) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int netns_enter(int fd, int *ret_saved_fd)
{
	_cleanup_close_ int saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET) < 0)
		return -errno;
	*ret_saved_fd = TAKE_FD(saved);
	return 0;
}

int netns_restore(int saved_fd)
{
	int r = setns(saved_fd, CLONE_NEWNET) < 0 ? -errno : 0;
	close(saved_fd);
	return r;
}
