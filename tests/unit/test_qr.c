/* QR codes of WireGuard client configs: the symbol has a valid size; the
 * terminal and SVG renderings have the documented shape and, read back,
 * give exactly the symbol's modules; the PNG, decoded by a real scanner
 * (zbarimg, skipped if missing), gives back the config byte for byte;
 * bad text and bad scales are refused, and a full buffer leaves the
 * output as it was.
 *
 * The SVG is not decoded by a scanner: no SVG rasteriser (rsvg-convert,
 * ImageMagick, inkscape) is part of the machine's packages, so its
 * modules are checked by parsing its path instead. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/qr.h"
#include "vpn/qr_png.h"
#include "common/banned.h"

#define ZBARIMG "/usr/bin/zbarimg"

/* 320 bytes, the shape picd writes (keys are random, not secrets). */
static const char wg_conf[] =
	"[Interface]\n"
	"PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n"
	"Address = 10.0.0.2/32\n"
	"DNS = 10.0.0.1\n"
	"\n"
	"[Peer]\n"
	"PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\n"
	"PresharedKey = FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=\n"
	"Endpoint = home.example.net:51820\n"
	"AllowedIPs = 0.0.0.0/0, ::/0\n"
	"PersistentKeepalive = 25\n";

static struct qr *encode_ok(const char *text)
{
	struct qr *q = NULL;
	assert_int_equal(qr_encode(text, &q), 0);
	assert_non_null(q);
	return q;
}

static void test_encode(void **state)
{
	_cleanup_(qr_freep) struct qr *q = encode_ok(wg_conf);
	unsigned w = qr_width(q);
	assert_in_range(w, 21, 177);
	assert_int_equal((w - 21) % 4, 0);
	/* Level L: version 11, as `qrencode < client.conf` makes it. */
	assert_int_equal(w, 61);

	/* Finder patterns: dark corners with a light separator ring; the
	 * quiet zone is light. */
	assert_true(qr_dark(q, 0, 0));
	assert_true(qr_dark(q, (int)w - 1, 0));
	assert_true(qr_dark(q, 0, (int)w - 1));
	assert_false(qr_dark(q, 7, 7));
	assert_false(qr_dark(q, -1, 0));
	assert_false(qr_dark(q, 0, -QR_QUIET_ZONE));
	assert_false(qr_dark(q, (int)w, 0));
	assert_false(qr_dark(q, 0, (int)w + QR_QUIET_ZONE - 1));
}

/* Reads one glyph of the terminal rendering: bit 0 upper half light, bit 1
 * lower half light. Advances *p; -1 on anything else. */
static int read_glyph(const char **p)
{
	static const char *const glyph[4] = { " ", "\u2580", "\u2584", "\u2588" };
	for (int i = 0; i < 4; i++) {
		size_t n = strlen(glyph[i]);
		if (strncmp(*p, glyph[i], n) == 0) {
			*p += n;
			return i;
		}
	}
	return -1;
}

static void test_terminal(void **state)
{
	_cleanup_(qr_freep) struct qr *q = encode_ok(wg_conf);
	const int w = (int)qr_width(q), side = w + 2 * QR_QUIET_ZONE;
	struct buf b;
	buf_init(&b, 1 << 16);
	assert_int_equal(qr_terminal(q, &b), 0);

	/* Every line: `side` glyphs, then "\n"; each glyph's halves are the
	 * modules' colours (light drawn), the quiet zone included. */
	const char *p = b.data;
	int lines = 0;
	for (int y = -QR_QUIET_ZONE; y < w + QR_QUIET_ZONE; y += 2, lines++) {
		for (int x = -QR_QUIET_ZONE; x < w + QR_QUIET_ZONE; x++) {
			int g = read_glyph(&p);
			assert_int_not_equal(g, -1);
			assert_int_equal(g & 1, !qr_dark(q, x, y));
			if (y + 1 < w + QR_QUIET_ZONE)
				assert_int_equal(g >> 1, !qr_dark(q, x, y + 1));
			else
				assert_int_equal(g >> 1, 0); /* below the code: background */
		}
		assert_int_equal(*p, '\n');
		p++;
	}
	assert_int_equal(*p, '\0');
	assert_int_equal(lines, (side + 1) / 2);
	assert_int_equal(p - b.data, (ptrdiff_t)b.len);

	/* The first line is two rows of quiet zone: all full blocks. */
	assert_memory_equal(b.data, "\u2588\u2588\u2588", 9);
	buf_free(&b);
}

static void test_svg(void **state)
{
	_cleanup_(qr_freep) struct qr *q = encode_ok(wg_conf);
	const unsigned w = qr_width(q), side = w + 2 * QR_QUIET_ZONE, px = 5;
	struct buf b;
	buf_init(&b, 1 << 18);
	assert_int_equal(qr_svg(q, px, &b), 0);

	assert_int_equal(strncmp(b.data, "<svg ", 5), 0);
	char want[128];
	int n = snprintf(want, sizeof(want), "width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\"", side * px,
			 side * px, side, side);
	assert_in_range(n, 1, sizeof(want) - 1);
	assert_non_null(strstr(b.data, want));
	assert_non_null(strstr(b.data, "fill=\"#fff\""));
	const char *end = "</svg>\n";
	assert_true(b.len > strlen(end));
	assert_string_equal(b.data + b.len - strlen(end), end);

	/* Exactly one path; its runs, painted on a grid, are the dark
	 * modules, shifted by the quiet zone, none painted twice. */
	const char *d = strstr(b.data, "<path ");
	assert_non_null(d);
	assert_null(strstr(d + 1, "<path"));
	d = strstr(d, " d=\"");
	assert_non_null(d);
	d += 4;
	uint8_t *grid = calloc((size_t)side * side, 1);
	assert_non_null(grid);
	while (*d == 'M') {
		unsigned x, y, run, back;
		int used = 0;
		assert_int_equal(sscanf(d, "M%u %uh%uv1h-%uz%n", &x, &y, &run, &back, &used), 4);
		assert_true(used > 0);
		assert_int_equal(run, back);
		assert_true(run >= 1 && x + run <= w + QR_QUIET_ZONE && y < w + QR_QUIET_ZONE);
		for (unsigned i = 0; i < run; i++) {
			assert_int_equal(grid[(size_t)y * side + x + i], 0);
			grid[(size_t)y * side + x + i] = 1;
		}
		d += used;
	}
	assert_int_equal(*d, '"');
	for (unsigned y = 0; y < side; y++)
		for (unsigned x = 0; x < side; x++)
			assert_int_equal(grid[(size_t)y * side + x],
					 qr_dark(q, (int)x - QR_QUIET_ZONE, (int)y - QR_QUIET_ZONE));
	free(grid);
	buf_free(&b);
}

static uint32_t be32(const char *p)
{
	const uint8_t *u = (const uint8_t *)p;
	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

/* Runs zbarimg on the PNG in `png` and returns what it read (malloc'ed),
 * or NULL if it read nothing. */
static char *zbar_decode(const struct buf *png)
{
	char path[] = "/tmp/test_qr.XXXXXX.png";
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, png->data, png->len), (ssize_t)png->len);
	close(fd);

	int pipefd[2];
	assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	/* It complains about the missing D-Bus on every run. */
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	char *const argv[] = { ZBARIMG, "--raw", "-q", path, NULL };
	char *const envp[] = { "PATH=/usr/bin:/bin", NULL };
	pid_t pid;
	assert_int_equal(posix_spawn(&pid, ZBARIMG, &fa, NULL, argv, envp), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);

	struct buf got;
	buf_init(&got, 1 << 16);
	char chunk[4096];
	ssize_t n;
	while ((n = read(pipefd[0], chunk, sizeof(chunk))) > 0)
		assert_int_equal(buf_append(&got, chunk, (size_t)n), 0);
	close(pipefd[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	unlink(path);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		print_message("zbarimg exit status %d\n", status);
		buf_free(&got);
		return NULL;
	}
	return buf_steal(&got);
}

static void assert_png_round_trip(const char *text, unsigned px)
{
	struct qr *q = encode_ok(text);
	const unsigned side = (qr_width(q) + 2 * QR_QUIET_ZONE) * px;
	struct buf png;
	buf_init(&png, 1 << 20);
	assert_int_equal(qr_png(q, px, &png), 0);
	qr_free(q); /* not a cleanup variable: skip() longjmps past those */

	/* Signature, then IHDR: the size, 1-bit grayscale. */
	assert_true(png.len > 33);
	assert_memory_equal(png.data, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(png.data + 12, "IHDR", 4);
	assert_int_equal(be32(png.data + 16), side);
	assert_int_equal(be32(png.data + 20), side);
	assert_int_equal(png.data[24], 1); /* bit depth */
	assert_int_equal(png.data[25], 0); /* colour type: grayscale */

	if (access(ZBARIMG, X_OK) != 0) {
		print_message("skipped: " ZBARIMG " missing (Debian zbar-tools)\n");
		buf_free(&png);
		skip();
	}
	char *got = zbar_decode(&png);
	assert_non_null(got);
	/* zbarimg --raw ends each symbol's data with a newline. */
	size_t len = strlen(text);
	assert_int_equal(strlen(got), len + 1);
	assert_memory_equal(got, text, len);
	assert_int_equal(got[len], '\n');
	free(got);
	buf_free(&png);
}

static void test_png_round_trip(void **state)
{
	assert_png_round_trip(wg_conf, 4);
}

/* The smallest scale zbarimg reads: at 1 px per module it finds no
 * symbol even in `qrencode -s 1`'s own PNG. */
static void test_png_round_trip_small(void **state)
{
	assert_png_round_trip(wg_conf, 2);
}

/* The largest symbol, version 40, at the largest text. */
static void test_png_round_trip_max(void **state)
{
	char *text = malloc(QR_MAX_BYTES + 1);
	assert_non_null(text);
	for (size_t i = 0; i < QR_MAX_BYTES; i++)
		text[i] = wg_conf[i % (sizeof(wg_conf) - 1)];
	text[QR_MAX_BYTES] = '\0';
	struct qr *q = encode_ok(text);
	assert_int_equal(qr_width(q), 177);
	qr_free(q);
	assert_png_round_trip(text, 3);
	free(text);
}

static void test_bad_text(void **state)
{
	struct qr *q = NULL;
	assert_int_equal(qr_encode(NULL, &q), -EINVAL);
	assert_int_equal(qr_encode("", &q), -EINVAL);

	char *text = malloc(QR_MAX_BYTES + 2);
	assert_non_null(text);
	memset(text, 'a', QR_MAX_BYTES + 1);
	text[QR_MAX_BYTES + 1] = '\0';
	assert_int_equal(qr_encode(text, &q), -EINVAL);
	assert_null(q);
	free(text);
	qr_free(NULL);
}

static void test_bad_scale(void **state)
{
	_cleanup_(qr_freep) struct qr *q = encode_ok(wg_conf);
	struct buf b;
	buf_init(&b, 1 << 20);
	assert_int_equal(buf_append(&b, "x", 1), 0);
	static const unsigned bad[] = { 0, QR_MODULE_PX_MAX + 1, 17, 1000 };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(qr_svg(q, bad[i], &b), -EINVAL);
		assert_int_equal(qr_png(q, bad[i], &b), -EINVAL);
		assert_string_equal(b.data, "x");
	}
	assert_int_equal(qr_svg(q, QR_MODULE_PX_MAX, &b), 0);
	assert_int_equal(qr_png(q, QR_MODULE_PX_MAX, &b), 0);
	buf_free(&b);
}

/* A buffer too small for a rendering: -E2BIG, and what it held before is
 * all it holds after. */
static void test_full_buffer(void **state)
{
	_cleanup_(qr_freep) struct qr *q = encode_ok(wg_conf);
	struct buf b;
	buf_init(&b, 200);
	assert_int_equal(buf_append(&b, "kept", 4), 0);
	assert_int_equal(qr_terminal(q, &b), -E2BIG);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "kept");
	assert_int_equal(qr_svg(q, 4, &b), -E2BIG);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "kept");
	assert_int_equal(qr_png(q, 4, &b), -E2BIG);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "kept");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_terminal),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_png_round_trip),
		cmocka_unit_test(test_png_round_trip_small),
		cmocka_unit_test(test_png_round_trip_max),
		cmocka_unit_test(test_bad_text),
		cmocka_unit_test(test_bad_scale),
		cmocka_unit_test(test_full_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
