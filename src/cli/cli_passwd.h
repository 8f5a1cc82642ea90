/* `pic passwd`: set the admin password; and reading a new password for
 * any command that sets one (pic user add, pic user passwd). */
#pragma once

#include <jansson.h>
#include <stddef.h>

#include "cli_cmd.h"

#define CLI_PASSWORD_MAX 1024
/* Room for a body whose password has every byte escaped as \u00XX. */
#define CLI_SECRET_BODY_MAX (CLI_PASSWORD_MAX * 6 + 4096)

struct cli_password {
	char text[CLI_PASSWORD_MAX + 1];
	size_t len;
};

/* A request body that holds a password. */
struct cli_secret_body {
	char text[CLI_SECRET_BODY_MAX];
};

void cli_password_wipe(struct cli_password *p);
void cli_secret_body_wipe(struct cli_secret_body *b);

/* A new password: twice from the terminal with echo off (`prompt`, then
 * "Repeat it: "), or one line from stdin when that is not a terminal.
 * Returns 0, or the exit status (empty, too long, not matching). */
int cli_password_read(const char *prompt, struct cli_password *pw);

/* `obj` with `key` set to the password, serialised into `body` (the
 * JSON string's copy is wiped). Returns 0 or the exit status. */
int cli_password_body(json_t *obj, const char *key, const struct cli_password *pw, struct cli_secret_body *body);

int cli_passwd_run(const struct cli_ctx *ctx, int argc, char **argv);
