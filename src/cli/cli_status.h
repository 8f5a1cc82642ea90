/* `pic status`: is picd up, which version, and the cell's identity. */
#pragma once

#include "cli_cmd.h"

int cli_status_run(const struct cli_ctx *ctx, int argc, char **argv);
