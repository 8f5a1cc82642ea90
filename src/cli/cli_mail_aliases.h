/* `pic mail aliases|alias-add|alias-rm`: every account's aliases, and one
 * alias given or taken (/api/email/aliases). */
#pragma once

#include "cli_cmd.h"

int cli_mail_aliases_run(const struct cli_ctx *ctx, int argc, char **argv);
int cli_mail_alias_add_run(const struct cli_ctx *ctx, int argc, char **argv);
int cli_mail_alias_rm_run(const struct cli_ctx *ctx, int argc, char **argv);
