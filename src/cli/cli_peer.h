/* `pic peer`: the VPN's peers (/api/peers): add one (printing its QR code
 * in the terminal and writing its config file), list, show, change,
 * switch off and on, remove, and print a peer's config or QR code again. */
#pragma once

#include "cli_cmd.h"

extern const struct cli_cmd cli_peer_cmds[];
