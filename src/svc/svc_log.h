/* A service's output: the daemon appends to a log file (which outlives
 * picd); picd follows the file and keeps its tail in a bounded ring for
 * the API. The file is cut back when it grows past SVC_LOG_FILE_MAX. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "common/buf.h"

#define SVC_LOG_RING 65536
#define SVC_LOG_FILE_MAX (1024 * 1024)

struct svc_log {
	char *ring;   /* SVC_LOG_RING bytes, allocated at the first output */
	size_t head;  /* next write position */
	size_t used;  /* bytes held, <= SVC_LOG_RING */
	off_t offset; /* how far into the file we have read */
	unsigned long long total; /* bytes ever appended: a cursor for followers */
};

void svc_log_append(struct svc_log *l, const char *data, size_t len);
void svc_log_free(struct svc_log *l);
/* Reads what the file gained since last time; 1 if anything was new. */
int svc_log_poll(struct svc_log *l, const char *path);
/* The last `lines` lines (at most what the ring holds) into `out`. */
int svc_log_tail(const struct svc_log *l, unsigned lines, struct buf *out);
/* The bytes appended after cursor `since` (a value of l->total), as far
 * as the ring still holds them. */
int svc_log_since(const struct svc_log *l, unsigned long long since, struct buf *out);
