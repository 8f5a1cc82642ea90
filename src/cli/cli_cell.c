/* `pic stop` without a service: POST /api/cell/stop
 * ({"stopped": [names], "picd_stopping": true}), then wait until nothing
 * accepts connections on the control socket any more, so that a script
 * can count on picd being down once `pic stop` returns 0. */
#include "cli_cell.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "cli_error.h"
#include "cli_http.h"
#include "cli_json.h"

#include "common/banned.h"

#define STOP_WAIT_MS 10000
#define STOP_POLL_MS 100

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* 0 once the socket refuses connections (or is gone), -ETIMEDOUT when it
 * still accepts them after STOP_WAIT_MS. */
static int wait_gone(const struct cli_ctx *ctx)
{
	const struct timespec pause = { .tv_nsec = STOP_POLL_MS * 1000000L };
	uint64_t deadline = now_ms() + STOP_WAIT_MS;

	for (;;) {
		if (cli_http_probe(ctx) < 0)
			return 0;
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
		nanosleep(&pause, NULL);
	}
}

int cli_cell_stop(const struct cli_ctx *ctx)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	const json_t *name;
	size_t i;

	int r = cli_http_call(ctx, &(struct cli_request){ .method = "POST", .path = "/api/cell/stop" },
			      &resp);
	if (r != 0)
		return r;
	const json_t *stopped = json_object_get(resp.body, "stopped");
	if (!json_is_array(stopped))
		return cli_error_transport(ctx, -EBADMSG);
	if (ctx->json) {
		cli_json_print(resp.body);
	} else {
		json_array_foreach(stopped, i, name)
			printf("%s: stopped\n", json_is_string(name) ? json_string_value(name) : "?");
		printf("picd: stopping\n");
	}
	/* What is printed so far is true already; say it before waiting. */
	fflush(stdout);

	if (wait_gone(ctx) < 0) {
		fprintf(stderr, "pic: picd at '%s' still accepts connections %d s after it was told"
				" to stop\n", ctx->socket, STOP_WAIT_MS / 1000);
		return CLI_EXIT_REFUSED;
	}
	if (!ctx->json)
		printf("picd: stopped\n");
	return CLI_EXIT_OK;
}
