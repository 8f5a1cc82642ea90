/* The web UI's request paths, as pure functions (no I/O): which requests
 * are the UI's rather than the API's, which decoded paths may be looked
 * up beneath the UI directory and under what name, and the content type
 * and cache policy of what is served. ui_static.c opens and answers. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Longest decoded request path looked up (bytes, without the NUL). */
#define UI_PATH_MAX 1024
/* A name from ui_path_check, with room for a ".br"/".gz" suffix. */
#define UI_NAME_MAX (UI_PATH_MAX + 4)

/* The immutable, content-hashed files of a Vite build. */
#define UI_ASSETS_PREFIX "/assets/"
#define UI_CACHE_IMMUTABLE "public, max-age=31536000, immutable"
#define UI_CACHE_REVALIDATE "no-cache"

/* Whether `path` is the API's: /api, /api/..., /health and /health/...
 * An unknown path there keeps the API's JSON 404; any other path is the
 * UI's. */
bool ui_path_is_api(const char *path);

/* Whether the request target as it arrived, before libmicrohttpd
 * percent-decoded it, has "%00" in its path (before any '?'). The decoded
 * path then ends at that NUL, so the path a handler sees is not the one
 * that was asked for. NULL (no target) has none. */
bool ui_path_raw_has_nul(const char *target);

/* Checks a decoded request path and writes the name to look up beneath
 * the UI directory into `ret_name` (`len` bytes; UI_NAME_MAX is always
 * enough): "/" is "index.html", otherwise the path without its leading
 * '/'. One trailing '/' stays (it then names a directory, never a file).
 *   -EINVAL        not a path to look up: no leading '/', a '\\', a
 *                  control character, an empty, "." or ".." segment
 *   -ENOENT        a segment that starts with '.' (a dot-file): never served
 *   -ENAMETOOLONG  longer than UI_PATH_MAX, or than `len` allows
 * `ret_name` is written only on success. */
int ui_path_check(const char *path, char *ret_name, size_t len);

/* Whether `path` is /assets or below it: a missing file there is a 404,
 * never the SPA's index.html. */
bool ui_path_in_assets(const char *path);

/* The Content-Type for a file name, by its extension (case-insensitive);
 * application/octet-stream when unknown. Text types carry charset=utf-8. */
const char *ui_path_content_type(const char *name);

/* The Cache-Control for a file served at request path `path`: immutable
 * for /assets/ (their names change with their content), "no-cache"
 * (revalidate with the ETag each time) for the rest, index.html first. */
const char *ui_path_cache_control(const char *path);
