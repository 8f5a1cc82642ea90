/* Strict decimal parsing on top of strtoull. */
#include "strparse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *ret_value)
{
	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	/* "007" is not a number a person means; only "0" may start with 0. */
	if (s[0] == '0' && s[1] != '\0')
		return -EINVAL;
	errno = 0;
	char *end = NULL;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno != 0 || !end || *end != '\0')
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*ret_value = v;
	return 0;
}

int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *ret_value)
{
	uint64_t v;
	int r = parse_u64(s, min, max, &v);
	if (r < 0)
		return r;
	*ret_value = (uint32_t)v;
	return 0;
}

bool str_len_within(const char *s, size_t max)
{
	return s && strnlen(s, max + 1) <= max;
}
