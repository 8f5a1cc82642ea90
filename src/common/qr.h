/* QR codes for text that a phone scans, such as a WireGuard client config,
 * and their renderings for a terminal and for a web page. The symbol is
 * encoded once (qr_encode) and drawn by any number of renderers; a
 * renderer appends to a capped buffer and leaves it as it was on failure.
 * Every rendering has a quiet zone of QR_QUIET_ZONE light modules around
 * the symbol. */
#pragma once

#include <stdbool.h>

#include "buf.h"
#include "cleanup.h"

/* Light modules around the symbol, as ISO/IEC 18004 asks. */
#define QR_QUIET_ZONE 4

/* The most bytes one symbol holds in byte mode at the level qr_encode
 * uses (L): version 40-L carries 2953 bytes. A WireGuard client config is
 * 250-450 bytes (version 10-14). */
#define QR_MAX_BYTES 2953

/* Scale bounds of the image renderers (qr_svg, qr_png): pixels per
 * module. 16 px makes the largest symbol 2960 px wide. */
#define QR_MODULE_PX_MIN 1
#define QR_MODULE_PX_MAX 16

struct qr;

/* Encodes `text` (its bytes, up to the NUL) in byte mode at error
 * correction level L, in the smallest version that holds it. -EINVAL if
 * the text is NULL, empty or longer than QR_MAX_BYTES; -ENOMEM. */
int qr_encode(const char *text, struct qr **ret_qr);

void qr_free(struct qr *q);
DEFINE_PTR_CLEANUP(struct qr, qr_free)

/* Modules per side of the symbol without the quiet zone: 21 + 4 *
 * (version - 1), so 21..177. */
unsigned qr_width(const struct qr *q);

/* Whether the module in column `x`, row `y` of the symbol is dark.
 * Coordinates outside 0..width-1 (the quiet zone and beyond) are light,
 * so renderers can walk from -QR_QUIET_ZONE to width+QR_QUIET_ZONE-1. */
bool qr_dark(const struct qr *q, int x, int y);

/* Appends the symbol as UTF-8 text: each line is one column per module
 * and two module rows, drawn with "█", "▀", "▄" and " ". The glyphs draw
 * the LIGHT modules (quiet zone included) and spaces leave the dark ones
 * to the background, as `qrencode -t utf8` does: it scans on a terminal
 * with light text on a dark background, the usual one, and comes out
 * inverted on a light one. The last line's lower half, below the quiet
 * zone, is left to the background. (width + 2 * QR_QUIET_ZONE + 1) / 2
 * lines of width + 2 * QR_QUIET_ZONE columns, each ended by "\n".
 * -E2BIG or -ENOMEM from the buffer. */
int qr_terminal(const struct qr *q, struct buf *out);

/* Appends an SVG document: a white background and one <path> of the dark
 * modules, one horizontal run per subpath, in a viewBox counted in
 * modules (quiet zone included) and drawn `module_px` pixels per module.
 * -EINVAL if module_px is outside QR_MODULE_PX_MIN..QR_MODULE_PX_MAX;
 * -E2BIG or -ENOMEM from the buffer. */
int qr_svg(const struct qr *q, unsigned module_px, struct buf *out);
