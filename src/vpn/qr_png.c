/* QR symbols as 1-bit grayscale PNGs, written into memory with libpng.
 *
 * libpng reports errors by longjmp to the setjmp in qr_png. Nothing that
 * the error path reads is changed after that setjmp except the sink's
 * error code, which is volatile; everything allocated is owned by
 * variables set before it, so the error path frees exactly what exists. */
#include "qr_png.h"

#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "common/cleanup.h"
#include "common/banned.h"

struct png_sink {
	struct buf *out;
	volatile int err; /* set by sink_write before it longjmps */
};

static void sink_write(png_structp png, png_bytep data, size_t n)
{
	struct png_sink *sink = png_get_io_ptr(png);
	int r = buf_append(sink->out, data, n);
	if (r < 0) {
		sink->err = r;
		png_error(png, "output buffer");
	}
}

static void sink_flush(png_structp png)
{
}

/* libpng's default handlers print to stderr; a library module does not. */
static void on_error(png_structp png, png_const_charp msg)
{
	png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
}

/* Pixel row `y` of the image (quiet zone included) into `row`, one bit
 * per pixel, most significant first; 1 is white. */
static void fill_row(const struct qr *q, unsigned module_px, unsigned y, uint8_t *row, size_t rowbytes)
{
	const unsigned side = (qr_width(q) + 2 * QR_QUIET_ZONE) * module_px;
	const int my = (int)(y / module_px) - QR_QUIET_ZONE;

	memset(row, 0, rowbytes);
	for (unsigned x = 0; x < side; x++) {
		int mx = (int)(x / module_px) - QR_QUIET_ZONE;
		if (!qr_dark(q, mx, my))
			row[x / 8] |= (uint8_t)(0x80u >> (x % 8));
	}
}

int qr_png(const struct qr *q, unsigned module_px, struct buf *out)
{
	if (module_px < QR_MODULE_PX_MIN || module_px > QR_MODULE_PX_MAX)
		return -EINVAL;
	const unsigned side = (qr_width(q) + 2 * QR_QUIET_ZONE) * module_px;
	const size_t rowbytes = (side + 7) / 8;
	const size_t mark = out->len;

	_cleanup_free_ uint8_t *row = malloc(rowbytes);
	if (!row)
		return -ENOMEM;

	struct png_sink sink = { .out = out };
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, on_error, on_warning);
	if (!png)
		return -ENOMEM;
	png_infop info = png_create_info_struct(png);
	if (!info) {
		png_destroy_write_struct(&png, NULL);
		return -ENOMEM;
	}

	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		out->len = mark;
		if (out->data)
			out->data[mark] = '\0';
		/* Other than the sink, only allocations can fail with the
		 * parameters checked above. */
		return sink.err ? sink.err : -ENOMEM;
	}

	png_set_write_fn(png, &sink, sink_write, sink_flush);
	png_set_IHDR(png, info, side, side, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_write_info(png, info);
	for (unsigned y = 0; y < side; y++) {
		/* A module's pixel rows are all alike. */
		if (y % module_px == 0)
			fill_row(q, module_px, y, row, rowbytes);
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return 0;
}
