/* `pic logs SVC [-n N] [-f]` (see cli_logs.h). Without -f it is one GET
 * of /api/services/SVC/logs?tail=N ({"lines": [...]}); with -f the same
 * path with follow=1 answers with an event stream (Server-Sent Events)
 * whose "data:" lines are the output lines, first the last N, then new
 * ones. Comments (": ping") and other fields ("retry:") are skipped. ^C
 * ends following with status 0, as does picd ending the stream. */
#include "cli_logs.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli_error.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_services.h"
#include "common/strparse.h"

#include "common/banned.h"

#define TAIL_DEFAULT 100
#define TAIL_MAX 10000

/* Set by SIGINT while following; the only global here. */
static volatile sig_atomic_t interrupted;

struct logs_args {
	const char *name;
	uint32_t tail;
	bool follow;
};

static int parse_args(int argc, char **argv, struct logs_args *ret)
{
	struct logs_args a = { .tail = TAIL_DEFAULT };

	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *value;

		if (strcmp(arg, "-f") == 0 || strcmp(arg, "--follow") == 0) {
			a.follow = true;
			continue;
		}
		if (strcmp(arg, "-n") == 0) {
			if (i + 1 >= argc)
				return cli_error_usage("-n needs a number of lines");
			value = argv[++i];
		} else if (strncmp(arg, "-n", 2) == 0) {
			value = arg + 2;
		} else if (arg[0] == '-') {
			return cli_error_usage("unknown option '%s'; see 'pic logs --help'", arg);
		} else if (a.name) {
			return cli_error_usage("one service at a time, not '%s' and '%s'", a.name, arg);
		} else {
			a.name = arg;
			continue;
		}
		if (parse_u32(value, 0, TAIL_MAX, &a.tail) < 0)
			return cli_error_usage("-n takes a number of lines from 0 to %d, not '%s'",
					       TAIL_MAX, value);
	}
	if (!a.name)
		return cli_error_usage("which service? usage: pic logs SVC [-n N] [-f]");
	*ret = a;
	return 0;
}

/* One output line: as it is, or with --json as a JSON string (a line that
 * is not UTF-8 becomes "(undecodable line)", as picd does for the tail). */
static int print_line(const char *line, size_t len, bool json)
{
	if (json) {
		_cleanup_json_ json_t *s = json_stringn(line, len);
		if (!s)
			s = json_string("(undecodable line)");
		if (!s)
			return -ENOMEM;
		json_dumpf(s, stdout, JSON_ENCODE_ANY);
	} else {
		fwrite(line, 1, len, stdout);
	}
	fputc('\n', stdout);
	/* Someone is watching: each line as soon as it is here. */
	if (fflush(stdout) != 0 || ferror(stdout))
		return -EIO;
	return 0;
}

static int print_tail(const struct cli_ctx *ctx, const char *path)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	const json_t *line;
	size_t i;

	int r = cli_http_call(ctx, &(struct cli_request){ .method = "GET", .path = path }, &resp);
	if (r != 0)
		return r;
	const json_t *lines = json_object_get(resp.body, "lines");
	if (!json_is_array(lines))
		return cli_error_transport(ctx, -EBADMSG);
	if (ctx->json) {
		cli_json_print(resp.body);
		return CLI_EXIT_OK;
	}
	json_array_foreach(lines, i, line)
		printf("%s\n", json_is_string(line) ? json_string_value(line) : "?");
	return CLI_EXIT_OK;
}

struct follow {
	bool json;
	int error; /* why printing failed, -errno */
};

static int on_event_line(const char *line, size_t len, void *userdata)
{
	struct follow *f = userdata;
	static const char field[] = "data:";
	const size_t n = sizeof(field) - 1;

	if (len < n || memcmp(line, field, n) != 0)
		return 0;
	line += n;
	len -= n;
	/* The one space after the colon is not part of the value. */
	if (len > 0 && line[0] == ' ') {
		line++;
		len--;
	}
	int r = print_line(line, len, f->json);
	if (r < 0) {
		f->error = r;
		return r;
	}
	return 0;
}

static void on_sigint(int sig)
{
	interrupted = 1;
}

static int follow(const struct cli_ctx *ctx, const char *path)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	struct follow f = { .json = ctx->json };
	/* No SA_RESTART: the wait in curl returns at once and sees the flag. */
	struct sigaction sa = { .sa_handler = on_sigint };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) < 0)
		return cli_error_local(-errno, "catching ^C");
	int r = cli_http_stream(ctx,
				&(struct cli_request){ .method = "GET", .path = path,
						       .accept = "text/event-stream" },
				&interrupted, on_event_line, &f, &resp);
	if (f.error < 0)
		return cli_error_local(f.error, "writing the output");
	if (r == -EINTR)
		return CLI_EXIT_OK;
	if (r < 0)
		return cli_error_transport(ctx, r);
	if (resp.status < 200 || resp.status > 299)
		return cli_error_refused(ctx, resp.status, resp.body);
	return CLI_EXIT_OK;
}

int cli_logs_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct logs_args a = { 0 };
	char base[CLI_SERVICES_PATH_MAX], path[CLI_SERVICES_PATH_MAX + 32];

	int r = parse_args(argc, argv, &a);
	if (r != 0)
		return r;
	r = cli_services_path(a.name, "logs", base);
	if (r != 0)
		return r;
	int n = snprintf(path, sizeof(path), "%s?tail=%u%s", base, (unsigned)a.tail,
			 a.follow ? "&follow=1" : "");
	if (n < 0 || (size_t)n >= sizeof(path))
		return cli_error_local(-ENAMETOOLONG, "building the request");
	return a.follow ? follow(ctx, path) : print_tail(ctx, path);
}
