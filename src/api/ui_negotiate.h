/* What a request for a web UI file accepts, as pure functions: which
 * precompressed sibling (X.br, X.gz) Accept-Encoding allows and in which
 * order to try them, and entity tags with If-None-Match. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

enum ui_encoding {
	UI_ENC_IDENTITY,
	UI_ENC_BR,
	UI_ENC_GZIP,
};

/* The weights (q × 1000, 0..1000; 0 refuses) a request gives the
 * encodings picd has siblings for. */
struct ui_accept {
	unsigned br;
	unsigned gzip;
};

/* Parses Accept-Encoding (RFC 9110 12.5.3): codings case-insensitive,
 * "x-gzip" is gzip, "*" stands for every coding not named, q=0 refuses,
 * a malformed weight refuses its coding, a coding named twice gets the
 * lower weight. No header (NULL) or an empty one accepts neither. */
void ui_negotiate_accept(const char *header, struct ui_accept *ret);

/* The encodings to try, best first (higher weight; br on a tie), into
 * `ret` (room for 2); returns how many. Identity is always the last
 * resort and not listed. */
size_t ui_negotiate_order(const struct ui_accept *a, enum ui_encoding ret[2]);

/* The file name suffix of an encoding's sibling (".br", ".gz") and the
 * Content-Encoding it is sent with ("br", "gzip"); NULL for identity. */
const char *ui_negotiate_suffix(enum ui_encoding e);
const char *ui_negotiate_coding(enum ui_encoding e);

/* Longest entity tag, with its quotes and NUL. */
#define UI_ETAG_MAX 64

/* A strong entity tag for the file `st` describes, quotes included:
 * inode, size and modification time (ns), so a rebuilt file gets a new
 * one and each sibling its own. Returns 0 or -ENOBUFS. */
int ui_negotiate_etag(const struct stat *st, char *ret, size_t len);

/* Whether If-None-Match (a list of entity tags, or "*") matches `etag`,
 * by the weak comparison a GET uses (a "W/" prefix is ignored). A
 * malformed list matches nothing from the first bad element on. */
bool ui_negotiate_none_match(const char *header, const char *etag);
