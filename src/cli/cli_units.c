/* Sizes for people (see cli_units.h). */
#include "cli_units.h"

#include <stdio.h>

#include "common/banned.h"

const char *cli_bytes_text(uint64_t bytes, const char *suffix, char out[CLI_BYTES_TEXT_MAX])
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	if (bytes < 1024) {
		snprintf(out, CLI_BYTES_TEXT_MAX, "%llu B%s", (unsigned long long)bytes, suffix);
		return out;
	}
	double v = (double)bytes / 1024;
	size_t u = 0;
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	snprintf(out, CLI_BYTES_TEXT_MAX, "%.1f %s%s", v, units[u], suffix);
	return out;
}
