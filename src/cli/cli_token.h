/* `pic token`: API tokens for scripts (Authorization: Bearer pic_...). */
#pragma once

#include "cli_cmd.h"

extern const struct cli_cmd cli_token_cmds[];
