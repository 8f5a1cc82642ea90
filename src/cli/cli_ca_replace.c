/* `pic ca replace [--force]`.
 *
 * `replace` asks picd for a new root for the current configuration
 * (POST /api/vault/ca/replace) and prints its serial and SHA-256
 * fingerprint, in the form `pic ca show` and browsers use, and that every
 * device must now import the new ca.crt. picd refuses (exit 2) while the
 * root still covers the configuration, unless --force. With --json it
 * prints picd's description of the new root. */
#include "cli_ca.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli_error.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_table.h"
#include "common/cleanup.h"

#include "common/banned.h"

#define SHA256_HEX_LEN 64
#define FINGERPRINT_MAX (SHA256_HEX_LEN / 2 * 3) /* "AB:CD:...", NUL-terminated */

/* The 64 hex digits of a SHA-256 as "AB:CD:..."; -EBADMSG for anything
 * else. */
static int fingerprint_text(const char *hex, char out[FINGERPRINT_MAX])
{
	if (!hex || strlen(hex) != SHA256_HEX_LEN || strspn(hex, "0123456789abcdefABCDEF") != SHA256_HEX_LEN)
		return -EBADMSG;
	char *o = out;
	for (size_t i = 0; i < SHA256_HEX_LEN; i += 2) {
		*o++ = (char)toupper((unsigned char)hex[i]);
		*o++ = (char)toupper((unsigned char)hex[i + 1]);
		*o++ = i + 2 < SHA256_HEX_LEN ? ':' : '\0';
	}
	return 0;
}

int cli_ca_replace_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	bool force = false;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--force") != 0)
			return cli_error_usage("unknown argument '%s'; usage: pic ca replace [--force]", argv[i]);
		force = true;
	}
	_cleanup_json_ json_t *body = json_pack("{s:b}", "force", force);
	if (!body)
		return cli_error_local(-ENOMEM, "building the request");
	int r = cli_http_call(ctx, &(struct cli_request){ .method = "POST", .path = "/api/vault/ca/replace",
							  .json = body },
			      &resp);
	if (r != 0)
		return r;
	const char *serial = json_string_value(json_object_get(resp.body, "serial"));
	const char *zone = json_string_value(json_object_get(json_object_get(resp.body, "constraints"), "zone"));
	char fp[FINGERPRINT_MAX];
	if (!serial || !zone ||
	    fingerprint_text(json_string_value(json_object_get(resp.body, "sha256")), fp) < 0)
		return cli_error_transport(ctx, -EBADMSG);
	if (ctx->json) {
		cli_json_print(resp.body);
		return CLI_EXIT_OK;
	}
	_cleanup_table_ struct cli_table *t = NULL;
	r = cli_table_new(2, &t);
	if (r == 0)
		r = cli_table_add(t, "zone:", zone);
	if (r == 0)
		r = cli_table_add(t, "serial:", serial);
	if (r == 0)
		r = cli_table_add(t, "sha256 fingerprint:", fp);
	if (r < 0)
		return cli_error_local(r, "printing the new root");
	printf("replaced the cell's root CA; the old one is kept in the CA directory's archive/\n");
	cli_table_print(t, stdout, "");
	printf("every device that trusted the old root must now import the new ca.crt "
	       "('pic ca export', or http://%s/ca.crt)\n", zone);
	return CLI_EXIT_OK;
}
