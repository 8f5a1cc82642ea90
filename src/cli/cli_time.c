/* Durations and instants as text (see cli_time.h). */
#include "cli_time.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "common/banned.h"

int cli_time_duration(uint64_t seconds, char *out, size_t size)
{
	uint64_t d = seconds / 86400, h = seconds / 3600 % 24, m = seconds / 60 % 60,
		 s = seconds % 60;
	int n;

	/* Leading zero units are left out: "12s", "1m 2s", "1h 0m 3s". */
	if (d)
		n = snprintf(out, size, "%llud %lluh %llum %llus", (unsigned long long)d,
			     (unsigned long long)h, (unsigned long long)m, (unsigned long long)s);
	else if (h)
		n = snprintf(out, size, "%lluh %llum %llus", (unsigned long long)h,
			     (unsigned long long)m, (unsigned long long)s);
	else if (m)
		n = snprintf(out, size, "%llum %llus", (unsigned long long)m, (unsigned long long)s);
	else
		n = snprintf(out, size, "%llus", (unsigned long long)s);
	if (n < 0 || (size_t)n >= size)
		return -ENOBUFS;
	return 0;
}

int cli_time_local(int64_t epoch, char *out, size_t size)
{
	time_t t = (time_t)epoch;
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return -EOVERFLOW;
	if (strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		return -ENOBUFS;
	return 0;
}

const char *cli_time_json(const json_t *v, const char *if_null,
			  char out[CLI_TIME_TEXT_MAX])
{
	if (!v || json_is_null(v))
		return if_null;
	if (!json_is_integer(v) || cli_time_local(json_integer_value(v), out, CLI_TIME_TEXT_MAX) < 0)
		return "?";
	return out;
}
