/* `pic passwd`: POST /api/auth/password {"new_password": ...}. Over the
 * control socket picd trusts root, so the current password is not asked.
 * The new one is read twice from the terminal with echo off, or once from
 * stdin when that is not a terminal (for scripts: echo pw | pic passwd).
 * The password and the request body live only in fixed buffers wiped on
 * every exit path; jansson's copy of the string is wiped before it is
 * freed. */
#include "cli_passwd.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_error.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_prompt.h"

#include "common/banned.h"

void cli_password_wipe(struct cli_password *p)
{
	sodium_memzero(p, sizeof(*p));
}

void cli_secret_body_wipe(struct cli_secret_body *b)
{
	sodium_memzero(b, sizeof(*b));
}

static int read_failed(int r)
{
	if (r == -EMSGSIZE)
		return cli_error_usage("password is longer than %d bytes", CLI_PASSWORD_MAX);
	if (r == -EINTR)
		return cli_error_usage("cancelled");
	return cli_error_local(r, "reading the password");
}

int cli_password_read(const char *prompt, struct cli_password *pw)
{
	_cleanup_(cli_password_wipe) struct cli_password again = { 0 };
	int r;

	if (!isatty(STDIN_FILENO)) {
		r = cli_prompt_read_line(STDIN_FILENO, pw->text, sizeof(pw->text), &pw->len);
		if (r < 0)
			return read_failed(r);
	} else {
		r = cli_prompt_secret(prompt, pw->text, sizeof(pw->text), &pw->len);
		if (r < 0)
			return read_failed(r);
		r = cli_prompt_secret("Repeat it: ", again.text, sizeof(again.text), &again.len);
		if (r < 0)
			return read_failed(r);
		if (pw->len != again.len || sodium_memcmp(pw->text, again.text, pw->len) != 0)
			return cli_error_usage("the passwords do not match");
	}
	return pw->len ? 0 : cli_error_usage("the new password is empty");
}

/* Drops our reference to a JSON string holding the password, wiping the
 * string first: jansson's free does not. */
static void secret_string_drop(json_t **s)
{
	if (!*s)
		return;
	sodium_memzero((char *)json_string_value(*s), json_string_length(*s));
	json_decref(*s);
}

int cli_password_body(json_t *obj, const char *key, const struct cli_password *pw, struct cli_secret_body *body)
{
	_cleanup_(secret_string_drop) json_t *s = json_stringn(pw->text, pw->len);
	if (!s)
		return cli_error_usage("the password is not valid UTF-8");
	if (json_object_set(obj, key, s) < 0)
		return cli_error_local(-ENOMEM, "building the request");
	size_t n = json_dumpb(obj, body->text, sizeof(body->text) - 1, JSON_COMPACT);
	/* The object's reference goes with it, before `s` is wiped. */
	json_object_del(obj, key);
	if (n == 0 || n >= sizeof(body->text) - 1)
		return cli_error_local(-ENOBUFS, "building the request");
	body->text[n] = '\0';
	return 0;
}

int cli_passwd_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_password_wipe) struct cli_password pw = { 0 };
	_cleanup_(cli_secret_body_wipe) struct cli_secret_body body = { 0 };
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_json_ json_t *obj = json_object();

	if (!obj)
		return cli_error_local(-ENOMEM, "building the request");
	int r = cli_password_read("New admin password: ", &pw);
	if (r != 0)
		return r;
	r = cli_password_body(obj, "new_password", &pw, &body);
	if (r != 0)
		return r;
	cli_password_wipe(&pw);

	r = cli_http_call(ctx, &(struct cli_request){ .method = "POST",
						      .path = "/api/auth/password",
						      .raw_json = body.text },
			  &resp);
	if (r != 0)
		return r;
	if (ctx->json) {
		if (resp.body)
			cli_json_print(resp.body);
		return CLI_EXIT_OK;
	}
	printf("password changed\n");
	return CLI_EXIT_OK;
}
