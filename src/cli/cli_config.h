/* `pic config`: the subcommand table, `config get`, and what the other
 * config commands (and `pic status`) share: fetching the document and
 * finding it inside an answer. */
#pragma once

#include <jansson.h>

#include "cli_cmd.h"
#include "cli_http.h"

extern const struct cli_cmd cli_config_cmds[];

/* GET /api/config; reports failures itself. Returns 0 with an object body
 * in *ret_resp (and its ETag), else the exit status. */
int cli_config_fetch(const struct cli_ctx *ctx, struct cli_response *ret_resp);

/* The config document in an answer: its "config" member when that is an
 * object, else the answer itself. */
const json_t *cli_config_doc(const json_t *answer);

int cli_config_get_run(const struct cli_ctx *ctx, int argc, char **argv);
int cli_config_set_run(const struct cli_ctx *ctx, int argc, char **argv);
int cli_config_pending_run(const struct cli_ctx *ctx, int argc, char **argv);
int cli_config_apply_run(const struct cli_ctx *ctx, int argc, char **argv);
