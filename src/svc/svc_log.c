/* The log ring and file follower. */
#include "svc_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/banned.h"

void svc_log_free(struct svc_log *l)
{
	free(l->ring);
	l->ring = NULL;
	l->used = l->head = 0;
}

void svc_log_append(struct svc_log *l, const char *data, size_t len)
{
	/* Allocated when first needed: most services say little, and an
	 * idle picd should not hold rings it never fills. */
	if (!l->ring && !(l->ring = malloc(SVC_LOG_RING)))
		return;
	l->total += len;
	if (len > SVC_LOG_RING) {
		data += len - SVC_LOG_RING;
		len = SVC_LOG_RING;
	}
	size_t first = SVC_LOG_RING - l->head;
	if (first > len)
		first = len;
	memcpy(l->ring + l->head, data, first);
	memcpy(l->ring, data + first, len - first);
	l->head = (l->head + len) % SVC_LOG_RING;
	l->used = l->used + len > SVC_LOG_RING ? SVC_LOG_RING : l->used + len;
}

int svc_log_poll(struct svc_log *l, const char *path)
{
	/* Read-write: picd may cut the file back below. */
	_cleanup_close_ int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_size < l->offset)
		l->offset = 0; /* cut back: start again from the top */
	if (st.st_size - l->offset > SVC_LOG_RING)
		l->offset = st.st_size - SVC_LOG_RING;
	int changed = 0;
	char chunk[8192];
	for (;;) {
		ssize_t n = pread(fd, chunk, sizeof(chunk), l->offset);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		svc_log_append(l, chunk, (size_t)n);
		l->offset += n;
		changed = 1;
	}
	/* The daemon writes with O_APPEND, so cutting the file back is safe;
	 * the ring keeps the recent tail. */
	if (l->offset > SVC_LOG_FILE_MAX && ftruncate(fd, 0) == 0)
		l->offset = 0;
	return changed;
}

/* Byte i (0 = oldest held) of the ring. */
static char ring_at(const struct svc_log *l, size_t i)
{
	size_t start = (l->head + SVC_LOG_RING - l->used) % SVC_LOG_RING;
	return l->ring[(start + i) % SVC_LOG_RING];
}

static int copy_range(const struct svc_log *l, size_t from, struct buf *out)
{
	for (size_t i = from; i < l->used; i++) {
		char c = ring_at(l, i);
		int r = buf_append(out, &c, 1);
		if (r < 0)
			return r;
	}
	return 0;
}

int svc_log_tail(const struct svc_log *l, unsigned lines, struct buf *out)
{
	if (l->used == 0 || lines == 0)
		return 0;
	size_t i = l->used;
	/* A final newline ends the last line; it does not start another. */
	if (ring_at(l, i - 1) == '\n')
		i--;
	unsigned seen = 0;
	while (i > 0) {
		if (ring_at(l, i - 1) == '\n' && ++seen == lines)
			break;
		i--;
	}
	return copy_range(l, i, out);
}

int svc_log_since(const struct svc_log *l, unsigned long long since, struct buf *out)
{
	if (since >= l->total)
		return 0;
	unsigned long long missing = l->total - since;
	size_t from = missing >= l->used ? 0 : l->used - (size_t)missing;
	return copy_range(l, from, out);
}
