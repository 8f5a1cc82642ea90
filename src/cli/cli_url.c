/* Percent-encoding for request paths (see cli_url.h). */
#include "cli_url.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "common/banned.h"

static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

int cli_url_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char enc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
		int r = is_unreserved(*p) ? buf_append(b, p, 1) : buf_append(b, enc, sizeof(enc));
		if (r < 0)
			return r;
	}
	return 0;
}

int cli_url_join(const char *prefix, const char *segment, char **ret_path)
{
	struct buf path;

	buf_init(&path, CLI_URL_PATH_MAX);
	int r = buf_append(&path, prefix, strlen(prefix));
	if (r == 0)
		r = cli_url_escape(&path, segment);
	if (r < 0) {
		buf_free(&path);
		return r == -E2BIG ? -ENAMETOOLONG : r;
	}
	*ret_path = buf_steal(&path);
	return 0;
}
