/* Text helpers for tests (see text_util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "text_util.h"
#include "common/buf.h"
#include "common/banned.h"

char *text_replace_all(const char *text, const char *from, const char *to)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	size_t flen = strlen(from);
	for (const char *p = text;;) {
		const char *hit = strstr(p, from);
		if (!hit) {
			assert_int_equal(buf_append(&b, p, strlen(p)), 0);
			break;
		}
		assert_int_equal(buf_append(&b, p, (size_t)(hit - p)), 0);
		assert_int_equal(buf_append(&b, to, strlen(to)), 0);
		p = hit + flen;
	}
	return buf_steal(&b);
}
