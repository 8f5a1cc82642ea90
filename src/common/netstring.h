/* Netstrings (D. J. Bernstein): "<decimal length>:<bytes>,", the framing
 * of postfix's socketmap protocol. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

/* Parses the netstring at the start of `in` (`len` bytes). Returns the
 * bytes it takes and points `data`/`data_len` at its contents (inside
 * `in`, not terminated); -EAGAIN if `in` holds only its beginning;
 * -EINVAL if it is malformed or its contents are longer than `max`. */
ssize_t netstring_parse(const char *in, size_t len, size_t max, const char **data, size_t *data_len);

int netstring_append(struct buf *out, const char *data, size_t len);
