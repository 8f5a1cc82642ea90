/* Exit statuses of `pic` and the one place that turns failures into
 * messages. Every message goes to stderr as "pic: ..."; with --json a
 * refusal from picd is also printed as JSON on stdout so scripts can read
 * it. Each function returns the exit status the command should end with. */
#pragma once

#include <jansson.h>

#include "cli_cmd.h"

enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_USAGE = 1,       /* bad command line, or pic itself failed */
	CLI_EXIT_REFUSED = 2,     /* picd answered 4xx/5xx */
	CLI_EXIT_UNREACHABLE = 3, /* no well-formed answer from picd */
};

/* "pic: <message>"; returns CLI_EXIT_USAGE. */
int cli_error_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A local failure (-errno `r`) while doing `what`; returns CLI_EXIT_USAGE. */
int cli_error_local(int r, const char *what);

/* picd answered `status` with `body` ({"error":{"code","message","field"}},
 * or anything else); returns CLI_EXIT_REFUSED. */
int cli_error_refused(const struct cli_ctx *ctx, long status, const json_t *body);

/* cli_http_request() failed with -errno `r`; names the socket and says how
 * to start picd. Returns CLI_EXIT_UNREACHABLE. */
int cli_error_transport(const struct cli_ctx *ctx, int r);
