/* `pic ca`: the cell's certificate authority (/api/vault): its root
 * certificate, the certificates it issued, issuing and revoking them, the
 * revocation list, and replacing the root. */
#pragma once

#include "cli_cmd.h"

extern const struct cli_cmd cli_ca_cmds[];

/* `pic ca replace [--force]` (cli_ca_replace.c). */
int cli_ca_replace_run(const struct cli_ctx *ctx, int argc, char **argv);

