/* `pic stop` without a service: stop every service and then picd, and
 * wait until picd's socket is gone. */
#pragma once

#include "cli_cmd.h"

int cli_cell_stop(const struct cli_ctx *ctx);
