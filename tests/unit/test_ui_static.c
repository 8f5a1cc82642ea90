/* The web UI's static files: which paths are looked up and under what
 * name (ui_path: traversal, dot-files, control characters, the API's
 * prefixes, a raw %00), content types and cache policy; Accept-Encoding
 * weights and the order of siblings, entity tags and If-None-Match
 * (ui_negotiate); and, in a scratch UI directory, opening beneath it
 * (symlinks, directories, a FIFO, escapes, with openat2 and with the
 * per-component walk) and whole answers (ui_static_answer: siblings,
 * 304, SPA fallback, 404s, the "not installed" answer). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "api/http.h"
#include "api/ui_negotiate.h"
#include "api/ui_path.h"
#include "api/ui_static.h"
#include "common/cleanup.h"
#include "common/banned.h"

static char root[PATH_MAX]; /* scratch: root/ui is the UI, root/outside is not */
static char ui[PATH_MAX + 8];

/* --- ui_path ------------------------------------------------------------ */

static void expect_name(const char *path, const char *want)
{
	char name[UI_NAME_MAX];
	int r = ui_path_check(path, name, sizeof(name));
	if (r != 0)
		fail_msg("ui_path_check('%s') = %d, want 0", path, r);
	assert_string_equal(name, want);
}

static void expect_refused(const char *path, int want)
{
	char name[UI_NAME_MAX] = "untouched";
	int r = ui_path_check(path, name, sizeof(name));
	if (r != want)
		fail_msg("ui_path_check('%s') = %d, want %d", path, r, want);
	assert_string_equal(name, "untouched");
}

static void test_path_names(void **state)
{
	expect_name("/", "index.html");
	expect_name("/index.html", "index.html");
	expect_name("/assets/app-0123abcd.js", "assets/app-0123abcd.js");
	expect_name("/dns/records", "dns/records");
	expect_name("/dir/", "dir/");
	expect_name("/favicon.svg", "favicon.svg");
	expect_name("/caf\xc3\xa9", "caf\xc3\xa9");
	expect_name("/a..b/c...", "a..b/c...");
	expect_name("/with space", "with space");
}

static void test_path_refused(void **state)
{
	static const char *const bad[] = {
		"", "assets/x.js", "http://host/x", "//", "//etc/passwd", "/a//b", "/..", "/../etc/passwd",
		"/a/../b", "/a/..", "/./index.html", "/a/.", "/.", "/a\\b", "/..\\x", "/a\x01b", "/a\nb",
		"/a\x7f", "/\t",
		/* A malformed segment beats a dot-file. */
		"/.git/../x",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		expect_refused(bad[i], -EINVAL);
	expect_refused(NULL, -EINVAL);
	static const char *const hidden[] = {
		"/.env", "/.git/config", "/assets/.hidden.js", "/a/.b/c", "/.well-known/x", "/...",
	};
	for (size_t i = 0; i < ARRAY_SIZE(hidden); i++)
		expect_refused(hidden[i], -ENOENT);
}

static void test_path_lengths(void **state)
{
	char path[UI_PATH_MAX + 2];
	path[0] = '/';
	memset(path + 1, 'a', UI_PATH_MAX - 1);
	path[UI_PATH_MAX] = '\0';
	char name[UI_NAME_MAX];
	assert_int_equal(ui_path_check(path, name, sizeof(name)), 0);
	assert_int_equal(strlen(name), UI_PATH_MAX - 1);
	path[UI_PATH_MAX] = 'a';
	path[UI_PATH_MAX + 1] = '\0';
	expect_refused(path, -ENAMETOOLONG);
	/* The caller's buffer bounds it too. */
	char small[4] = "xyz";
	assert_int_equal(ui_path_check("/abcd", small, sizeof(small)), -ENAMETOOLONG);
	assert_string_equal(small, "xyz");
	assert_int_equal(ui_path_check("/abc", small, sizeof(small)), 0);
	assert_string_equal(small, "abc");
}

static void test_path_api_and_assets(void **state)
{
	static const char *const api[] = { "/api", "/api/", "/api/nope", "/api/config/", "/health", "/health/x" };
	for (size_t i = 0; i < ARRAY_SIZE(api); i++)
		if (!ui_path_is_api(api[i]))
			fail_msg("'%s' is the API's", api[i]);
	static const char *const not_api[] = { "/", "/apix", "/healthz", "/API/x", "/dns/api", "/index.html" };
	for (size_t i = 0; i < ARRAY_SIZE(not_api); i++)
		if (ui_path_is_api(not_api[i]))
			fail_msg("'%s' is the UI's", not_api[i]);

	assert_true(ui_path_in_assets("/assets"));
	assert_true(ui_path_in_assets("/assets/"));
	assert_true(ui_path_in_assets("/assets/x.js"));
	assert_false(ui_path_in_assets("/assetsx"));
	assert_false(ui_path_in_assets("/x/assets/y.js"));
	assert_false(ui_path_in_assets("/"));
}

static void test_path_raw_nul(void **state)
{
	assert_true(ui_path_raw_has_nul("/a%00b"));
	assert_true(ui_path_raw_has_nul("%00"));
	assert_true(ui_path_raw_has_nul("/index.html%00.png?x=1"));
	assert_false(ui_path_raw_has_nul("/a?x=%00"));
	assert_false(ui_path_raw_has_nul("/%2500"));
	assert_false(ui_path_raw_has_nul("/a%0"));
	assert_false(ui_path_raw_has_nul("/a%01"));
	assert_false(ui_path_raw_has_nul("/"));
	assert_false(ui_path_raw_has_nul(NULL));
}

static void test_content_types(void **state)
{
	static const struct {
		const char *name, *type;
	} cases[] = {
		{ "index.html", "text/html; charset=utf-8" },
		{ "INDEX.HTML", "text/html; charset=utf-8" },
		{ "assets/app-0123abcd.js", "text/javascript; charset=utf-8" },
		{ "assets/x.mjs", "text/javascript; charset=utf-8" },
		{ "assets/app-0123abcd.css", "text/css; charset=utf-8" },
		{ "favicon.svg", "image/svg+xml" },
		{ "logo.png", "image/png" },
		{ "favicon.ico", "image/x-icon" },
		{ "data.json", "application/json" },
		{ "manifest.webmanifest", "application/manifest+json" },
		{ "assets/font-1.woff2", "font/woff2" },
		{ "robots.txt", "text/plain; charset=utf-8" },
		{ "assets/app-0123abcd.js.map", "application/json" },
		{ "x.bin", "application/octet-stream" },
		{ "noext", "application/octet-stream" },
		{ "dir.d/file", "application/octet-stream" },
		{ "assets/app.js.gz", "application/octet-stream" },
		{ "dir/", "application/octet-stream" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (strcmp(ui_path_content_type(cases[i].name), cases[i].type) != 0)
			fail_msg("%s: '%s', want '%s'", cases[i].name, ui_path_content_type(cases[i].name),
				 cases[i].type);
}

static void test_cache_policy(void **state)
{
	assert_string_equal(ui_path_cache_control("/assets/app-0123abcd.js"), "public, max-age=31536000, immutable");
	assert_string_equal(ui_path_cache_control("/assets/sub/x.css"), UI_CACHE_IMMUTABLE);
	static const char *const revalidate[] = { "/", "/index.html", "/favicon.svg", "/assets/", "/assets",
						  "/assetsx/y.js", "/dns/records" };
	for (size_t i = 0; i < ARRAY_SIZE(revalidate); i++)
		assert_string_equal(ui_path_cache_control(revalidate[i]), "no-cache");
}

/* --- ui_negotiate ------------------------------------------------------- */

static void test_accept_encoding(void **state)
{
	static const struct {
		const char *header;
		unsigned br, gzip;
	} cases[] = {
		{ NULL, 0, 0 },
		{ "", 0, 0 },
		{ "identity", 0, 0 },
		{ "gzip", 0, 1000 },
		{ "br", 1000, 0 },
		{ "gzip, deflate, br", 1000, 1000 },
		{ "gzip, deflate, br, zstd", 1000, 1000 },
		{ "br;q=0", 0, 0 },
		{ "br;q=0.", 0, 0 },
		{ "br;q=0.000, gzip", 0, 1000 },
		{ "BR;Q=0.5", 500, 0 },
		{ "gzip;q=1.0", 0, 1000 },
		{ "gzip;q=1.000", 0, 1000 },
		{ "gzip;q=0.001", 0, 1 },
		{ "gzip ; q=0.3 , br ;q=0.25", 250, 300 },
		{ "x-gzip", 0, 1000 },
		{ "*", 1000, 1000 },
		{ "*;q=0.2, br", 1000, 200 },
		{ "*, gzip;q=0", 1000, 0 },
		{ "*;q=0", 0, 0 },
		{ "br;level=5", 1000, 0 },
		{ "br;level=5;q=0.7", 700, 0 },
		{ "  ,, br ,", 1000, 0 },
		/* Named twice: the lower weight. */
		{ "gzip, gzip;q=0", 0, 0 },
		{ "gzip;q=0.4, gzip;q=0.9", 0, 400 },
		/* Malformed weights refuse their coding. */
		{ "gzip;q=1.001", 0, 0 },
		{ "gzip;q=2", 0, 0 },
		{ "gzip;q=0.5000", 0, 0 },
		{ "gzip;q=", 0, 0 },
		{ "gzip;q", 0, 0 },
		{ "gzip;q=abc, br", 1000, 0 },
		{ "gzip;q=-1", 0, 0 },
		{ "br q=0", 0, 0 },
		/* Not ours. */
		{ "brotli, gzipx, compress", 0, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ui_accept a = { 99, 99 };
		ui_negotiate_accept(cases[i].header, &a);
		if (a.br != cases[i].br || a.gzip != cases[i].gzip)
			fail_msg("'%s': br %u gzip %u, want %u %u", cases[i].header ? cases[i].header : "(none)", a.br,
				 a.gzip, cases[i].br, cases[i].gzip);
	}
}

static void test_encoding_order(void **state)
{
	enum ui_encoding order[2];
	assert_int_equal(ui_negotiate_order(&(struct ui_accept){ 1000, 1000 }, order), 2);
	assert_int_equal(order[0], UI_ENC_BR);
	assert_int_equal(order[1], UI_ENC_GZIP);
	assert_int_equal(ui_negotiate_order(&(struct ui_accept){ 500, 1000 }, order), 2);
	assert_int_equal(order[0], UI_ENC_GZIP);
	assert_int_equal(order[1], UI_ENC_BR);
	assert_int_equal(ui_negotiate_order(&(struct ui_accept){ 0, 300 }, order), 1);
	assert_int_equal(order[0], UI_ENC_GZIP);
	assert_int_equal(ui_negotiate_order(&(struct ui_accept){ 1, 0 }, order), 1);
	assert_int_equal(order[0], UI_ENC_BR);
	assert_int_equal(ui_negotiate_order(&(struct ui_accept){ 0, 0 }, order), 0);

	assert_string_equal(ui_negotiate_suffix(UI_ENC_BR), ".br");
	assert_string_equal(ui_negotiate_suffix(UI_ENC_GZIP), ".gz");
	assert_null(ui_negotiate_suffix(UI_ENC_IDENTITY));
	assert_string_equal(ui_negotiate_coding(UI_ENC_BR), "br");
	assert_string_equal(ui_negotiate_coding(UI_ENC_GZIP), "gzip");
	assert_null(ui_negotiate_coding(UI_ENC_IDENTITY));
}

static void test_etag(void **state)
{
	struct stat st = { .st_ino = 0x1234, .st_size = 16 };
	st.st_mtim.tv_sec = 1;
	st.st_mtim.tv_nsec = 5;
	char etag[UI_ETAG_MAX];
	assert_int_equal(ui_negotiate_etag(&st, etag, sizeof(etag)), 0);
	assert_string_equal(etag, "\"1234-10-3b9aca05\"");
	/* Each of inode, size and time changes it. */
	char other[UI_ETAG_MAX];
	struct stat changed = st;
	changed.st_mtim.tv_nsec = 6;
	assert_int_equal(ui_negotiate_etag(&changed, other, sizeof(other)), 0);
	assert_string_not_equal(etag, other);
	changed = st;
	changed.st_size = 17;
	assert_int_equal(ui_negotiate_etag(&changed, other, sizeof(other)), 0);
	assert_string_not_equal(etag, other);
	changed = st;
	changed.st_ino = 0x1235;
	assert_int_equal(ui_negotiate_etag(&changed, other, sizeof(other)), 0);
	assert_string_not_equal(etag, other);
	/* The largest values fit. */
	struct stat big = { .st_ino = (ino_t)-1, .st_size = INT64_MAX };
	big.st_mtim.tv_sec = INT32_MAX;
	big.st_mtim.tv_nsec = 999999999;
	assert_int_equal(ui_negotiate_etag(&big, other, sizeof(other)), 0);
	char small[8];
	assert_int_equal(ui_negotiate_etag(&st, small, sizeof(small)), -ENOBUFS);
}

static void test_none_match(void **state)
{
	const char *etag = "\"1234-10-3b9aca05\"";
	assert_false(ui_negotiate_none_match(NULL, etag));
	assert_false(ui_negotiate_none_match("", etag));
	assert_true(ui_negotiate_none_match("*", etag));
	assert_true(ui_negotiate_none_match("\"1234-10-3b9aca05\"", etag));
	assert_true(ui_negotiate_none_match("W/\"1234-10-3b9aca05\"", etag));
	assert_true(ui_negotiate_none_match("\"a\", \"1234-10-3b9aca05\"", etag));
	assert_true(ui_negotiate_none_match(" \"a\" ,W/\"1234-10-3b9aca05\" ", etag));
	assert_false(ui_negotiate_none_match("\"a\", \"b\"", etag));
	assert_false(ui_negotiate_none_match("\"1234-10-3b9aca05x\"", etag));
	assert_false(ui_negotiate_none_match("\"1234-10-3b9aca0\"", etag));
	assert_false(ui_negotiate_none_match("1234-10-3b9aca05", etag));
	assert_false(ui_negotiate_none_match("\"1234-10-3b9aca05", etag));
	/* Matching stops at the first malformed element. */
	assert_false(ui_negotiate_none_match("bad, \"1234-10-3b9aca05\"", etag));
}

/* --- the scratch UI directory -------------------------------------------- */

static void write_file(const char *rel, const char *content)
{
	char p[PATH_MAX * 2];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	assert_int_equal(fclose(f), 0);
}

static void set_mtime(const char *rel, time_t sec, long nsec)
{
	char p[PATH_MAX * 2];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	struct timespec t[2] = { { .tv_sec = sec, .tv_nsec = nsec }, { .tv_sec = sec, .tv_nsec = nsec } };
	assert_int_equal(utimensat(AT_FDCWD, p, t, 0), 0);
}

static int setup(void **state)
{
	char tmpl[] = "/tmp/pic-ui-XXXXXX";
	if (!mkdtemp(tmpl) || !realpath(tmpl, root))
		return -1;
	snprintf(ui, sizeof(ui), "%s/ui", root);
	char p[PATH_MAX * 2];
	static const char *const dirs[] = { "ui", "ui/assets", "ui/sub", "empty", "outside" };
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(p, sizeof(p), "%s/%s", root, dirs[i]);
		if (mkdir(p, 0755) < 0)
			return -1;
	}
	write_file("ui/index.html", "<!doctype html><title>PIC</title>\n");
	write_file("ui/assets/app-0123abcd.js", "console.log('the app, uncompressed');\n");
	write_file("ui/assets/app-0123abcd.js.br", "BR");
	write_file("ui/assets/app-0123abcd.js.gz", "GZIP");
	write_file("ui/assets/style-0123abcd.css", "body{}\n");
	write_file("ui/assets/style-0123abcd.css.br", "OLD");
	write_file("ui/assets/style-0123abcd.css.gz", "GZ");
	write_file("ui/sub/page.txt", "text\n");
	write_file("ui/.env", "SECRET=1\n");
	write_file("outside/secret.txt", "not for the web\n");
	/* The build's times: the siblings as new as their file (the .gz
	 * within its second, as a compressor that copies the time in whole
	 * seconds leaves it), but the css's .br left from an older build. */
	static const char *const files[] = { "ui/assets/app-0123abcd.js", "ui/assets/app-0123abcd.js.br",
					     "ui/assets/app-0123abcd.js.gz", "ui/assets/style-0123abcd.css.gz" };
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		set_mtime(files[i], 1700000000, 0);
	set_mtime("ui/assets/style-0123abcd.css", 1700000000, 500000000);
	set_mtime("ui/assets/style-0123abcd.css.br", 1699999999, 999999999);
	write_file("empty/favicon.svg", "<svg/>");

	snprintf(p, sizeof(p), "%s/ui/secret.txt", root);
	if (symlink("../outside/secret.txt", p) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/ui/abs.txt", root);
	char target[PATH_MAX * 2];
	snprintf(target, sizeof(target), "%s/outside/secret.txt", root);
	if (symlink(target, p) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/ui/linkdir", root);
	if (symlink("../outside", p) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/ui/pipe", root);
	return mkfifo(p, 0644);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int teardown(void **state)
{
	return nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void test_open_beneath(void **state)
{
	_cleanup_close_ int dirfd = open(ui, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(dirfd >= 0);
	for (int walk = 0; walk < 2; walk++) {
		int fd = -1;
		struct stat st;
		assert_int_equal(ui_static_open(dirfd, "assets/app-0123abcd.js", walk, &fd, &st), 0);
		assert_true(S_ISREG(st.st_mode));
		int flags = fcntl(fd, F_GETFL), fdflags = fcntl(fd, F_GETFD);
		assert_false(flags & O_NONBLOCK);
		assert_true(fdflags & FD_CLOEXEC);
		assert_int_equal(flags & O_ACCMODE, O_RDONLY);
		close(fd);
		assert_int_equal(ui_static_open(dirfd, "index.html", walk, &fd, &st), 0);
		close(fd);

		static const struct {
			const char *name;
			int want;
		} cases[] = {
			{ "missing.js", -ENOENT },
			{ "assets/missing.js", -ENOENT },
			{ "nodir/x.js", -ENOENT },
			{ "index.html/x", -ENOTDIR },
			{ "index.html/", -ENOTDIR },
			{ "assets", -EISDIR },
			{ "assets/", -EISDIR },
			{ "secret.txt", -ELOOP },
			{ "abs.txt", -ELOOP },
			{ "linkdir/secret.txt", -ELOOP },
			{ "pipe", -EPERM },
		};
		for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
			fd = -42;
			int r = ui_static_open(dirfd, cases[i].name, walk, &fd, &st);
			if (r != cases[i].want)
				fail_msg("%s (walk %d): %d, want %d", cases[i].name, walk, r, cases[i].want);
			assert_int_equal(fd, -42);
		}
		/* What ui_path_check never lets through is refused anyway. */
		static const char *const escapes[] = { "../outside/secret.txt", "sub/../../outside/secret.txt",
						       "/etc/passwd" };
		for (size_t i = 0; i < ARRAY_SIZE(escapes); i++)
			if (ui_static_open(dirfd, escapes[i], walk, &fd, &st) == 0)
				fail_msg("%s (walk %d) was opened", escapes[i], walk);
	}
}

/* --- whole answers ------------------------------------------------------ */

static const char *header(const struct http_response *res, const char *name)
{
	for (unsigned i = 0; i < res->n_headers; i++)
		if (strcasecmp(res->headers[i].name, name) == 0)
			return res->headers[i].value;
	return NULL;
}

static off_t size_of(const char *rel)
{
	char p[PATH_MAX * 2];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(stat(p, &st), 0);
	return st.st_size;
}

/* The bytes of the file an answer would send. */
static void expect_body(const struct http_response *res, const char *want)
{
	assert_true(res->has_file);
	char buf[256];
	ssize_t n = pread(res->file_fd, buf, sizeof(buf) - 1, 0);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, want);
	assert_int_equal(res->file_size, strlen(want));
}

static void answer(const char *dir, const char *path, const char *ae, const char *inm, struct http_response *res)
{
	*res = (struct http_response){ 0 };
	struct ui_static_request q = { .path = path, .accept_encoding = ae, .if_none_match = inm };
	assert_int_equal(ui_static_answer(dir, &q, res), 0);
}

static void expect_text(const struct http_response *res, unsigned status, const char *words)
{
	assert_int_equal(res->status, status);
	assert_false(res->has_file);
	assert_non_null(res->raw);
	assert_string_equal(res->raw_type, "text/plain; charset=utf-8");
	char text[1024];
	assert_true(res->raw_len < sizeof(text));
	memcpy(text, res->raw, res->raw_len);
	text[res->raw_len] = '\0';
	if (!strstr(text, words))
		fail_msg("'%s' not in '%s'", words, text);
	assert_null(header(res, "ETag"));
}

static void test_answer_index_and_fallback(void **state)
{
	struct http_response res;
	static const char *const index_paths[] = { "/", "/index.html", "/dns/records", "/peers/laptop/", "/sub",
						   "/sub/", "/index.html/x" };
	for (size_t i = 0; i < ARRAY_SIZE(index_paths); i++) {
		answer(ui, index_paths[i], "gzip, br", NULL, &res);
		assert_int_equal(res.status, 200);
		expect_body(&res, "<!doctype html><title>PIC</title>\n");
		assert_string_equal(res.raw_type, "text/html; charset=utf-8");
		assert_string_equal(header(&res, "Cache-Control"), "no-cache");
		assert_string_equal(header(&res, "Vary"), "Accept-Encoding");
		assert_non_null(header(&res, "ETag"));
		assert_null(header(&res, "Content-Encoding"));
		http_response_clear(&res);
		assert_false(res.has_file);
	}
	answer(ui, "/sub/page.txt", NULL, NULL, &res);
	expect_body(&res, "text\n");
	assert_string_equal(res.raw_type, "text/plain; charset=utf-8");
	assert_string_equal(header(&res, "Cache-Control"), "no-cache");
	http_response_clear(&res);
}

static void test_answer_siblings(void **state)
{
	static const struct {
		const char *ae, *body, *coding;
	} cases[] = {
		{ "gzip, deflate, br", "BR", "br" },
		{ "br", "BR", "br" },
		{ "gzip", "GZIP", "gzip" },
		{ "br;q=0, gzip", "GZIP", "gzip" },
		{ "br;q=0.5, gzip", "GZIP", "gzip" },
		{ "*", "BR", "br" },
		{ "br;q=0, gzip;q=0", "console.log('the app, uncompressed');\n", NULL },
		{ "identity", "console.log('the app, uncompressed');\n", NULL },
		{ NULL, "console.log('the app, uncompressed');\n", NULL },
	};
	char etags[ARRAY_SIZE(cases)][UI_ETAG_MAX];
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct http_response res;
		answer(ui, "/assets/app-0123abcd.js", cases[i].ae, NULL, &res);
		assert_int_equal(res.status, 200);
		expect_body(&res, cases[i].body);
		/* The type is the file's, whichever sibling is sent. */
		assert_string_equal(res.raw_type, "text/javascript; charset=utf-8");
		assert_string_equal(header(&res, "Cache-Control"), "public, max-age=31536000, immutable");
		assert_string_equal(header(&res, "Vary"), "Accept-Encoding");
		const char *coding = header(&res, "Content-Encoding");
		if (cases[i].coding)
			assert_string_equal(coding, cases[i].coding);
		else
			assert_null(coding);
		snprintf(etags[i], sizeof(etags[i]), "%s", header(&res, "ETag"));
		http_response_clear(&res);
	}
	/* Each sibling its own entity tag. */
	assert_string_not_equal(etags[0], etags[2]);
	assert_string_not_equal(etags[0], etags[6]);
	assert_string_not_equal(etags[2], etags[6]);
	assert_string_equal(etags[6], etags[8]);

	/* A sibling older than its file is not sent. */
	struct http_response res;
	answer(ui, "/assets/style-0123abcd.css", "br, gzip", NULL, &res);
	expect_body(&res, "GZ");
	assert_string_equal(header(&res, "Content-Encoding"), "gzip");
	assert_string_equal(res.raw_type, "text/css; charset=utf-8");
	http_response_clear(&res);
	answer(ui, "/assets/style-0123abcd.css", "br", NULL, &res);
	expect_body(&res, "body{}\n");
	assert_null(header(&res, "Content-Encoding"));
	http_response_clear(&res);
}

static void test_answer_not_modified(void **state)
{
	struct http_response res;
	answer(ui, "/", NULL, NULL, &res);
	char etag[UI_ETAG_MAX];
	snprintf(etag, sizeof(etag), "%s", header(&res, "ETag"));
	http_response_clear(&res);

	char list[UI_ETAG_MAX * 2];
	snprintf(list, sizeof(list), "\"other\", %s", etag);
	answer(ui, "/dns/records", NULL, list, &res);
	assert_int_equal(res.status, 304);
	/* Still the file, for its Content-Length; no type. */
	assert_true(res.has_file);
	assert_int_equal(res.file_size, size_of("ui/index.html"));
	assert_null(res.raw_type);
	assert_string_equal(header(&res, "ETag"), etag);
	assert_string_equal(header(&res, "Cache-Control"), "no-cache");
	assert_string_equal(header(&res, "Vary"), "Accept-Encoding");
	http_response_clear(&res);

	answer(ui, "/", NULL, "\"other\"", &res);
	assert_int_equal(res.status, 200);
	http_response_clear(&res);

	/* The tag of the br sibling does not match the plain file's, and
	 * a 304 for a sibling carries no Content-Encoding. */
	answer(ui, "/assets/app-0123abcd.js", "br", NULL, &res);
	snprintf(etag, sizeof(etag), "%s", header(&res, "ETag"));
	http_response_clear(&res);
	answer(ui, "/assets/app-0123abcd.js", "br", etag, &res);
	assert_int_equal(res.status, 304);
	assert_int_equal(res.file_size, 2);
	assert_null(header(&res, "Content-Encoding"));
	http_response_clear(&res);
	answer(ui, "/assets/app-0123abcd.js", NULL, etag, &res);
	assert_int_equal(res.status, 200);
	http_response_clear(&res);
}

static void test_answer_refusals(void **state)
{
	struct http_response res;
	static const char *const not_found[] = { "/assets/missing.js", "/assets/", "/assets", "/.env",
						 "/secret.txt", "/abs.txt", "/linkdir/secret.txt", "/pipe" };
	for (size_t i = 0; i < ARRAY_SIZE(not_found); i++) {
		answer(ui, not_found[i], NULL, NULL, &res);
		expect_text(&res, 404, "Not found");
		http_response_clear(&res);
	}
	static const char *const bad[] = { "/../outside/secret.txt", "/..", "/a/../index.html", "/a\\b", "//x" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		answer(ui, bad[i], NULL, NULL, &res);
		expect_text(&res, 400, "cannot name a file");
		http_response_clear(&res);
	}
	res = (struct http_response){ 0 };
	struct ui_static_request q = { .path = "/index.html", .path_nul = true };
	assert_int_equal(ui_static_answer(ui, &q, &res), 0);
	expect_text(&res, 400, "cannot name a file");
	http_response_clear(&res);

	char long_path[UI_PATH_MAX + 8];
	long_path[0] = '/';
	memset(long_path + 1, 'x', UI_PATH_MAX + 2);
	long_path[UI_PATH_MAX + 3] = '\0';
	answer(ui, long_path, NULL, NULL, &res);
	expect_text(&res, 414, "too long");
	http_response_clear(&res);
}

static void test_answer_not_installed(void **state)
{
	char empty[PATH_MAX + 8], missing[PATH_MAX + 16];
	snprintf(empty, sizeof(empty), "%s/empty", root);
	snprintf(missing, sizeof(missing), "%s/missing", root);
	const char *dirs[] = { empty, missing, "/nonexistent/pic/ui" };
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		static const char *const paths[] = { "/", "/dns/records", "/assets/app.js" };
		for (size_t j = 0; j < ARRAY_SIZE(paths); j++) {
			struct http_response res;
			answer(dirs[i], paths[j], NULL, NULL, &res);
			expect_text(&res, 404, "web UI is not installed");
			expect_text(&res, 404, "make build");
			http_response_clear(&res);
		}
		assert_true(ui_static_check(dirs[i]) < 0);
	}
	assert_int_equal(ui_static_check(ui), 0);
	/* What is there is still served. */
	struct http_response res;
	answer(empty, "/favicon.svg", NULL, NULL, &res);
	expect_body(&res, "<svg/>");
	assert_string_equal(res.raw_type, "image/svg+xml");
	http_response_clear(&res);
}

static void test_wants(void **state)
{
	struct http_request req = { .method = HTTP_GET, .path = "/" };
	assert_true(ui_static_wants(&req));
	req.method = HTTP_HEAD;
	assert_true(ui_static_wants(&req));
	req.method = HTTP_POST;
	assert_false(ui_static_wants(&req));
	req.method = HTTP_GET;
	req.path = "/api/nope";
	assert_false(ui_static_wants(&req));
	req.path = "/health/";
	assert_false(ui_static_wants(&req));
	req.path = "/dns/records";
	req.local = true;
	assert_false(ui_static_wants(&req));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_names),
		cmocka_unit_test(test_path_refused),
		cmocka_unit_test(test_path_lengths),
		cmocka_unit_test(test_path_api_and_assets),
		cmocka_unit_test(test_path_raw_nul),
		cmocka_unit_test(test_content_types),
		cmocka_unit_test(test_cache_policy),
		cmocka_unit_test(test_accept_encoding),
		cmocka_unit_test(test_encoding_order),
		cmocka_unit_test(test_etag),
		cmocka_unit_test(test_none_match),
		cmocka_unit_test(test_open_beneath),
		cmocka_unit_test(test_answer_index_and_fallback),
		cmocka_unit_test(test_answer_siblings),
		cmocka_unit_test(test_answer_not_modified),
		cmocka_unit_test(test_answer_refusals),
		cmocka_unit_test(test_answer_not_installed),
		cmocka_unit_test(test_wants),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
