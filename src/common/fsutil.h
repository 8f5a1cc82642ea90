/* Filesystem helpers. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* Writes `data` to `path` atomically: a temp file beside it, fsync,
 * rename, fsync of the directory. The file gets `mode`. */
int fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode);

struct buf;
/* Appends the whole file at `path` to `out` (within its cap): -ENOENT if
 * absent, -E2BIG if it does not fit. */
int fs_read_file(const char *path, struct buf *out);

/* Creates directory `path` with `mode` if missing (parents too, 0755), and
 * sets `mode` on it either way. Refuses a path that exists and is not a
 * directory, or is a symlink. */
int fs_ensure_dir(const char *path, mode_t mode);

/* rm -rf that never leaves the file system it starts on; 0 if `path` is
 * not there. */
int fs_remove_tree(const char *path);

/* `path` as an absolute path with no ".", ".." or symlinked components
 * (`./var` run in /srv: "/srv/var"), into out[outlen]. The path need not
 * exist yet, but its parent must: -ENOENT otherwise, -EINVAL for an empty
 * path or one ending in "." or "..", -ENAMETOOLONG. */
int fs_absolute_path(const char *path, char *out, size_t outlen);
