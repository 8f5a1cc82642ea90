/* A growable byte buffer with a hard cap. Every append either fits under
 * the cap or fails with -E2BIG and leaves the buffer as it was. The data is
 * always NUL-terminated (the NUL is not counted in len). */
#pragma once

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;   /* allocated bytes */
	size_t limit; /* most bytes len may reach */
};

void buf_init(struct buf *b, size_t limit);
void buf_free(struct buf *b);
int buf_append(struct buf *b, const void *data, size_t n);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hands the data to the caller (who frees it) and empties the buffer. */
char *buf_steal(struct buf *b);
