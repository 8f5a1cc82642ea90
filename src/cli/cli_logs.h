/* `pic logs SVC [-n N] [-f]`: a service's output, the last N lines, and
 * with -f new lines as they come until ^C or picd ends the stream. */
#pragma once

#include "cli_cmd.h"

int cli_logs_run(const struct cli_ctx *ctx, int argc, char **argv);
