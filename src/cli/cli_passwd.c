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

#define PASSWORD_MAX 1024
/* Room for the password with every byte escaped as \u00XX. */
#define BODY_MAX (PASSWORD_MAX * 6 + 64)

struct password {
	char text[PASSWORD_MAX + 1];
	size_t len;
};

struct secret_body {
	char text[BODY_MAX];
};

static void password_wipe(struct password *p)
{
	sodium_memzero(p, sizeof(*p));
}

static void secret_body_wipe(struct secret_body *b)
{
	sodium_memzero(b, sizeof(*b));
}

static int read_failed(int r)
{
	if (r == -EMSGSIZE)
		return cli_error_usage("password is longer than %d bytes", PASSWORD_MAX);
	if (r == -EINTR)
		return cli_error_usage("cancelled");
	return cli_error_local(r, "reading the password");
}

/* Returns 0 with the password in *pw, or the exit status. */
static int read_password(struct password *pw)
{
	_cleanup_(password_wipe) struct password again = { 0 };
	int r;

	if (!isatty(STDIN_FILENO)) {
		r = cli_prompt_read_line(STDIN_FILENO, pw->text, sizeof(pw->text), &pw->len);
		return r < 0 ? read_failed(r) : 0;
	}
	r = cli_prompt_secret("New admin password: ", pw->text, sizeof(pw->text), &pw->len);
	if (r < 0)
		return read_failed(r);
	r = cli_prompt_secret("Repeat it: ", again.text, sizeof(again.text), &again.len);
	if (r < 0)
		return read_failed(r);
	if (pw->len != again.len || sodium_memcmp(pw->text, again.text, pw->len) != 0)
		return cli_error_usage("the passwords do not match");
	return 0;
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

/* Serialises {"new_password": pw} into `body`. Returns 0 or the exit
 * status. */
static int build_body(const struct password *pw, struct secret_body *body)
{
	_cleanup_json_ json_t *obj = json_object();
	_cleanup_(secret_string_drop) json_t *s = json_stringn(pw->text, pw->len);

	if (!obj)
		return cli_error_local(-ENOMEM, "building the request");
	if (!s)
		return cli_error_usage("the password is not valid UTF-8");
	if (json_object_set(obj, "new_password", s) < 0)
		return cli_error_local(-ENOMEM, "building the request");
	size_t n = json_dumpb(obj, body->text, sizeof(body->text) - 1, JSON_COMPACT);
	if (n == 0 || n >= sizeof(body->text) - 1)
		return cli_error_local(-ENOBUFS, "building the request");
	body->text[n] = '\0';
	return 0;
}

int cli_passwd_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_(password_wipe) struct password pw = { 0 };
	_cleanup_(secret_body_wipe) struct secret_body body = { 0 };
	_cleanup_response_ struct cli_response resp = { 0 };
	int r;

	r = read_password(&pw);
	if (r != 0)
		return r;
	if (pw.len == 0)
		return cli_error_usage("the new password is empty");
	r = build_body(&pw, &body);
	if (r != 0)
		return r;
	password_wipe(&pw);

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
