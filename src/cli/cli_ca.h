/* `pic ca`: the cell's certificate authority (/api/vault): its root
 * certificate, the certificates it issued, issuing and revoking them, and
 * the revocation list. */
#pragma once

#include "cli_cmd.h"

extern const struct cli_cmd cli_ca_cmds[];
