/* Accept-Encoding and entity tags for the web UI's files (see
 * ui_negotiate.h). */
#include "ui_negotiate.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/banned.h"

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), into
 * thousandths. */
static int parse_qvalue(const char *s, size_t len, unsigned *ret)
{
	if (len == 0 || (s[0] != '0' && s[0] != '1'))
		return -EINVAL;
	unsigned v = (unsigned)(s[0] - '0') * 1000;
	if (len > 1) {
		if (s[1] != '.' || len > 5)
			return -EINVAL;
		unsigned scale = 100;
		for (size_t i = 2; i < len; i++, scale /= 10) {
			if (s[i] < '0' || s[i] > '9')
				return -EINVAL;
			v += (unsigned)(s[i] - '0') * scale;
		}
	}
	if (v > 1000)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* One element of the list, `len` bytes at `e`: its coding and weight
 * (1000 when it gives none, 0 when its parameters are malformed). */
static void parse_element(const char *e, size_t len, const char **ret_coding, size_t *ret_coding_len,
			  unsigned *ret_q)
{
	const char *end = e + len, *p = e;
	while (p < end && is_ows(*p))
		p++;
	const char *coding = p;
	while (p < end && *p != ';' && !is_ows(*p))
		p++;
	*ret_coding = coding;
	*ret_coding_len = (size_t)(p - coding);
	*ret_q = 1000;
	for (;;) {
		while (p < end && is_ows(*p))
			p++;
		if (p == end)
			return;
		if (*p != ';') {
			*ret_q = 0;
			return;
		}
		p++;
		while (p < end && is_ows(*p))
			p++;
		const char *name = p;
		while (p < end && *p != '=' && *p != ';' && !is_ows(*p))
			p++;
		size_t name_len = (size_t)(p - name);
		const char *value = p;
		if (p < end && *p == '=') {
			value = ++p;
			while (p < end && *p != ';' && !is_ows(*p))
				p++;
		}
		if (name_len == 1 && (name[0] == 'q' || name[0] == 'Q') &&
		    (value == name + 1 || parse_qvalue(value, (size_t)(p - value), ret_q) < 0)) {
			*ret_q = 0;
			return;
		}
	}
}

static bool coding_is(const char *coding, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(coding, name, len) == 0;
}

/* A coding named more than once: the lower weight holds. */
static void weigh(int *w, unsigned q)
{
	if (*w < 0 || (unsigned)*w > q)
		*w = (int)q;
}

void ui_negotiate_accept(const char *header, struct ui_accept *ret)
{
	int br = -1, gzip = -1, star = -1; /* -1: not named */
	const char *p = header ? header : "";
	while (*p) {
		size_t len = strcspn(p, ",");
		const char *coding;
		size_t coding_len;
		unsigned q;
		parse_element(p, len, &coding, &coding_len, &q);
		if (coding_is(coding, coding_len, "br"))
			weigh(&br, q);
		else if (coding_is(coding, coding_len, "gzip") || coding_is(coding, coding_len, "x-gzip"))
			weigh(&gzip, q);
		else if (coding_is(coding, coding_len, "*"))
			weigh(&star, q);
		p += len;
		if (*p == ',')
			p++;
	}
	unsigned other = star >= 0 ? (unsigned)star : 0;
	*ret = (struct ui_accept){ .br = br >= 0 ? (unsigned)br : other, .gzip = gzip >= 0 ? (unsigned)gzip : other };
}

size_t ui_negotiate_order(const struct ui_accept *a, enum ui_encoding ret[2])
{
	size_t n = 0;
	if (a->br > 0)
		ret[n++] = UI_ENC_BR;
	if (a->gzip > 0)
		ret[n++] = UI_ENC_GZIP;
	if (n == 2 && a->gzip > a->br) {
		ret[0] = UI_ENC_GZIP;
		ret[1] = UI_ENC_BR;
	}
	return n;
}

const char *ui_negotiate_suffix(enum ui_encoding e)
{
	return e == UI_ENC_BR ? ".br" : e == UI_ENC_GZIP ? ".gz" : NULL;
}

const char *ui_negotiate_coding(enum ui_encoding e)
{
	return e == UI_ENC_BR ? "br" : e == UI_ENC_GZIP ? "gzip" : NULL;
}

int ui_negotiate_etag(const struct stat *st, char *ret, size_t len)
{
	uint64_t mtime_ns = (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec;
	int n = snprintf(ret, len, "\"%" PRIx64 "-%" PRIx64 "-%" PRIx64 "\"", (uint64_t)st->st_ino,
			 (uint64_t)st->st_size, mtime_ns);
	return n < 0 || (size_t)n >= len ? -ENOBUFS : 0;
}

bool ui_negotiate_none_match(const char *header, const char *etag)
{
	if (!header)
		return false;
	size_t etag_len = strlen(etag);
	for (const char *p = header;;) {
		while (is_ows(*p) || *p == ',')
			p++;
		if (*p == '\0')
			return false;
		if (*p == '*')
			return true;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"')
			return false;
		const char *close = strchr(p + 1, '"');
		if (!close)
			return false;
		size_t len = (size_t)(close - p) + 1;
		if (len == etag_len && memcmp(p, etag, len) == 0)
			return true;
		p = close + 1;
	}
}
