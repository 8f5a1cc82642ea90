/* QR symbols from libqrencode, and their text and SVG renderings.
 *
 * Error correction level L, as `qrencode` uses by default and so the
 * WireGuard docs' `qrencode -t ansiutf8 < client.conf`: the code is read
 * off a screen, which does not get torn or dirty like a printed label, so
 * the spare capacity of M buys nothing here, while L keeps the version
 * lower and the modules bigger. A 320-byte config is version 11 (61
 * modules) at L against 13 (69) at M; a 420-byte one (IPv6 addresses, a
 * long endpoint name) is 69 + 8 = 77 columns at L, still inside an
 * 80-column terminal, against 81 + 8 = 89 at M. */
#include "qr.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "banned.h"

struct qr {
	unsigned width;
	uint8_t dark[]; /* width * width, row by row; 1 = dark */
};

DEFINE_PTR_CLEANUP(QRcode, QRcode_free)

int qr_encode(const char *text, struct qr **ret_qr)
{
	if (!text)
		return -EINVAL;
	size_t len = strnlen(text, QR_MAX_BYTES + 1);
	if (len == 0 || len > QR_MAX_BYTES)
		return -EINVAL;

	errno = 0;
	_cleanup_(QRcode_freep) QRcode *code =
		QRcode_encodeData((int)len, (const unsigned char *)text, 0, QR_ECLEVEL_L);
	if (!code)
		return errno == ENOMEM ? -ENOMEM : -EINVAL;
	if (code->width < 21 || code->width > 177)
		return -EINVAL;

	unsigned w = (unsigned)code->width;
	struct qr *q = malloc(sizeof(*q) + (size_t)w * w);
	if (!q)
		return -ENOMEM;
	q->width = w;
	/* Bit 0 of each libqrencode module is its colour; the others say
	 * what part of the symbol it belongs to. */
	for (size_t i = 0; i < (size_t)w * w; i++)
		q->dark[i] = code->data[i] & 1;
	*ret_qr = q;
	return 0;
}

void qr_free(struct qr *q)
{
	free(q);
}

unsigned qr_width(const struct qr *q)
{
	return q->width;
}

bool qr_dark(const struct qr *q, int x, int y)
{
	if (x < 0 || y < 0 || (unsigned)x >= q->width || (unsigned)y >= q->width)
		return false;
	return q->dark[(size_t)y * q->width + (unsigned)x];
}

/* Drops whatever a failed renderer appended after `mark`. */
static int rollback(struct buf *out, size_t mark, int r)
{
	out->len = mark;
	if (out->data)
		out->data[mark] = '\0';
	return r;
}

int qr_terminal(const struct qr *q, struct buf *out)
{
	/* Indexed by (upper light) | (lower light) << 1. */
	static const char *const glyph[4] = { " ", "\u2580", "\u2584", "\u2588" };
	const int lo = -QR_QUIET_ZONE, hi = (int)q->width + QR_QUIET_ZONE; /* [lo, hi) */
	size_t mark = out->len;

	for (int y = lo; y < hi; y += 2) {
		for (int x = lo; x < hi; x++) {
			unsigned upper = !qr_dark(q, x, y);
			/* Below the bottom quiet zone is background, not light. */
			unsigned lower = y + 1 < hi && !qr_dark(q, x, y + 1);
			const char *g = glyph[upper | lower << 1];
			int r = buf_append(out, g, strlen(g));
			if (r < 0)
				return rollback(out, mark, r);
		}
		int r = buf_append(out, "\n", 1);
		if (r < 0)
			return rollback(out, mark, r);
	}
	return 0;
}

int qr_svg(const struct qr *q, unsigned module_px, struct buf *out)
{
	if (module_px < QR_MODULE_PX_MIN || module_px > QR_MODULE_PX_MAX)
		return -EINVAL;
	const unsigned side = q->width + 2 * QR_QUIET_ZONE;
	const unsigned px = side * module_px;
	size_t mark = out->len;

	int r = buf_printf(out,
			   "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
			   "width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" "
			   "shape-rendering=\"crispEdges\">\n"
			   "<rect width=\"%u\" height=\"%u\" fill=\"#fff\"/>\n"
			   "<path fill=\"#000\" d=\"",
			   px, px, side, side, side, side);
	if (r < 0)
		return rollback(out, mark, r);

	/* Each run of dark modules in a row is one unit-high rectangle. */
	for (unsigned y = 0; y < q->width; y++) {
		for (unsigned x = 0; x < q->width;) {
			if (!qr_dark(q, (int)x, (int)y)) {
				x++;
				continue;
			}
			unsigned run = 1;
			while (x + run < q->width && qr_dark(q, (int)(x + run), (int)y))
				run++;
			r = buf_printf(out, "M%u %uh%uv1h-%uz", x + QR_QUIET_ZONE, y + QR_QUIET_ZONE, run, run);
			if (r < 0)
				return rollback(out, mark, r);
			x += run;
		}
	}

	r = buf_printf(out, "\"/>\n</svg>\n");
	if (r < 0)
		return rollback(out, mark, r);
	return 0;
}
