/* `pic config` and `pic config get [KEY]`.
 *
 * Without KEY the document is shown for a person: the cell's identity
 * first, the address plan and virtual IPs as two-column tables, then any
 * pending changes. With KEY (a dotted path such as addresses.dns) only that
 * value is printed, raw, so scripts can use $(pic config get ip_range). */
#include "cli_config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli_config_pending.h"
#include "cli_error.h"
#include "cli_json.h"
#include "cli_table.h"
#include "common/buf.h"

#include "common/banned.h"

const struct cli_cmd cli_config_cmds[] = {
	{ .name = "get", .args = "[KEY]",
	  .help = "show the configuration, or the value of KEY (a dotted path such as addresses.dns)",
	  .run = cli_config_get_run, .min_args = 0, .max_args = 1 },
	{ .name = "set", .args = "KEY=VALUE...",
	  .help = "change settings in one request (VALUE null clears a nullable field)",
	  .run = cli_config_set_run, .min_args = 1, .max_args = CLI_CMD_ANY },
	{ .name = "pending", .args = "",
	  .help = "list accepted changes that wait for 'pic config apply'",
	  .run = cli_config_pending_run, .min_args = 0, .max_args = 0 },
	{ .name = "apply", .args = "",
	  .help = "apply the pending changes",
	  .run = cli_config_apply_run, .min_args = 0, .max_args = 0 },
	{ 0 },
};

/* Shown first and in this order; the rest of the document follows. */
static const char *const identity_fields[] = {
	"cell_name", "domain", "ip_range", "vpn_subnet", "wireguard_port", "endpoint",
};
/* Sections shown before any other object or array in the document. */
static const char *const leading_sections[] = { "addresses", "virtual_ips" };

int cli_config_fetch(const struct cli_ctx *ctx, struct cli_response *ret_resp)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = cli_http_call(ctx, &(struct cli_request){ .method = "GET", .path = "/api/config" },
			      &resp);
	if (r != 0)
		return r;
	if (!json_is_object(resp.body))
		return cli_error_transport(ctx, -EBADMSG);
	*ret_resp = resp;
	resp = (struct cli_response){ 0 };
	return 0;
}

const json_t *cli_config_doc(const json_t *answer)
{
	const json_t *doc = json_object_get(answer, "config");
	return json_is_object(doc) ? doc : answer;
}

static bool is_listed(const char *key, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(key, list[i]) == 0)
			return true;
	return false;
}

static bool is_section(const json_t *v)
{
	return json_is_object(v) || json_is_array(v);
}

/* An object as aligned key/value rows, an array one item a line. */
static int print_value_block(const json_t *v, const char *indent)
{
	const char *key;
	const json_t *item;
	size_t i;
	int r = 0;

	if (json_object_size(v) == 0 && json_array_size(v) == 0) {
		printf("%s(none)\n", indent);
		return 0;
	}
	if (json_is_array(v)) {
		json_array_foreach(v, i, item) {
			_cleanup_free_ char *text = NULL;
			r = cli_json_text(item, "-", &text);
			if (r < 0)
				return r;
			printf("%s%s\n", indent, text);
		}
		return 0;
	}
	_cleanup_table_ struct cli_table *t = NULL;
	r = cli_table_new(2, &t);
	json_object_foreach((json_t *)v, key, item)
		if (r == 0)
			r = cli_json_table_kv(t, key, item);
	if (r < 0)
		return r;
	cli_table_print(t, stdout, indent);
	return 0;
}

static int print_section(const json_t *doc, const char *name)
{
	printf("\n%s:\n", name);
	return print_value_block(json_object_get(doc, name), "  ");
}

static int print_document(const json_t *doc)
{
	_cleanup_table_ struct cli_table *t = NULL;
	const char *key;
	const json_t *v;
	int r = cli_table_new(2, &t);

	/* Identity, then every other plain value, as one aligned block. */
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(identity_fields); i++) {
		const json_t *f = json_object_get(doc, identity_fields[i]);
		if (f)
			r = cli_json_table_field(t, identity_fields[i], f);
	}
	json_object_foreach((json_t *)doc, key, v) {
		if (r < 0 || is_section(v) || is_listed(key, identity_fields, ARRAY_SIZE(identity_fields)))
			continue;
		r = cli_json_table_field(t, key, v);
	}
	if (r < 0)
		return r;
	cli_table_print(t, stdout, "");

	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(leading_sections); i++)
		if (json_object_get(doc, leading_sections[i]))
			r = print_section(doc, leading_sections[i]);
	json_object_foreach((json_t *)doc, key, v) {
		if (r < 0 || !is_section(v) || strcmp(key, "pending") == 0 ||
		    is_listed(key, leading_sections, ARRAY_SIZE(leading_sections)))
			continue;
		r = print_section(doc, key);
	}
	if (r < 0)
		return r;

	const json_t *pending = cli_config_pending_of(doc);
	if (json_array_size(pending) == 0) {
		printf("\npending changes: none\n");
		return 0;
	}
	printf("\npending changes (apply with 'pic config apply'):\n");
	return cli_config_pending_print(pending, doc, stdout, "  ");
}

/* KEY names nothing: list the keys of the deepest object its leading part
 * reaches, as full paths, so the fix is one copy away. */
static int report_unknown_key(const json_t *doc, const char *path)
{
	const json_t *parent = doc;
	size_t plen = 0;
	struct buf keys;
	const char *key;
	const json_t *v;

	for (const char *dot = strrchr(path, '.'); dot; ) {
		const json_t *p;
		size_t len = (size_t)(dot - path);
		if (cli_json_lookupn(doc, path, len, &p) == 0 && json_is_object(p)) {
			parent = p;
			plen = len;
			break;
		}
		dot = len ? memrchr(path, '.', len) : NULL;
	}

	buf_init(&keys, 64 * 1024);
	json_object_foreach((json_t *)parent, key, v) {
		if (buf_printf(&keys, "%s%.*s%s%s", keys.len ? ", " : "", (int)plen, path,
			       plen ? "." : "", key) < 0)
			break;
	}
	cli_error_usage("no key '%s' in the configuration; valid keys: %s", path,
			keys.len ? keys.data : "(none)");
	buf_free(&keys);
	return CLI_EXIT_USAGE;
}

int cli_config_get_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = cli_config_fetch(ctx, &resp);
	if (r != 0)
		return r;
	const json_t *doc = cli_config_doc(resp.body);

	if (argc == 0) {
		if (ctx->json) {
			cli_json_print(resp.body);
			return CLI_EXIT_OK;
		}
		r = print_document(doc);
		return r < 0 ? cli_error_local(r, "printing the configuration") : CLI_EXIT_OK;
	}

	const json_t *v;
	if (cli_json_lookupn(doc, argv[0], strlen(argv[0]), &v) < 0)
		return report_unknown_key(doc, argv[0]);
	if (ctx->json) {
		cli_json_print(v);
		return CLI_EXIT_OK;
	}
	if (is_section(v)) {
		r = print_value_block(v, "");
	} else {
		_cleanup_free_ char *text = NULL;
		r = cli_json_text(v, "null", &text);
		if (r == 0)
			printf("%s\n", text);
	}
	return r < 0 ? cli_error_local(r, "printing the value") : CLI_EXIT_OK;
}
