/* The built web UI (Vite's output: index.html, assets/<name>-<hash>.*,
 * maybe favicon.svg, each file perhaps with precompressed X.br and X.gz
 * beside it), served from picd's --ui-dir for the GET and HEAD requests
 * of the TCP listeners that no route takes and that are not the API's
 * (dispatch.c gives them ui_static_route).
 *
 * A path is looked up only once ui_path_check passed it, and opened with
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) beneath the directory
 * (or, without openat2, one component at a time with O_NOFOLLOW): no
 * "..", symlink or magic link leads out, and only regular files are
 * sent, from their descriptor, by libmicrohttpd (sendfile); nothing is
 * read into memory. A path that names no file gets index.html (the UI's
 * own client-side routes), except under /assets/, where it is a 404.
 * Without a built UI every such request answers 404 with a short text
 * that says how to build it. */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>

#include "http.h"
#include "router.h"

/* The fallback route: not in the route table (not an API path, not in
 * the OpenAPI document or --list-routes). */
extern const struct route ui_static_route;

/* Whether a request that matched no route is the UI's: GET or HEAD, on a
 * TCP listener (not the control socket), outside /api and /health. */
bool ui_static_wants(const struct http_request *req);

/* What an answer depends on. */
struct ui_static_request {
	const char *path;            /* decoded, as libmicrohttpd gives it */
	bool path_nul;               /* see http_request.path_nul */
	const char *accept_encoding; /* the header, or NULL */
	const char *if_none_match;   /* the header, or NULL */
};

/* Answers `q` from directory `dir` into `res`: 200 or 304 with the file
 * (or its .br/.gz sibling) and its Cache-Control, ETag and Vary; 400 for
 * a path that cannot name a file; 404 for a missing asset, a dot-file, a
 * symlink or a special file; 404 "not installed" when `dir` has no
 * index.html to fall back on. 0, or -ENOMEM. */
int ui_static_answer(const char *dir, const struct ui_static_request *q, struct http_response *res);

/* 0 when `dir` holds a readable index.html, else -errno (for the log at
 * start). */
int ui_static_check(const char *dir);

/* Opens `name` (from ui_path_check) beneath directory `dirfd` for
 * reading, refusing symlinks anywhere (-ELOOP) and whatever is not a
 * regular file (-EISDIR for a directory, -EPERM otherwise); a special
 * file is never opened blocking. `walk` uses the per-component fallback
 * even where openat2 exists (tests). The descriptor is blocking and
 * close-on-exec; `ret_st` is its fstat. */
int ui_static_open(int dirfd, const char *name, bool walk, int *ret_fd, struct stat *ret_st);
