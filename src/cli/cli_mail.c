/* pic mail (see cli_mail.h). */
#include "cli_mail.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_error.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_list.h"
#include "cli_table.h"
#include "cli_time.h"
#include "cli_url.h"
#include "common/cleanup.h"
#include "common/banned.h"

static int status_run(const struct cli_ctx *ctx, int argc, char **argv);
static int queue_run(const struct cli_ctx *ctx, int argc, char **argv);
static int flush_run(const struct cli_ctx *ctx, int argc, char **argv);
static int rm_run(const struct cli_ctx *ctx, int argc, char **argv);

const struct cli_cmd cli_mail_cmds[] = {
	{ .name = "status", .args = "", .help = "the mail daemons, the host names for clients, the queue and counts",
	  .run = status_run, .min_args = 0, .max_args = 0 },
	{ .name = "queue", .args = "", .help = "list the messages waiting in postfix's queue", .run = queue_run,
	  .min_args = 0, .max_args = 0 },
	{ .name = "flush", .args = "", .help = "try every queued message now", .run = flush_run, .min_args = 0,
	  .max_args = 0 },
	{ .name = "rm", .args = "ID", .help = "delete a queued message (not delivered, its sender not told)",
	  .run = rm_run, .min_args = 1, .max_args = 1 },
	{ 0 },
};

static json_int_t num(const json_t *doc, const char *path)
{
	const json_t *v;
	return cli_json_lookupn(doc, path, strlen(path), &v) == 0 ? json_integer_value(v) : 0;
}

static const char *str(const json_t *doc, const char *path)
{
	const json_t *v;
	return cli_json_lookupn(doc, path, strlen(path), &v) == 0 ? cli_json_string_or(v, "-") : "-";
}

static int status_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	bool done;
	int r = cli_object_fetch(ctx, &(struct cli_request){ .method = "GET", .path = "/api/email/status" }, &resp,
				 &done);
	if (r != 0 || done)
		return r;
	const json_t *d = resp.body;
	char since[64];
	cli_time_local((int64_t)num(d, "counts.since"), since, sizeof(since));
	printf("addresses:  <name>@%s\n"
	       "smtp:       %s (postfix), %s: 465 TLS, 587 STARTTLS; inbound on 25\n"
	       "imap:       %s (dovecot), %s: 993 TLS, 143 STARTTLS; ManageSieve 4190\n"
	       "queue:      %lld (incoming %lld, active %lld, deferred %lld, hold %lld)\n"
	       "since %s: delivered %lld, deferred %lld, bounced %lld, rejected %lld\n",
	       str(d, "domain"), str(d, "services.smtp"), str(d, "hosts.smtp"), str(d, "services.imap"),
	       str(d, "hosts.imap"), (long long)num(d, "queue.total"), (long long)num(d, "queue.incoming"),
	       (long long)num(d, "queue.active"), (long long)num(d, "queue.deferred"), (long long)num(d, "queue.hold"),
	       since, (long long)num(d, "counts.delivered"), (long long)num(d, "counts.deferred"),
	       (long long)num(d, "counts.bounced"), (long long)num(d, "counts.rejected"));
	return CLI_EXIT_OK;
}

static int add_message_row(struct cli_table *t, const json_t *m)
{
	char when[64], size[32], rcpts[512] = "";
	cli_time_local((int64_t)json_integer_value(json_object_get(m, "arrival_time")), when, sizeof(when));
	snprintf(size, sizeof(size), "%lld", (long long)json_integer_value(json_object_get(m, "size")));
	const json_t *r;
	size_t i;
	json_array_foreach(json_object_get(m, "recipients"), i, r) {
		size_t used = strlen(rcpts);
		const char *why = json_string_value(json_object_get(r, "delay_reason"));
		snprintf(rcpts + used, sizeof(rcpts) - used, "%s%s%s%s%s", i ? ", " : "",
			 cli_json_string_or(json_object_get(r, "address"), "?"), why ? " (" : "", why ? why : "",
			 why ? ")" : "");
	}
	return cli_table_add(t, cli_json_string_or(json_object_get(m, "id"), "?"),
			     cli_json_string_or(json_object_get(m, "queue"), "?"), when, size,
			     cli_json_string_or(json_object_get(m, "sender"), "<>"), rcpts[0] ? rcpts : "-");
}

static const char *const columns[] = { "ID", "QUEUE", "ARRIVED", "BYTES", "SENDER", "RECIPIENTS" };

static const struct cli_listing listing = {
	.req = { .method = "GET", .path = "/api/email/queue" }, .key = "messages", .empty = "the queue is empty",
	.what = "the mail queue", .columns = columns, .n_columns = ARRAY_SIZE(columns), .add_row = add_message_row,
};

static int queue_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_list_print(ctx, &listing);
}

static int flush_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = cli_http_call(ctx, &(struct cli_request){ .method = "POST", .path = "/api/email/queue/flush" }, &resp);
	if (r == 0 && !ctx->json)
		printf("postfix is trying every queued message now\n");
	return r;
}

static int rm_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_free_ char *path = NULL;
	int r = cli_url_join("/api/email/queue/", argv[0], &path);
	if (r < 0)
		return r == -ENAMETOOLONG ? cli_error_usage("queue id too long") : cli_error_local(r, "building the request");
	_cleanup_response_ struct cli_response resp = { 0 };
	r = cli_http_call(ctx, &(struct cli_request){ .method = "DELETE", .path = path }, &resp);
	if (r == 0 && !ctx->json)
		printf("message %s deleted from the queue\n", argv[0]);
	return r;
}
