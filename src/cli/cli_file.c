/* Files written for the user (see cli_file.h). */
#include "cli_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/banned.h"

int cli_file_open(struct cli_file *f, const char *path, mode_t mode, bool replace)
{
	_cleanup_free_ char *tmp = NULL;
	struct stat st;
	int fd;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return -EISDIR;
	if (replace) {
		if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
			return -ENOMEM;
		fd = mkostemp(tmp, O_CLOEXEC);
	} else {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	}
	if (fd < 0)
		return -errno;
	/* The umask narrowed what open(2) set; mkostemp(3) made it 0600. */
	if (fchmod(fd, mode) < 0) {
		int r = -errno;
		close(fd);
		unlink(tmp ? tmp : path);
		return r;
	}
	*f = (struct cli_file){ .path = path, .tmp = TAKE_PTR(tmp), .fd = fd };
	return 0;
}

int cli_file_commit(struct cli_file *f, const void *data, size_t len)
{
	for (size_t off = 0; off < len;) {
		ssize_t n = write(f->fd, (const char *)data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += (size_t)n;
	}
	if (fsync(f->fd) < 0)
		return -errno;
	if (f->tmp && rename(f->tmp, f->path) < 0)
		return -errno;
	f->committed = true;
	return 0;
}

void cli_file_done(struct cli_file *f)
{
	if (f->fd >= 0) {
		close(f->fd);
		if (!f->committed)
			unlink(f->tmp ? f->tmp : f->path);
	}
	free(f->tmp);
	*f = CLI_FILE_INIT;
}
