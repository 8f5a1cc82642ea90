/* `pic user add|list|show|set|passwd|disable|enable|rm` (see cli_user.h). */
#include "cli_user.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_error.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_list.h"
#include "cli_passwd.h"
#include "cli_table.h"
#include "cli_time.h"
#include "cli_url.h"
#include "common/cleanup.h"
#include "common/strparse.h"
#include "common/banned.h"

static int add_run(const struct cli_ctx *ctx, int argc, char **argv);
static int list_run(const struct cli_ctx *ctx, int argc, char **argv);
static int show_run(const struct cli_ctx *ctx, int argc, char **argv);
static int set_run(const struct cli_ctx *ctx, int argc, char **argv);
static int passwd_run(const struct cli_ctx *ctx, int argc, char **argv);
static int disable_run(const struct cli_ctx *ctx, int argc, char **argv);
static int enable_run(const struct cli_ctx *ctx, int argc, char **argv);
static int rm_run(const struct cli_ctx *ctx, int argc, char **argv);
static int orphans_run(const struct cli_ctx *ctx, int argc, char **argv);
static int orphan_rm_run(const struct cli_ctx *ctx, int argc, char **argv);

#define OPTIONS "[--display-name TEXT] [--services mail,calendar,files] [--quota MIB] [--aliases A1,A2]"

const struct cli_cmd cli_user_cmds[] = {
	{ .name = "add", .args = "NAME " OPTIONS,
	  .help = "add an account; its password is asked twice (or read from stdin)", .run = add_run,
	  .min_args = 1, .max_args = CLI_CMD_ANY },
	{ .name = "list", .args = "", .help = "list the accounts", .run = list_run, .min_args = 0, .max_args = 0 },
	{ .name = "show", .args = "NAME", .help = "show one account", .run = show_run, .min_args = 1, .max_args = 1 },
	{ .name = "set", .args = "NAME " OPTIONS, .help = "change an account's name shown, services, quota or aliases",
	  .run = set_run, .min_args = 2, .max_args = CLI_CMD_ANY },
	{ .name = "passwd", .args = "NAME", .help = "give the account a new password (ends its sessions)",
	  .run = passwd_run, .min_args = 1, .max_args = 1 },
	{ .name = "disable", .args = "NAME", .help = "stop every login of the account (kept, not removed)",
	  .run = disable_run, .min_args = 1, .max_args = 1 },
	{ .name = "enable", .args = "NAME", .help = "let the account log in again", .run = enable_run, .min_args = 1,
	  .max_args = 1 },
	{ .name = "rm", .args = "NAME [--purge]",
	  .help = "remove the account; --purge deletes its data too, else the data is kept", .run = rm_run,
	  .min_args = 1, .max_args = 2 },
	{ .name = "orphans", .args = "", .help = "list the data kept of removed accounts (their mailboxes)",
	  .run = orphans_run, .min_args = 0, .max_args = 0 },
	{ .name = "orphan-rm", .args = "ID", .help = "delete the kept data of a removed account (ID from orphans)",
	  .run = orphan_rm_run, .min_args = 1, .max_args = 1 },
	{ 0 },
};

/* --- options --------------------------------------------------------- */

static int parse_options(int argc, char **argv, int from, json_t *body)
{
	for (int i = from; i < argc; i++) {
		const char *a = argv[i];
		if (i + 1 >= argc)
			return cli_error_usage("unknown or incomplete option '%s' (see pic help user)", a);
		const char *v = argv[++i];
		json_t *value;
		const char *key;
		if (strcmp(a, "--display-name") == 0) {
			key = "display_name", value = json_string(v);
		} else if (strcmp(a, "--services") == 0) {
			key = "services", value = cli_json_split(strcmp(v, "none") == 0 ? "" : v);
		} else if (strcmp(a, "--aliases") == 0) {
			key = "aliases", value = cli_json_split(strcmp(v, "none") == 0 ? "" : v);
		} else if (strcmp(a, "--quota") == 0) {
			uint64_t mb; /* picd checks the range */
			if (parse_u64(v, 0, INT64_MAX, &mb) < 0)
				return cli_error_usage("--quota wants a whole number of MiB (0: no limit), not '%s'", v);
			key = "mail_quota_mb", value = json_integer((json_int_t)mb);
		} else {
			return cli_error_usage("unknown or incomplete option '%s' (see pic help user)", a);
		}
		if (!value)
			return cli_error_usage("the value of %s is not valid UTF-8", a);
		json_object_set_new(body, key, value);
	}
	return CLI_EXIT_OK;
}

/* --- printing -------------------------------------------------------- */

static int add_user_row(struct cli_table *t, const json_t *u)
{
	char services[64], aliases[512], quota[32];
	cli_json_join(json_object_get(u, "services"), ",", services, sizeof(services));
	cli_json_join(json_object_get(u, "aliases"), ",", aliases, sizeof(aliases));
	json_int_t mb = json_integer_value(json_object_get(u, "mail_quota_mb"));
	double used = (double)json_integer_value(json_object_get(u, "mail_used_bytes")) / (1024.0 * 1024.0);
	if (mb)
		snprintf(quota, sizeof(quota), "%.1f of %lld MiB", used, (long long)mb);
	else
		snprintf(quota, sizeof(quota), "%.1f MiB, no limit", used);
	return cli_table_add(t, cli_json_string_or(json_object_get(u, "name"), "?"),
			     cli_json_string_or(json_object_get(u, "display_name"), "-"), services, quota, aliases,
			     json_is_true(json_object_get(u, "disabled")) ? "disabled" : "enabled");
}

static const char *const columns[] = { "NAME", "DISPLAY NAME", "SERVICES", "MAIL USED", "ALIASES", "STATE" };

static const struct cli_listing listing = {
	.req = { .method = "GET", .path = "/api/users" }, .key = "users", .empty = "no accounts",
	.what = "the accounts", .columns = columns, .n_columns = ARRAY_SIZE(columns), .add_row = add_user_row,
};

static int print_user(const struct cli_ctx *ctx, const json_t *u)
{
	int r = cli_object_print(ctx, u, &listing);
	if (r != 0 || ctx->json)
		return r;
	char addresses[1024];
	cli_json_join(json_object_get(u, "addresses"), ",", addresses, sizeof(addresses));
	printf("addresses: %s\n", addresses);
	return CLI_EXIT_OK;
}

/* --- requests -------------------------------------------------------- */

static int call(const struct cli_ctx *ctx, const char *method, const char *name, const char *query,
		const struct cli_request *proto, struct cli_response *resp)
{
	_cleanup_free_ char *base = NULL, *path = NULL;
	int r = cli_url_join("/api/users/", name, &base);
	if (r < 0)
		return r == -ENAMETOOLONG ? cli_error_usage("account name too long")
					  : cli_error_local(r, "building the request");
	if (asprintf(&path, "%s%s", base, query) < 0)
		return cli_error_local(-ENOMEM, "building the request");
	struct cli_request req = *proto;
	req.method = method;
	req.path = path;
	return cli_http_call(ctx, &req, resp);
}

/* A body with the password read now, to `method` `path`. */
static int send_with_password(const struct cli_ctx *ctx, const char *method, const char *name, json_t *body,
			      const char *prompt)
{
	_cleanup_(cli_password_wipe) struct cli_password pw = { 0 };
	_cleanup_(cli_secret_body_wipe) struct cli_secret_body text = { 0 };
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = cli_password_read(prompt, &pw);
	if (r == 0)
		r = cli_password_body(body, "password", &pw, &text);
	if (r != 0)
		return r;
	cli_password_wipe(&pw);
	if (name)
		r = call(ctx, method, name, "", &(struct cli_request){ .raw_json = text.text }, &resp);
	else
		r = cli_http_call(ctx, &(struct cli_request){ .method = method, .path = "/api/users",
							      .raw_json = text.text },
				  &resp);
	return r != 0 ? r : print_user(ctx, resp.body);
}

/* --- commands -------------------------------------------------------- */

static int add_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_json_ json_t *body = json_pack("{s:s}", "name", argv[0]);
	if (!body)
		return cli_error_usage("account name '%s' is not valid UTF-8", argv[0]);
	int r = parse_options(argc, argv, 1, body);
	if (r != 0)
		return r;
	char prompt[96];
	snprintf(prompt, sizeof(prompt), "Password for %.40s: ", argv[0]);
	return send_with_password(ctx, "POST", NULL, body, prompt);
}

static int list_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_list_print(ctx, &listing);
}

static int show_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = call(ctx, "GET", argv[0], "", &(struct cli_request){ 0 }, &resp);
	return r != 0 ? r : print_user(ctx, resp.body);
}

static int put(const struct cli_ctx *ctx, const char *name, json_t *body)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = call(ctx, "PUT", name, "", &(struct cli_request){ .json = body }, &resp);
	return r != 0 ? r : print_user(ctx, resp.body);
}

static int set_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_json_ json_t *body = json_object();
	if (!body)
		return cli_error_local(-ENOMEM, "building the request");
	int r = parse_options(argc, argv, 1, body);
	return r != 0 ? r : put(ctx, argv[0], body);
}

static int passwd_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_json_ json_t *body = json_object();
	if (!body)
		return cli_error_local(-ENOMEM, "building the request");
	char prompt[96];
	snprintf(prompt, sizeof(prompt), "New password for %.40s: ", argv[0]);
	return send_with_password(ctx, "PUT", argv[0], body, prompt);
}

static int switch_user(const struct cli_ctx *ctx, const char *name, bool disabled)
{
	_cleanup_json_ json_t *body = json_pack("{s:b}", "disabled", disabled);
	return body ? put(ctx, name, body) : cli_error_local(-ENOMEM, "building the request");
}

static int disable_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return switch_user(ctx, argv[0], true);
}

static int enable_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return switch_user(ctx, argv[0], false);
}

static int rm_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--purge") != 0)
		return cli_error_usage("unknown option '%s' (see pic help user)", argv[1]);
	bool purge = argc == 2;
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = call(ctx, "DELETE", argv[0], purge ? "?purge=true" : "", &(struct cli_request){ 0 }, &resp);
	if (r == 0 && !ctx->json)
		printf("account '%s' removed%s\n", argv[0], purge ? " with its data" : "; its data is kept");
	return r;
}

static int add_orphan_row(struct cli_table *t, const json_t *o)
{
	char when[64], size[32];
	cli_time_local((int64_t)json_integer_value(json_object_get(o, "deleted_at")), when, sizeof(when));
	json_t *mail = json_object_get(o, "mail");
	snprintf(size, sizeof(size), "%.1f MiB",
		 (double)json_integer_value(json_object_get(mail, "bytes")) / (1024.0 * 1024.0));
	return cli_table_add(t, cli_json_string_or(json_object_get(o, "id"), "?"), cli_json_string_or(json_object_get(o, "name"), "?"),
			     when, size);
}

static const char *const orphan_columns[] = { "ID", "NAME", "REMOVED", "MAIL" };

static const struct cli_listing orphan_listing = {
	.req = { .method = "GET", .path = "/api/users/orphans" }, .key = "orphans",
	.empty = "no data kept of removed accounts", .what = "the orphaned data", .columns = orphan_columns,
	.n_columns = ARRAY_SIZE(orphan_columns), .add_row = add_orphan_row,
};

static int orphans_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_list_print(ctx, &orphan_listing);
}

static int orphan_rm_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	int r = cli_http_delete(ctx, "/api/users/orphans/", argv[0], "orphan id");
	if (r == 0 && !ctx->json)
		printf("the data kept as '%s' is deleted\n", argv[0]);
	return r;
}
