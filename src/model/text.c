/* Text people type (see text.h). */
#include "text.h"

#include <stdint.h>

#include "common/banned.h"

long text_chars(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;
	for (size_t i = 0; i < len; n++) {
		unsigned c = p[i];
		size_t extra;
		uint32_t cp;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return -1;
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			extra = 1, cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			extra = 2, cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			extra = 3, cp = c & 0x07;
		} else {
			return -1;
		}
		if (i + extra >= len)
			return -1;
		for (size_t k = 1; k <= extra; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return -1;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		static const uint32_t min[] = { 0, 0x80, 0x800, 0x10000 };
		if (cp < min[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
			return -1;
		i += extra + 1;
	}
	return n;
}
