/* Netstring framing (see netstring.h). */
#include "netstring.h"

#include <errno.h>
#include <stdio.h>

#include "common/banned.h"

ssize_t netstring_parse(const char *in, size_t len, size_t max, const char **data, size_t *data_len)
{
	size_t n = 0, i = 0;
	for (; i < len && in[i] >= '0' && in[i] <= '9'; i++) {
		if (i > 0 && n == 0)
			return -EINVAL; /* a leading zero */
		n = n * 10 + (size_t)(in[i] - '0');
		if (n > max)
			return -EINVAL;
	}
	if (i == len)
		return i > 9 ? -EINVAL : -EAGAIN;
	if (i == 0 || in[i] != ':')
		return -EINVAL;
	size_t start = i + 1;
	if (len - start < n + 1)
		return -EAGAIN;
	if (in[start + n] != ',')
		return -EINVAL;
	*data = in + start;
	*data_len = n;
	return (ssize_t)(start + n + 1);
}

int netstring_append(struct buf *out, const char *data, size_t len)
{
	int r = buf_printf(out, "%zu:", len);
	if (r == 0)
		r = buf_append(out, data, len);
	return r ? r : buf_append(out, ",", 1);
}
