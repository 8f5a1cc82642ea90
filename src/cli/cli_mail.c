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
#include "cli_mail_aliases.h"
#include "cli_passwd.h"
#include "cli_table.h"
#include "cli_time.h"
#include "cli_url.h"
#include "common/cleanup.h"
#include "common/strparse.h"
#include "common/banned.h"

static int status_run(const struct cli_ctx *ctx, int argc, char **argv);
static int queue_run(const struct cli_ctx *ctx, int argc, char **argv);
static int flush_run(const struct cli_ctx *ctx, int argc, char **argv);
static int rm_run(const struct cli_ctx *ctx, int argc, char **argv);
static int relay_run(const struct cli_ctx *ctx, int argc, char **argv);
static int domains_run(const struct cli_ctx *ctx, int argc, char **argv);
static int domain_add_run(const struct cli_ctx *ctx, int argc, char **argv);
static int domain_rm_run(const struct cli_ctx *ctx, int argc, char **argv);

const struct cli_cmd cli_mail_cmds[] = {
	{ .name = "status", .args = "", .help = "the mail daemons, the host names for clients, the queue and counts",
	  .run = status_run, .min_args = 0, .max_args = 0 },
	{ .name = "queue", .args = "", .help = "list the messages waiting in postfix's queue", .run = queue_run,
	  .min_args = 0, .max_args = 0 },
	{ .name = "flush", .args = "", .help = "try every queued message now", .run = flush_run, .min_args = 0,
	  .max_args = 0 },
	{ .name = "rm", .args = "ID", .help = "delete a queued message (not delivered, its sender not told)",
	  .run = rm_run, .min_args = 1, .max_args = 1 },
	{ .name = "relay", .args = "[HOST[:PORT] [--user NAME] | --direct]",
	  .help = "show or set how mail for other servers leaves: through a relay host (its password is asked, or "
		  "read from stdin), or --direct to each recipient's server",
	  .run = relay_run, .min_args = 0, .max_args = 3 },
	{ .name = "domains", .args = "", .help = "the mail domains and the DNS records each needs",
	  .run = domains_run, .min_args = 0, .max_args = 0 },
	{ .name = "domain-add", .args = "DOMAIN",
	  .help = "receive and send as <name>@DOMAIN too, for every account with mail", .run = domain_add_run,
	  .min_args = 1, .max_args = 1 },
	{ .name = "domain-rm", .args = "DOMAIN", .help = "stop serving an extra mail domain", .run = domain_rm_run,
	  .min_args = 1, .max_args = 1 },
	{ .name = "aliases", .args = "", .help = "every account's aliases", .run = cli_mail_aliases_run,
	  .min_args = 0, .max_args = 0 },
	{ .name = "alias-add", .args = "ALIAS ACCOUNT", .help = "mail to ALIAS@<each mail domain> reaches ACCOUNT",
	  .run = cli_mail_alias_add_run, .min_args = 2, .max_args = 2 },
	{ .name = "alias-rm", .args = "ALIAS", .help = "take an alias away from its account",
	  .run = cli_mail_alias_rm_run, .min_args = 1, .max_args = 1 },
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
	int r = cli_http_delete(ctx, "/api/email/queue/", argv[0], "queue id");
	if (r == 0 && !ctx->json)
		printf("message %s deleted from the queue\n", argv[0]);
	return r;
}

static void print_relay(const json_t *doc)
{
	const json_t *relay = json_object_get(doc, "relay");
	if (!json_is_object(relay)) {
		printf("mail for other servers goes to each recipient's own server (direct)\n");
		return;
	}
	const char *user = json_string_value(json_object_get(relay, "username"));
	printf("mail for other servers goes through %s:%lld", cli_json_string_or(json_object_get(relay, "host"), "?"),
	       (long long)json_integer_value(json_object_get(relay, "port")));
	if (user)
		printf(", logging in as %s%s", user,
		       json_is_true(json_object_get(relay, "has_password")) ? " (password stored)" : "");
	printf("\n");
}

static int relay_put(const struct cli_ctx *ctx, const char *raw_json, json_t *body)
{
	_cleanup_free_ char *text = raw_json ? NULL : json_dumps(body, JSON_COMPACT);
	if (!raw_json && !text)
		return cli_error_local(-ENOMEM, "building the request");
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = cli_http_call(ctx, &(struct cli_request){ .method = "PUT", .path = "/api/email/config",
							  .raw_json = raw_json ? raw_json : text },
			      &resp);
	if (r == 0 && !ctx->json)
		print_relay(resp.body);
	return r;
}

static int relay_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc == 0) {
		_cleanup_response_ struct cli_response resp = { 0 };
		bool done;
		int r = cli_object_fetch(ctx, &(struct cli_request){ .method = "GET", .path = "/api/email/config" },
					 &resp, &done);
		if (r == 0 && !done)
			print_relay(resp.body);
		return r;
	}
	if (strcmp(argv[0], "--direct") == 0) {
		if (argc != 1)
			return cli_error_usage("--direct takes nothing more (see pic help mail relay)");
		_cleanup_json_ json_t *body = json_pack("{s:n}", "relay");
		return relay_put(ctx, NULL, body);
	}
	const char *user = NULL;
	if (argc == 3 && strcmp(argv[1], "--user") == 0)
		user = argv[2];
	else if (argc != 1)
		return cli_error_usage("usage: pic mail relay HOST[:PORT] [--user NAME] | --direct");
	char host[256];
	uint32_t port = 587;
	const char *colon = strrchr(argv[0], ':');
	size_t hlen = colon ? (size_t)(colon - argv[0]) : strlen(argv[0]);
	if (hlen == 0 || hlen >= sizeof(host))
		return cli_error_usage("'%s' is not HOST[:PORT]", argv[0]);
	memcpy(host, argv[0], hlen);
	host[hlen] = '\0';
	if (colon && parse_u32(colon + 1, 1, 65535, &port) < 0)
		return cli_error_usage("the port in '%s' must be 1 to 65535", argv[0]);
	_cleanup_json_ json_t *body = json_pack("{s:{s:s, s:i}}", "relay", "host", host, "port", (int)port);
	if (!body)
		return cli_error_usage("'%s' is not valid UTF-8", argv[0]);
	if (!user)
		return relay_put(ctx, NULL, body);
	json_t *relay = json_object_get(body, "relay");
	if (json_object_set_new(relay, "username", json_string(user)) < 0)
		return cli_error_usage("the user name is not valid UTF-8");
	_cleanup_(cli_password_wipe) struct cli_password pw = { 0 };
	_cleanup_(cli_secret_body_wipe) struct cli_secret_body text = { 0 };
	char prompt[96];
	snprintf(prompt, sizeof(prompt), "Password for %.40s at the relay: ", user);
	int r = cli_password_read(prompt, &pw);
	if (r == 0)
		r = cli_password_body(relay, "password", &pw, &text);
	if (r != 0)
		return r;
	/* text holds the relay object with the password: the body wraps it. */
	_cleanup_(cli_secret_body_wipe) struct cli_secret_body full = { 0 };
	int n = snprintf(full.text, sizeof(full.text), "{\"relay\":%s}", text.text);
	if (n < 0 || (size_t)n >= sizeof(full.text))
		return cli_error_local(-ENOBUFS, "building the request");
	return relay_put(ctx, full.text, NULL);
}

static void print_domain(const json_t *dom)
{
	printf("%s%s\n", cli_json_string_or(json_object_get(dom, "domain"), "?"),
	       json_is_true(json_object_get(dom, "cell_zone")) ? " (the cell zone)" : "");
	const json_t *r;
	size_t i;
	json_array_foreach(json_object_get(dom, "records"), i, r)
		printf("  %s %s %s%s\n", cli_json_string_or(json_object_get(r, "name"), "?"),
		       cli_json_string_or(json_object_get(r, "type"), "?"),
		       cli_json_string_or(json_object_get(r, "value"), "?"),
		       json_is_true(json_object_get(r, "published")) ? "   (in the cell's DNS)" : "");
}

static int domains_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	bool done;
	int r = cli_object_fetch(ctx, &(struct cli_request){ .method = "GET", .path = "/api/email/domains" }, &resp,
				 &done);
	if (r != 0 || done)
		return r;
	const json_t *dom;
	size_t i;
	json_array_foreach(json_object_get(resp.body, "domains"), i, dom)
		print_domain(dom);
	printf("Publish the records not in the cell's DNS where each domain is hosted.\n");
	return CLI_EXIT_OK;
}

static int domain_add_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_json_ json_t *body = json_pack("{s:s}", "domain", argv[0]);
	_cleanup_free_ char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	if (!text)
		return cli_error_usage("'%s' is not valid UTF-8", argv[0]);
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = cli_http_call(ctx, &(struct cli_request){ .method = "POST", .path = "/api/email/domains",
							  .raw_json = text },
			      &resp);
	if (r == 0 && !ctx->json)
		print_domain(resp.body);
	return r;
}

static int domain_rm_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	int r = cli_http_delete(ctx, "/api/email/domains/", argv[0], "domain");
	if (r == 0 && !ctx->json)
		printf("%s is no longer a mail domain of the cell\n", argv[0]);
	return r;
}
