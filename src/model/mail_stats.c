/* Counting postfix's log lines (see mail_stats.h). */
#include "mail_stats.h"

#include <stdbool.h>
#include <string.h>

#include "common/banned.h"

static bool has(const char *line, size_t len, const char *what)
{
	size_t n = strlen(what);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(line + i, what, n) == 0)
			return true;
	return false;
}

static void count_line(struct mail_stats *st, const char *line, size_t len)
{
	if (!has(line, len, " postfix/"))
		return;
	if (has(line, len, " status=sent "))
		st->delivered++;
	else if (has(line, len, " status=deferred "))
		st->deferred++;
	else if (has(line, len, " status=bounced "))
		st->bounced++;
	else if (has(line, len, ": reject: "))
		st->rejected++;
}

void mail_stats_feed(struct mail_stats *st, const char *data, size_t len)
{
	while (len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t take = nl ? (size_t)(nl - data) : len;
		if (st->partial_len || !nl) {
			/* A line split across reads; one longer than the buffer
			 * is cut (what we look for is near its start). */
			size_t room = sizeof(st->partial) - st->partial_len;
			size_t copy = take < room ? take : room;
			memcpy(st->partial + st->partial_len, data, copy);
			st->partial_len += copy;
			if (nl) {
				count_line(st, st->partial, st->partial_len);
				st->partial_len = 0;
			}
		} else {
			count_line(st, data, take);
		}
		if (!nl)
			break;
		data = nl + 1;
		len -= take + 1;
	}
}
