/* `pic shell SVC [-- CMD ARGS...]`: a shell, or CMD, inside a service's
 * network and mount namespaces. */
#pragma once

#include "cli_cmd.h"

int cli_shell_run(const struct cli_ctx *ctx, int argc, char **argv);
