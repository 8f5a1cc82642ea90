/* The web UI's files (see ui_static.h). */
#include "ui_static.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "daemon.h"
#include "ui_negotiate.h"
#include "ui_path.h"
#include "common/banned.h"

#define TEXT_TYPE "text/plain; charset=utf-8"

/* O_NONBLOCK: opening a FIFO someone put there must not wait for a
 * writer (it is refused after the fstat); cleared for a regular file. */
#define FILE_FLAGS (O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)

static const char not_installed[] =
	"The PIC web UI is not installed.\n"
	"Build it with `make build` (or install it with `make install`) and reload this page;\n"
	"picd serves it from the directory named by --ui-dir (see picd --help).\n"
	"The API answers under /api/ meanwhile.\n";

static int text(struct http_response *res, unsigned status, const char *msg)
{
	return http_reply_raw(res, status, TEXT_TYPE, msg, strlen(msg));
}

/* Without openat2 (kernels before 5.6, some seccomp filters): one
 * component at a time, none of them followed if it is a symlink.
 * ui_path_check has already refused "." and ".." and empty segments but
 * a trailing one; they are refused again here. */
static int open_walk(int dirfd, const char *name, int *ret_fd)
{
	_cleanup_close_ int cur = -1;
	int at = dirfd;
	for (const char *seg = name;;) {
		size_t len = strcspn(seg, "/");
		char part[NAME_MAX + 1];
		if (len == 0)
			return at == dirfd ? -EINVAL : -EISDIR; /* "dir/": a directory */
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(part, seg, len);
		part[len] = '\0';
		if (strcmp(part, ".") == 0 || strcmp(part, "..") == 0)
			return -EINVAL;
		bool last = seg[len] == '\0';
		int fd = openat(at, part, last ? FILE_FLAGS : O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		if (cur >= 0)
			close(cur);
		cur = at = fd;
		if (last)
			break;
		struct stat st;
		if (fstat(cur, &st) < 0)
			return -errno;
		if (S_ISLNK(st.st_mode))
			return -ELOOP;
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
		seg += len + 1;
	}
	*ret_fd = TAKE_FD(cur);
	return 0;
}

int ui_static_open(int dirfd, const char *name, bool walk, int *ret_fd, struct stat *ret_st)
{
	_cleanup_close_ int fd = -1;
	if (!walk) {
		struct open_how how = {
			.flags = FILE_FLAGS,
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
		};
		fd = (int)syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
		if (fd < 0 && errno != ENOSYS && errno != EPERM)
			return -errno;
	}
	if (fd < 0) {
		int r = open_walk(dirfd, name, &fd);
		if (r < 0)
			return r;
	}
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EPERM;
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
		return -errno;
	*ret_fd = TAKE_FD(fd);
	*ret_st = st;
	return 0;
}

/* By whole seconds: compressors that copy their input's time onto their
 * output (brotli, through utime) keep only its seconds. */
static bool older(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec < b->st_mtim.tv_sec;
}

/* The sibling of `name` for the first encoding in `order` that has one
 * (a regular file no older than `name`'s): replaces *fd and *st and
 * returns the encoding, else UI_ENC_IDENTITY. */
static enum ui_encoding pick_sibling(int dirfd, const char *name, const struct ui_static_request *q, int *fd,
				     struct stat *st)
{
	struct ui_accept accept;
	enum ui_encoding order[2];
	ui_negotiate_accept(q->accept_encoding, &accept);
	size_t n = ui_negotiate_order(&accept, order);
	for (size_t i = 0; i < n; i++) {
		char sibling[UI_NAME_MAX + 8];
		int len = snprintf(sibling, sizeof(sibling), "%s%s", name, ui_negotiate_suffix(order[i]));
		int sfd;
		struct stat sst;
		if (len < 0 || (size_t)len >= sizeof(sibling) || ui_static_open(dirfd, sibling, false, &sfd, &sst) < 0)
			continue;
		/* A sibling older than its file is left from a build before. */
		if (older(&sst, st)) {
			close(sfd);
			continue;
		}
		close(*fd);
		*fd = sfd;
		*st = sst;
		return order[i];
	}
	return UI_ENC_IDENTITY;
}

/* Answers with file `name` (open as `fd`, taken) or its best sibling,
 * as the file of request path `path` for its cache policy. */
static int serve(int dirfd, const char *name, int fd, struct stat *st, const char *path,
		 const struct ui_static_request *q, struct http_response *res)
{
	enum ui_encoding enc = pick_sibling(dirfd, name, q, &fd, st);
	char etag[UI_ETAG_MAX];
	if (ui_negotiate_etag(st, etag, sizeof(etag)) < 0) {
		close(fd);
		return -ENOBUFS; /* cannot happen: UI_ETAG_MAX fits three 64-bit numbers */
	}
	/* A 304 carries what a cache needs to update its copy (RFC 9110
	 * 15.4.5), not the representation's type or encoding. */
	bool not_modified = ui_negotiate_none_match(q->if_none_match, etag);
	http_reply_file_take(res, not_modified ? 304 : 200, not_modified ? NULL : ui_path_content_type(name), fd,
			     (uint64_t)st->st_size);
	http_response_header(res, MHD_HTTP_HEADER_CACHE_CONTROL, "%s", ui_path_cache_control(path));
	http_response_header(res, MHD_HTTP_HEADER_ETAG, "%s", etag);
	http_response_header(res, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	if (enc != UI_ENC_IDENTITY && !not_modified)
		http_response_header(res, MHD_HTTP_HEADER_CONTENT_ENCODING, "%s", ui_negotiate_coding(enc));
	return 0;
}

int ui_static_answer(const char *dir, const struct ui_static_request *q, struct http_response *res)
{
	char name[UI_NAME_MAX];
	int r = q->path_nul ? -EINVAL : ui_path_check(q->path, name, sizeof(name));
	if (r == -ENAMETOOLONG)
		return text(res, 414, "The path is too long.\n");
	if (r == -ENOENT)
		return text(res, 404, "Not found.\n");
	if (r < 0)
		return text(res, 400, "This path cannot name a file of the web UI.\n");

	_cleanup_close_ int dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return text(res, 404, not_installed);
	int fd;
	struct stat st;
	r = ui_static_open(dirfd, name, false, &fd, &st);
	if (r == 0)
		return serve(dirfd, name, fd, &st, q->path, q, res);
	/* Something is there but is not for serving (a symlink, a special
	 * file, unreadable): refused, never replaced by index.html. */
	if (r != -ENOENT && r != -ENOTDIR && r != -EISDIR)
		return text(res, 404, "Not found.\n");

	/* Names no file: the UI's index.html, which routes on the client,
	 * except where only build output lives. */
	r = ui_static_open(dirfd, "index.html", false, &fd, &st);
	if (r < 0)
		return text(res, 404, not_installed);
	if (ui_path_in_assets(q->path)) {
		close(fd);
		return text(res, 404, "Not found.\n");
	}
	return serve(dirfd, "index.html", fd, &st, "/", q, res);
}

int ui_static_check(const char *dir)
{
	_cleanup_close_ int dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	int fd;
	struct stat st;
	int r = ui_static_open(dirfd, "index.html", false, &fd, &st);
	if (r == 0)
		close(fd);
	return r;
}

bool ui_static_wants(const struct http_request *req)
{
	return !req->local && (req->method == HTTP_GET || req->method == HTTP_HEAD) && !ui_path_is_api(req->path);
}

static int serve_route(struct daemon *d, struct http_request *req, struct http_response *res)
{
	const struct ui_static_request q = {
		.path = req->path,
		.path_nul = req->path_nul,
		.accept_encoding = http_request_header(req, MHD_HTTP_HEADER_ACCEPT_ENCODING),
		.if_none_match = http_request_header(req, MHD_HTTP_HEADER_IF_NONE_MATCH),
	};
	return ui_static_answer(d->opt.ui_dir, &q, res);
}

const struct route ui_static_route = {
	HTTP_GET, "/", serve_route, ROUTE_PUBLIC, 0, "The web UI's files",
};
