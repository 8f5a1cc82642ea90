/* Failures to messages and exit statuses (see cli_error.h). */
#include "cli_error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli_http.h"
#include "cli_json.h"
#include "common/cleanup.h"

#include "common/banned.h"

int cli_error_usage(const char *fmt, ...)
{
	va_list ap;
	fputs("pic: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_EXIT_USAGE;
}

int cli_error_local(int r, const char *what)
{
	fprintf(stderr, "pic: %s: %s\n", what, strerror(-r));
	return CLI_EXIT_USAGE;
}

int cli_error_refused(const struct cli_ctx *ctx, long status, const json_t *body)
{
	const json_t *err = json_object_get(body, "error");
	const char *message = json_string_value(json_object_get(err, "message"));
	const char *field = json_string_value(json_object_get(err, "field"));
	char fallback[64];

	if (!message) {
		/* Not PIC's error shape (a proxy, a crash page): say what we know. */
		int n = snprintf(fallback, sizeof(fallback), "picd answered HTTP %ld", status);
		message = (n > 0 && (size_t)n < sizeof(fallback)) ? fallback : "picd refused";
	}
	if (field)
		fprintf(stderr, "pic: %s (field: %s)\n", message, field);
	else
		fprintf(stderr, "pic: %s\n", message);

	if (ctx->json) {
		if (err) {
			cli_json_print(body);
		} else {
			json_t *made = json_pack("{s:{s:s,s:s}}", "error", "code", "http_error",
						 "message", message);
			if (made)
				cli_json_print(made);
			json_decref(made);
		}
	}
	return CLI_EXIT_REFUSED;
}

int cli_error_transport(const struct cli_ctx *ctx, int r)
{
	switch (r) {
	case -ETIMEDOUT:
		fprintf(stderr, "pic: picd at '%s' did not answer in time\n", ctx->socket);
		break;
	case -EFBIG:
		fprintf(stderr, "pic: picd's answer is larger than pic accepts (%d bytes)\n",
			CLI_HTTP_BODY_MAX);
		break;
	case -EBADMSG:
		fprintf(stderr, "pic: picd at '%s' sent an answer pic does not understand\n", ctx->socket);
		break;
	case -ENOMEM:
		fprintf(stderr, "pic: out of memory\n");
		break;
	case -EIO:
		fprintf(stderr, "pic: talking to picd at '%s' failed\n", ctx->socket);
		break;
	default:
		/* Anything else is the errno of connect(2) on the socket. */
		fprintf(stderr, "pic: cannot reach picd at '%s': %s\n", ctx->socket, strerror(-r));
		if (r == -EACCES || r == -EPERM)
			fprintf(stderr, "pic: the control socket is for root; try again with sudo\n");
		else if (r == -ENOENT || r == -ECONNREFUSED)
			fprintf(stderr, "pic: is picd running? Start it (systemctl start picd, or"
					" make run in a source tree), or point pic at its socket with"
					" --socket PATH or PIC_SOCKET.\n");
		break;
	}
	return CLI_EXIT_UNREACHABLE;
}
