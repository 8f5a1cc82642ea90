/* `pic peer add|list|show|set|enable|disable|rm|config|qr|access|traffic` (see cli_peer.h). */
#include "cli_peer.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_error.h"
#include "cli_file.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_list.h"
#include "cli_table.h"
#include "cli_time.h"
#include "cli_units.h"
#include "cli_url.h"
#include "common/buf.h"
#include "common/cleanup.h"
#include "common/qr.h"
#include "common/strparse.h"
#include "common/banned.h"

static int add_run(const struct cli_ctx *ctx, int argc, char **argv);
static int list_run(const struct cli_ctx *ctx, int argc, char **argv);
static int show_run(const struct cli_ctx *ctx, int argc, char **argv);
static int set_run(const struct cli_ctx *ctx, int argc, char **argv);
static int enable_run(const struct cli_ctx *ctx, int argc, char **argv);
static int disable_run(const struct cli_ctx *ctx, int argc, char **argv);
static int rm_run(const struct cli_ctx *ctx, int argc, char **argv);
static int config_run(const struct cli_ctx *ctx, int argc, char **argv);
static int qr_run(const struct cli_ctx *ctx, int argc, char **argv);
static int access_run(const struct cli_ctx *ctx, int argc, char **argv);
static int traffic_run(const struct cli_ctx *ctx, int argc, char **argv);

#define OPTIONS "[--services S1,S2] [--full-tunnel|--split-tunnel] [--expires YYYY-MM-DD|never]"

const struct cli_cmd cli_peer_cmds[] = {
	{ .name = "add", .args = "NAME " OPTIONS " [--public-key KEY]",
	  .help = "add a peer; prints its QR code and writes NAME.conf (0600) here",
	  .run = add_run, .min_args = 1, .max_args = CLI_CMD_ANY },
	{ .name = "list", .args = "", .help = "list the peers", .run = list_run, .min_args = 0, .max_args = 0 },
	{ .name = "show", .args = "NAME", .help = "show one peer", .run = show_run, .min_args = 1, .max_args = 1 },
	{ .name = "set", .args = "NAME " OPTIONS, .help = "change a peer's services, tunnel or expiry",
	  .run = set_run, .min_args = 2, .max_args = CLI_CMD_ANY },
	{ .name = "enable", .args = "NAME", .help = "let the peer in again", .run = enable_run, .min_args = 1,
	  .max_args = 1 },
	{ .name = "disable", .args = "NAME", .help = "keep the peer out (kept, not removed)", .run = disable_run,
	  .min_args = 1, .max_args = 1 },
	{ .name = "rm", .args = "NAME", .help = "remove the peer", .run = rm_run, .min_args = 1, .max_args = 1 },
	{ .name = "config", .args = "NAME", .help = "print the peer's client config", .run = config_run,
	  .min_args = 1, .max_args = 1 },
	{ .name = "qr", .args = "NAME", .help = "print the peer's config as a QR code", .run = qr_run,
	  .min_args = 1, .max_args = 1 },
	{ .name = "access", .args = "NAME [SERVICE]",
	  .help = "what the peer can reach; with SERVICE, which rule allows or denies it",
	  .run = access_run, .min_args = 1, .max_args = 2 },
	{ .name = "traffic", .args = "", .help = "the busiest peers' traffic now and over the last ten minutes",
	  .run = traffic_run, .min_args = 0, .max_args = 0 },
	{ 0 },
};

/* --- options --------------------------------------------------------- */

/* "2027-01-31" as the end of that day, local time. */
static int parse_date(const char *s, int64_t *ret)
{
	struct tm tm = { 0 };
	unsigned y, m, d;
	char tail;
	if (sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
		return -EINVAL;
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	if (t == (time_t)-1 || tm.tm_mday != (int)d)
		return -EINVAL;
	*ret = (int64_t)t;
	return 0;
}

/* Options from argv[from..) into `body`. */
static int parse_options(int argc, char **argv, int from, bool allow_key, json_t *body)
{
	for (int i = from; i < argc; i++) {
		const char *a = argv[i];
		bool has_value = i + 1 < argc;
		if (strcmp(a, "--full-tunnel") == 0 || strcmp(a, "--split-tunnel") == 0) {
			json_object_set_new(body, "tunnel", json_string(a[2] == 'f' ? "full" : "split"));
		} else if (strcmp(a, "--services") == 0 && has_value) {
			json_t *list = cli_json_split(argv[++i]);
			if (!list)
				return cli_error_usage("--services is not valid UTF-8: '%s'", argv[i]);
			json_object_set_new(body, "services", list);
		} else if (strcmp(a, "--expires") == 0 && has_value) {
			int64_t t;
			if (strcmp(argv[++i], "never") == 0)
				json_object_set_new(body, "expires_at", json_null());
			else if (parse_date(argv[i], &t) < 0)
				return cli_error_usage("--expires wants a date like 2027-01-31 or 'never', not '%s'", argv[i]);
			else
				json_object_set_new(body, "expires_at", json_integer(t));
		} else if (allow_key && strcmp(a, "--public-key") == 0 && has_value) {
			json_object_set_new(body, "public_key", json_string(argv[++i]));
		} else {
			return cli_error_usage("unknown or incomplete option '%s' (see pic help peer)", a);
		}
	}
	return CLI_EXIT_OK;
}

/* --- printing -------------------------------------------------------- */

static const char *text_or(const json_t *v, const char *dflt)
{
	const char *s = json_string_value(v);
	return s ? s : dflt;
}

static void services_text(const json_t *peer, char *out, size_t outlen)
{
	const json_t *v;
	size_t i;
	snprintf(out, outlen, "dns");
	json_array_foreach(json_object_get(peer, "services"), i, v) {
		size_t used = strlen(out);
		snprintf(out + used, outlen - used, ",%s", text_or(v, "?"));
	}
}

static const char *state_text(const json_t *peer)
{
	if (json_is_true(json_object_get(peer, "active")))
		return "active";
	return json_is_true(json_object_get(peer, "enabled")) ? "expired" : "disabled";
}

static int add_peer_row(struct cli_table *t, const json_t *peer)
{
	char services[160], expires[CLI_TIME_TEXT_MAX];
	services_text(peer, services, sizeof(services));
	return cli_table_add(t, text_or(json_object_get(peer, "name"), "?"),
			     text_or(json_object_get(peer, "address"), "?"), services,
			     text_or(json_object_get(peer, "tunnel"), "?"), state_text(peer),
			     cli_time_json(json_object_get(peer, "expires_at"), "never", expires));
}

static const char *const columns[] = { "NAME", "ADDRESS", "SERVICES", "TUNNEL", "STATE", "EXPIRES" };

static const struct cli_listing listing = {
	.req = { .method = "GET", .path = "/api/peers" }, .key = "peers", .empty = "no peers",
	.what = "the peers", .columns = columns, .n_columns = ARRAY_SIZE(columns), .add_row = add_peer_row,
};

static int print_peer(const struct cli_ctx *ctx, const json_t *peer)
{
	int r = cli_object_print(ctx, peer, &listing);
	if (r != 0 || ctx->json)
		return r;
	printf("public key: %s\n", text_or(json_object_get(peer, "public_key"), "?"));
	return CLI_EXIT_OK;
}

/* --- requests -------------------------------------------------------- */

static int peer_path(const char *name, const char *suffix, char **ret)
{
	_cleanup_free_ char *base = NULL;
	int r = cli_url_join("/api/peers/", name, &base);
	if (r < 0)
		return r == -ENAMETOOLONG ? cli_error_usage("peer name too long") : cli_error_local(r, "building the request");
	if (asprintf(ret, "%s%s", base, suffix) < 0)
		return cli_error_local(-ENOMEM, "building the request");
	return CLI_EXIT_OK;
}

static int call(const struct cli_ctx *ctx, const char *method, const char *name, const char *suffix, json_t *body,
		struct cli_response *resp)
{
	_cleanup_free_ char *path = NULL;
	int r = peer_path(name, suffix, &path);
	if (r != 0)
		return r;
	return cli_http_call(ctx, &(struct cli_request){ .method = method, .path = path, .json = body }, resp);
}

static int fetch_config(const struct cli_ctx *ctx, const char *name, struct cli_response *resp,
			const char **ret_text)
{
	int r = call(ctx, "GET", name, "/config", NULL, resp);
	if (r != 0)
		return r;
	*ret_text = json_string_value(json_object_get(resp->body, "config"));
	return *ret_text ? CLI_EXIT_OK : cli_error_transport(ctx, -EBADMSG);
}

static int print_qr(const char *text)
{
	_cleanup_(qr_freep) struct qr *q = NULL;
	struct buf out;
	buf_init(&out, 1 << 20);
	int r = qr_encode(text, &q);
	if (r == 0)
		r = qr_terminal(q, &out);
	if (r == 0)
		fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	return r < 0 ? cli_error_local(r, "drawing the QR code") : CLI_EXIT_OK;
}

/* --- commands -------------------------------------------------------- */

/* `add` after the peer was made but its config could not be had (picd
 * refused it, most often for want of an endpoint, or the file could not
 * be written): the peer is removed again, so that the refused command
 * leaves nothing behind and the same command works once what was missing
 * is set. `status` is what the failed step returns; so does this. */
static int add_undo(const struct cli_ctx *ctx, const char *name, int status)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_free_ char *path = NULL;

	int r = cli_url_join("/api/peers/", name, &path);
	if (r == 0)
		r = cli_http_request(ctx, &(struct cli_request){ .method = "DELETE", .path = path }, &resp);
	if (r == 0 && resp.status >= 200 && resp.status <= 299) {
		fprintf(stderr, "pic: peer '%s' not added\n", name);
		return status;
	}
	fprintf(stderr, "pic: peer '%s' was added without its config, and removing it again failed; "
			"'pic peer config %s' gets the config later, 'pic peer rm %s' removes it\n",
		name, name, name);
	return status;
}

/* Without --json the command's product is the config file and QR code,
 * so everything it needs is made sure of before the peer is: the file is
 * created first (an existing one, or a directory that cannot take it,
 * refuses the command with nothing asked of picd), and when picd then
 * refuses the config (the cell does not know its endpoint) the new peer
 * is removed again (add_undo). Whether the config can be made is not
 * known before: without `endpoint` picd falls back on its own address on
 * the route out, which only picd can see. With --json the command is
 * the one request that makes the peer, and its answer is printed. */
static int add_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 }, conf = { 0 };
	_cleanup_file_ struct cli_file out = CLI_FILE_INIT;
	_cleanup_json_ json_t *body = json_pack("{s:s}", "name", argv[0]);
	if (!body)
		return cli_error_usage("peer name '%s' is not valid UTF-8", argv[0]);
	int r = parse_options(argc, argv, 1, true, body);
	if (r != 0)
		return r;
	char file[300];
	snprintf(file, sizeof(file), "%.255s.conf", argv[0]);
	if (!ctx->json) {
		r = cli_file_open(&out, file, 0600, false);
		if (r == -EEXIST)
			return cli_error_usage("'%s' exists here; remove it or run pic peer add elsewhere", file);
		if (r < 0)
			return cli_error_usage("cannot write '%s' here: %s; run pic peer add where it can be",
					       file, strerror(-r));
	}
	r = cli_http_call(ctx, &(struct cli_request){ .method = "POST", .path = "/api/peers", .json = body }, &resp);
	if (r != 0)
		return r;
	if (ctx->json)
		return print_peer(ctx, resp.body);
	const char *text;
	r = fetch_config(ctx, argv[0], &conf, &text);
	if (r != 0)
		return add_undo(ctx, argv[0], r);
	r = cli_file_commit(&out, text, strlen(text));
	if (r < 0)
		return add_undo(ctx, argv[0], cli_error_usage("cannot write '%s': %s", file, strerror(-r)));
	r = print_qr(text);
	if (r != 0)
		return r;
	r = print_peer(ctx, resp.body);
	printf("config: %s (scan the QR code with the WireGuard app, or import the file)\n", file);
	return r;
}

static int list_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_list_print(ctx, &listing);
}

static int show_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = call(ctx, "GET", argv[0], "", NULL, &resp);
	return r != 0 ? r : print_peer(ctx, resp.body);
}

static int put(const struct cli_ctx *ctx, const char *name, json_t *body)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = call(ctx, "PUT", name, "", body, &resp);
	return r != 0 ? r : print_peer(ctx, resp.body);
}

static int set_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_json_ json_t *body = json_object();
	if (!body)
		return cli_error_local(-ENOMEM, "building the request");
	int r = parse_options(argc, argv, 1, false, body);
	return r != 0 ? r : put(ctx, argv[0], body);
}

static int switch_peer(const struct cli_ctx *ctx, const char *name, bool enabled)
{
	_cleanup_json_ json_t *body = json_pack("{s:b}", "enabled", enabled);
	return body ? put(ctx, name, body) : cli_error_local(-ENOMEM, "building the request");
}

static int enable_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return switch_peer(ctx, argv[0], true);
}

static int disable_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return switch_peer(ctx, argv[0], false);
}

static int rm_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = call(ctx, "DELETE", argv[0], "", NULL, &resp);
	if (r == 0 && !ctx->json)
		printf("peer '%s' removed\n", argv[0]);
	return r;
}

static int config_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	const char *text;
	int r = fetch_config(ctx, argv[0], &resp, &text);
	if (r == 0)
		fputs(text, stdout);
	return r;
}

static int qr_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	const char *text;
	int r = fetch_config(ctx, argv[0], &resp, &text);
	return r != 0 ? r : print_qr(text);
}

static int add_access_row(struct cli_table *t, const json_t *a)
{
	char ports[128] = "";
	const json_t *v;
	size_t i;
	json_array_foreach(json_object_get(a, "ports"), i, v) {
		size_t used = strlen(ports);
		snprintf(ports + used, sizeof(ports) - used, "%s%s", i ? "," : "", text_or(v, "?"));
	}
	return cli_table_add(t, text_or(json_object_get(a, "service"), "?"),
			     json_is_true(json_object_get(a, "allowed")) ? "yes" : "no",
			     text_or(json_object_get(a, "address"), "-"), ports[0] ? ports : "-");
}

static int access_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_free_ char *suffix = NULL;
	if (argc == 2) {
		struct buf q;
		buf_init(&q, CLI_URL_PATH_MAX);
		int e = buf_printf(&q, "/access?service=");
		if (e == 0)
			e = cli_url_escape(&q, argv[1]);
		if (e < 0) {
			buf_free(&q);
			return cli_error_usage("service name too long");
		}
		suffix = buf_steal(&q);
	}
	int r = call(ctx, "GET", argv[0], suffix ? suffix : "/access", NULL, &resp);
	if (r != 0)
		return r;
	if (ctx->json) {
		cli_json_print(resp.body);
		return CLI_EXIT_OK;
	}
	if (argc == 2) {
		printf("%s: %s\n", json_is_true(json_object_get(resp.body, "allowed")) ? "allowed" : "denied",
		       text_or(json_object_get(resp.body, "reason"), "?"));
		return CLI_EXIT_OK;
	}
	static const char *const cols[] = { "SERVICE", "ALLOWED", "ADDRESS", "PORTS" };
	static const struct cli_listing access = { .what = "the access", .columns = cols, .n_columns = ARRAY_SIZE(cols),
						   .add_row = add_access_row };
	return cli_list_print_items(&access, json_object_get(resp.body, "services"));
}

/* --- traffic --------------------------------------------------------- */

static uint64_t last_of(const json_t *series, const char *key)
{
	const json_t *a = json_object_get(series, key);
	json_int_t v = json_integer_value(json_array_get(a, json_array_size(a) ? json_array_size(a) - 1 : 0));
	return v > 0 ? (uint64_t)v : 0;
}

static int add_traffic_row(struct cli_table *t, const json_t *peer)
{
	char rx[CLI_BYTES_TEXT_MAX], tx[CLI_BYTES_TEXT_MAX], window[CLI_BYTES_TEXT_MAX];
	json_int_t bytes = json_integer_value(json_object_get(peer, "bytes"));
	const char *name = json_string_value(json_object_get(peer, "name"));
	return cli_table_add(t, name ? name : text_or(json_object_get(peer, "public_key"), "?"),
			     cli_bytes_text(last_of(peer, "rx"), "/s", rx), cli_bytes_text(last_of(peer, "tx"), "/s", tx),
			     cli_bytes_text(bytes > 0 ? (uint64_t)bytes : 0, "", window));
}

static const char *const traffic_columns[] = { "PEER", "RECEIVING", "SENDING", "LAST 10 MIN" };

static int traffic_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	bool done;
	int r = cli_object_fetch(ctx, &(struct cli_request){ .method = "GET", .path = "/api/wireguard/traffic?limit=32" },
				 &resp, &done);
	if (r != 0 || done)
		return r;
	const json_t *total = json_object_get(resp.body, "total");
	char rx[CLI_BYTES_TEXT_MAX], tx[CLI_BYTES_TEXT_MAX];
	printf("%lld of %lld peer(s) online; the interface receives %s and sends %s\n",
	       json_integer_value(json_object_get(resp.body, "peers_online")),
	       json_integer_value(json_object_get(resp.body, "peers_total")), cli_bytes_text(last_of(total, "rx"), "/s", rx),
	       cli_bytes_text(last_of(total, "tx"), "/s", tx));
	const json_t *peers = json_object_get(resp.body, "peers");
	if (!json_array_size(peers)) {
		printf("no peer moved traffic in the last ten minutes\n");
		return CLI_EXIT_OK;
	}
	static const struct cli_listing traffic = { .what = "the traffic", .columns = traffic_columns,
						    .n_columns = ARRAY_SIZE(traffic_columns), .add_row = add_traffic_row };
	return cli_list_print_items(&traffic, peers);
}
