/* `pic user`: the cell's accounts (/api/users): add one (its password
 * read from the terminal, or stdin), list, show, set a new password,
 * disable and enable, remove. */
#pragma once

#include "cli_cmd.h"

extern const struct cli_cmd cli_user_cmds[];
