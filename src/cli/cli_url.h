/* Building request paths from user words: a name, a zone or a MAC
 * address goes into a path segment or a query value percent-encoded, so
 * that '/', '?', '&', '#', '%' or a space in it cannot change which
 * resource is asked for. picd (libmicrohttpd) decodes both. */
#pragma once

#include <stddef.h>

#include "common/buf.h"

/* The longest path pic sends (the request URL is capped at 1 KiB). */
#define CLI_URL_PATH_MAX 900

/* Appends `s` to `b` with every byte but A-Z a-z 0-9 '-' '.' '_' '~'
 * written as %XX. -E2BIG when it does not fit under b's limit, -ENOMEM. */
int cli_url_escape(struct buf *b, const char *s);

/* "<prefix><escaped segment>" into a new string the caller frees:
 * cli_url_join("/api/dns/forwards/", zone). -ENAMETOOLONG past
 * CLI_URL_PATH_MAX, -ENOMEM. */
int cli_url_join(const char *prefix, const char *segment, char **ret_path);
