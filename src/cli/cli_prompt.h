/* Reading a secret line: from the terminal with echo off, or from a pipe.
 * Buffers are the caller's, fixed-size, and wiped by the caller; on
 * failure these functions wipe what they wrote. */
#pragma once

#include <stddef.h>

/* Reads one line from `fd` into `out` (NUL-terminated, without its "\n"
 * or "\r\n"); end of input ends the line too, so an empty input gives an
 * empty line. -EMSGSIZE when the line does not fit in `size` - 1 bytes,
 * -EINTR when a signal interrupts the read, -errno from read(2). */
int cli_prompt_read_line(int fd, char *out, size_t size, size_t *ret_len);

/* Writes `prompt` to /dev/tty and reads a line from it with echo off.
 * The terminal is restored on every way out: a signal that would end pic
 * (^C, SIGTERM, SIGHUP, SIGQUIT) is caught, the terminal restored, and the
 * signal raised again. Errors as above, or -errno opening /dev/tty. */
int cli_prompt_secret(const char *prompt, char *out, size_t size, size_t *ret_len);
