/* `pic dhcp config|leases|reservations|reserve|unreserve` (see
 * cli_dhcp.h).
 *
 * picd's PUT /api/dhcp/config takes the settings whole (what is left out
 * goes back to its default, and no interface means DHCP off), so `dhcp
 * config KEY=VALUE...` first reads the current settings and sends them
 * with the given keys replaced: `pic dhcp config lease_time=7200` keeps
 * the interface and range. `pic dhcp config off` sends {"interface":
 * null} alone. */
#include "cli_dhcp.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_error.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_kv.h"
#include "cli_list.h"
#include "cli_table.h"
#include "cli_time.h"
#include "cli_url.h"
#include "common/cleanup.h"

#include "common/banned.h"

#define MAC_MAX_LEN 32

static int config_run(const struct cli_ctx *ctx, int argc, char **argv);
static int leases_run(const struct cli_ctx *ctx, int argc, char **argv);
static int reservations_run(const struct cli_ctx *ctx, int argc, char **argv);
static int reserve_run(const struct cli_ctx *ctx, int argc, char **argv);
static int unreserve_run(const struct cli_ctx *ctx, int argc, char **argv);

const struct cli_cmd cli_dhcp_cmds[] = {
	{ .name = "config", .args = "[off | KEY=VALUE...]",
	  .help = "show the DHCP settings, turn DHCP off, or set interface= range_start= range_end= "
		  "lease_time= gateway=",
	  .run = config_run, .min_args = 0, .max_args = CLI_CMD_ANY },
	{ .name = "leases", .args = "",
	  .help = "list the active leases",
	  .run = leases_run, .min_args = 0, .max_args = 0 },
	{ .name = "reservations", .args = "",
	  .help = "list the reserved addresses",
	  .run = reservations_run, .min_args = 0, .max_args = 0 },
	{ .name = "reserve", .args = "MAC IP [HOSTNAME]",
	  .help = "always give IP to MAC; HOSTNAME resolves as HOSTNAME.<cell zone>",
	  .run = reserve_run, .min_args = 2, .max_args = 3 },
	{ .name = "unreserve", .args = "MAC",
	  .help = "remove the reservation for MAC",
	  .run = unreserve_run, .min_args = 1, .max_args = 1 },
	{ 0 },
};

/* In the order shown; `enabled` is picd's to say. */
static const struct cli_kv settings[] = {
	{ .key = "enabled", .type = CLI_KV_BOOL, .readonly = true },
	{ .key = "interface", .type = CLI_KV_STRING },
	{ .key = "range_start", .type = CLI_KV_STRING },
	{ .key = "range_end", .type = CLI_KV_STRING },
	{ .key = "lease_time", .type = CLI_KV_INT },
	{ .key = "gateway", .type = CLI_KV_STRING },
};

/* --- config ---------------------------------------------------------- */

/* "lan:  192.168.77.1 (192.168.77.0/24)" when picd read the interface. */
static int add_lan_row(struct cli_table *t, const json_t *lan)
{
	_cleanup_free_ char *text = NULL;
	const char *addr = json_string_value(json_object_get(lan, "address"));
	const char *net = json_string_value(json_object_get(lan, "network"));

	if (!json_is_object(lan))
		return 0;
	if (asprintf(&text, "%s (%s)", addr ? addr : "?", net ? net : "?") < 0)
		return -ENOMEM;
	return cli_table_add(t, "lan:", text);
}

static int print_settings(const struct cli_ctx *ctx, const json_t *doc)
{
	_cleanup_table_ struct cli_table *t = NULL;

	if (!json_is_object(doc))
		return cli_error_transport(ctx, -EBADMSG);
	if (ctx->json) {
		cli_json_print(doc);
		return CLI_EXIT_OK;
	}
	int r = cli_table_new(2, &t);
	if (r == 0)
		r = cli_kv_table(t, settings, ARRAY_SIZE(settings), doc);
	if (r == 0)
		r = add_lan_row(t, json_object_get(doc, "lan"));
	if (r < 0)
		return cli_error_local(r, "printing the settings");
	cli_table_print(t, stdout, "");
	return CLI_EXIT_OK;
}

static int fetch_settings(const struct cli_ctx *ctx, struct cli_response *ret_resp)
{
	int r = cli_http_call(ctx, &(struct cli_request){ .method = "GET", .path = "/api/dhcp/config" },
			      ret_resp);
	if (r != 0)
		return r;
	return json_is_object(ret_resp->body) ? 0 : cli_error_transport(ctx, -EBADMSG);
}

/* The whole settings to PUT: `current`'s settable keys with `patch`'s
 * values in their place. */
static int merge(const json_t *current, const json_t *patch, json_t **ret_body)
{
	_cleanup_json_ json_t *body = json_object();
	if (!body)
		return -ENOMEM;
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
		const char *key = settings[i].key;
		json_t *v = json_object_get(patch, key);
		if (settings[i].readonly)
			continue;
		if (!v)
			v = json_object_get(current, key);
		if (v && json_object_set(body, key, v) < 0)
			return -ENOMEM;
	}
	*ret_body = TAKE_PTR(body);
	return 0;
}

static int config_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response current = { 0 }, resp = { 0 };
	_cleanup_json_ json_t *patch = NULL, *body = NULL;
	int r;

	if (argc == 0) {
		r = fetch_settings(ctx, &resp);
		return r != 0 ? r : print_settings(ctx, resp.body);
	}
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "off") == 0 && argc > 1)
			return cli_error_usage("'off' stands alone: 'pic dhcp config off'");
	if (argc == 1 && strcmp(argv[0], "off") == 0) {
		body = json_pack("{s:n}", "interface");
	} else {
		r = cli_kv_parse(settings, ARRAY_SIZE(settings), argc, argv, &patch);
		if (r != 0)
			return r;
		r = fetch_settings(ctx, &current);
		if (r != 0)
			return r;
		r = merge(current.body, patch, &body);
		if (r < 0)
			return cli_error_local(r, "building the request");
	}
	if (!body)
		return cli_error_local(-ENOMEM, "building the request");
	r = cli_http_call(ctx, &(struct cli_request){ .method = "PUT", .path = "/api/dhcp/config",
						      .json = body },
			  &resp);
	return r != 0 ? r : print_settings(ctx, resp.body);
}

/* --- leases and reservations ----------------------------------------- */

static int add_lease_row(struct cli_table *t, const json_t *l)
{
	char expires[CLI_TIME_TEXT_MAX];
	return cli_table_add(t, json_string_value(json_object_get(l, "mac")),
			     json_string_value(json_object_get(l, "ip")),
			     json_string_value(json_object_get(l, "hostname")),
			     cli_time_json(json_object_get(l, "expires_at"), "never", expires));
}

static int leases_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	static const char *const columns[] = { "MAC", "IP", "HOSTNAME", "EXPIRES" };
	return cli_list_print(ctx, &(struct cli_listing){
		.req = { .method = "GET", .path = "/api/dhcp/leases" }, .key = "leases", .empty = "no leases",
		.what = "the leases", .columns = columns, .n_columns = ARRAY_SIZE(columns),
		.add_row = add_lease_row });
}

static int add_reservation_row(struct cli_table *t, const json_t *res)
{
	return cli_table_add(t, json_string_value(json_object_get(res, "mac")),
			     json_string_value(json_object_get(res, "ip")),
			     json_string_value(json_object_get(res, "hostname")));
}

static int reservations_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	static const char *const columns[] = { "MAC", "IP", "HOSTNAME" };
	return cli_list_print(ctx, &(struct cli_listing){
		.req = { .method = "GET", .path = "/api/dhcp/reservations" }, .key = "reservations",
		.empty = "no reservations", .what = "the reservations", .columns = columns,
		.n_columns = ARRAY_SIZE(columns), .add_row = add_reservation_row });
}

static int reserve_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_json_ json_t *body = json_pack("{s:s,s:s}", "mac", argv[0], "ip", argv[1]);

	if (!body)
		return cli_error_usage("'%s %s' is not valid UTF-8", argv[0], argv[1]);
	if (argc == 3) {
		json_t *h = json_string(argv[2]);
		if (!h)
			return cli_error_usage("host name '%s' is not valid UTF-8", argv[2]);
		if (json_object_set_new(body, "hostname", h) < 0)
			return cli_error_local(-ENOMEM, "building the request");
	}
	int r = cli_http_call(ctx, &(struct cli_request){ .method = "POST",
							  .path = "/api/dhcp/reservations",
							  .json = body },
			      &resp);
	if (r != 0)
		return r;
	const char *mac = json_string_value(json_object_get(resp.body, "mac"));
	const char *ip = json_string_value(json_object_get(resp.body, "ip"));
	const char *hostname = json_string_value(json_object_get(resp.body, "hostname"));
	if (!mac || !ip)
		return cli_error_transport(ctx, -EBADMSG);
	if (ctx->json) {
		cli_json_print(resp.body);
		return CLI_EXIT_OK;
	}
	if (hostname)
		printf("reserved %s for %s (%s)\n", ip, mac, hostname);
	else
		printf("reserved %s for %s\n", ip, mac);
	return CLI_EXIT_OK;
}

/* A MAC goes into the request path: hex digits and ':' or '-' only;
 * picd says whether it is a MAC address. */
static bool mac_ok(const char *mac)
{
	size_t len = strlen(mac);
	return len > 0 && len <= MAC_MAX_LEN && strspn(mac, "0123456789abcdefABCDEF:-") == len;
}

static int unreserve_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_free_ char *path = NULL;

	if (!mac_ok(argv[0]))
		return cli_error_usage("'%s' is not a MAC address (such as aa:bb:cc:dd:ee:ff)", argv[0]);
	int r = cli_url_join("/api/dhcp/reservations/", argv[0], &path);
	if (r < 0)
		return cli_error_local(r, "building the request");
	r = cli_http_call(ctx, &(struct cli_request){ .method = "DELETE", .path = path }, &resp);
	if (r != 0)
		return r;
	if (ctx->json) {
		if (resp.body)
			cli_json_print(resp.body);
		return CLI_EXIT_OK;
	}
	printf("removed the reservation for %s\n", argv[0]);
	return CLI_EXIT_OK;
}
