/* `pic mail`: the mail service (/api/email): its state and counts, the
 * queue of postfix, retrying it, deleting a queued message. */
#pragma once

#include "cli_cmd.h"

extern const struct cli_cmd cli_mail_cmds[];
