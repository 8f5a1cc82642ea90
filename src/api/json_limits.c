/* A one-pass nesting scan that understands strings and escapes. */
#include "json_limits.h"

#include "common/banned.h"

bool json_depth_within(const char *text, size_t len, unsigned max_depth)
{
	unsigned depth = 0;
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"')
			in_string = true;
		else if (c == '{' || c == '[') {
			if (++depth > max_depth)
				return false;
		} else if ((c == '}' || c == ']') && depth > 0)
			depth--;
	}
	return true;
}
