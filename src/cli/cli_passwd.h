/* `pic passwd`: set the admin password. */
#pragma once

#include "cli_cmd.h"

int cli_passwd_run(const struct cli_ctx *ctx, int argc, char **argv);
