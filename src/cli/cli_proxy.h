/* `pic proxy`: the proxy's web routes (/api/proxy/routes) and the owner's
 * switch that takes one off the air and puts it back. */
#pragma once

#include "cli_cmd.h"

extern const struct cli_cmd cli_proxy_cmds[];
