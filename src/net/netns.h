/* Network namespaces pinned as files (as `ip netns` does under
 * /run/netns, but at a path of the caller's choosing): created without
 * picd ever leaving its own namespace, opened for setns() or for a child
 * to join, and deleted. */
#pragma once

#include <stdbool.h>

/* Creates a new network namespace pinned at `path` (a bind mount of its
 * nsfs file onto an empty file), creating the parent directory if needed
 * and making it a shared mount point so that unmounting a namespace file
 * also unmounts the copies in mount namespaces created later. 0 if a
 * network namespace is already pinned there; -EEXIST if `path` is
 * something else (a directory, a symlink, another kind of namespace). */
int netns_create(const char *path);

/* Pins the existing network namespace `ns_fd` (a running daemon's, from
 * /proc/<pid>/ns/net) at `path`, over a bare placeholder or a missing
 * file: how a picd started in another mount namespace, where its
 * predecessor's pins are bare files, takes back the namespaces its
 * daemons still run in. -EEXIST if a namespace is pinned there already. */
int netns_pin(const char *path, int ns_fd);

/* Whether two namespace fds name the same namespace. */
bool netns_same(int fd_a, int fd_b);

/* Opens the namespace pinned at `path` (O_CLOEXEC). -ENOENT if nothing is
 * pinned there (missing or a bare placeholder file), -EINVAL if it is not
 * a network namespace. */
int netns_open(const char *path, int *ret_fd);

/* Unpins the namespace (lazy unmount) and removes the file; 0 if absent.
 * The namespace itself lives on while a process is still inside it. */
int netns_delete(const char *path);

/* Deletes every namespace pinned in directory `dir`, unmounts the
 * directory if netns_create() made it a mount point, and removes it; 0 if
 * `dir` does not exist. */
int netns_delete_all(const char *dir);

/* Moves the calling thread (picd has one) into namespace `fd`; the fd of
 * the namespace it left is returned for netns_restore(). */
int netns_enter(int fd, int *ret_saved_fd);

/* Moves back into `saved_fd` and closes it. Failure leaves the process in
 * the wrong namespace: the caller must not go on as if nothing happened. */
int netns_restore(int saved_fd);
