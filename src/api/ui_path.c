/* The web UI's request paths (see ui_path.h). */
#include "ui_path.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "common/cleanup.h"
#include "common/banned.h"

/* `path` is `prefix` or below it. */
static bool under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

bool ui_path_is_api(const char *path)
{
	return under(path, "/api") || under(path, "/health");
}

bool ui_path_in_assets(const char *path)
{
	return under(path, "/assets");
}

bool ui_path_raw_has_nul(const char *target)
{
	if (!target)
		return false;
	for (const char *p = target; *p && *p != '?'; p++)
		if (p[0] == '%' && p[1] == '0' && p[2] == '0')
			return true;
	return false;
}

static bool segment_is_dots(const char *seg, size_t len)
{
	return (len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.');
}

int ui_path_check(const char *path, char *ret_name, size_t len)
{
	if (!path || path[0] != '/')
		return -EINVAL;
	size_t n = strlen(path);
	if (n > UI_PATH_MAX)
		return -ENAMETOOLONG;
	bool hidden = false;
	for (const char *seg = path + 1;;) {
		size_t seg_len = strcspn(seg, "/");
		bool last = seg[seg_len] == '\0';
		/* Only the last segment may be empty: "/" and "/dir/". */
		if ((seg_len == 0 && !last) || segment_is_dots(seg, seg_len))
			return -EINVAL;
		if (seg_len > 0 && seg[0] == '.')
			hidden = true;
		for (size_t i = 0; i < seg_len; i++) {
			unsigned char c = (unsigned char)seg[i];
			if (c < 0x20 || c == 0x7f || c == '\\')
				return -EINVAL;
		}
		if (last)
			break;
		seg += seg_len + 1;
	}
	if (hidden)
		return -ENOENT;
	const char *name = n == 1 ? "index.html" : path + 1;
	size_t name_len = strlen(name);
	if (name_len >= len)
		return -ENAMETOOLONG;
	memcpy(ret_name, name, name_len + 1);
	return 0;
}

static const struct {
	const char *ext;
	const char *type;
} content_types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "mjs", "text/javascript; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "svg", "image/svg+xml" },
	{ "png", "image/png" },
	{ "ico", "image/x-icon" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "avif", "image/avif" },
	{ "json", "application/json" },
	{ "map", "application/json" },
	{ "webmanifest", "application/manifest+json" },
	{ "woff2", "font/woff2" },
	{ "woff", "font/woff" },
	{ "ttf", "font/ttf" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "wasm", "application/wasm" },
};

const char *ui_path_content_type(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	const char *dot = strrchr(base, '.');
	if (dot && dot != base)
		for (size_t i = 0; i < ARRAY_SIZE(content_types); i++)
			if (strcasecmp(dot + 1, content_types[i].ext) == 0)
				return content_types[i].type;
	return "application/octet-stream";
}

const char *ui_path_cache_control(const char *path)
{
	size_t n = strlen(UI_ASSETS_PREFIX);
	if (strncmp(path, UI_ASSETS_PREFIX, n) == 0 && path[n] != '\0')
		return UI_CACHE_IMMUTABLE;
	return UI_CACHE_REVALIDATE;
}
