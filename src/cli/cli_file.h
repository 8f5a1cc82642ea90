/* Files pic writes for the user (a certificate, its key, the CRL). A file
 * is made ready before picd is asked for its contents, so that a path
 * that cannot be written fails before anything happens on picd (a key
 * picd hands out is never shown again), and it appears with its mode set
 * exactly, whatever the umask.
 *
 * Without `replace` the file itself is created at once (O_EXCL), so an
 * existing file, or a symlink, is refused up front and no other writer
 * can slip in; with `replace` a temporary file beside it is renamed over
 * it when the contents are in. Either way, cli_file_done() before
 * cli_file_commit() removes what was created. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/cleanup.h"

struct cli_file {
	const char *path;
	char *tmp;      /* the temporary file when replacing, else NULL */
	int fd;         /* -1 when not open */
	bool committed;
};

#define CLI_FILE_INIT ((struct cli_file){ .fd = -1 })

/* Makes `path` ready to take contents with `mode`; `f` holds
 * CLI_FILE_INIT and still does on failure. -EEXIST when `path` exists and
 * !replace, -EISDIR when it is a directory, else -errno of open(2),
 * mkostemp(3) or fchmod(2); -ENOMEM. */
int cli_file_open(struct cli_file *f, const char *path, mode_t mode, bool replace);

/* Writes `len` bytes, syncs and puts the file in place. -errno; on
 * failure the file is left for cli_file_done() to remove. */
int cli_file_commit(struct cli_file *f, const void *data, size_t len);

/* Closes the file and, unless it was committed, removes what
 * cli_file_open() created. Fine on one set to CLI_FILE_INIT. */
void cli_file_done(struct cli_file *f);
#define _cleanup_file_ _cleanup_(cli_file_done)
