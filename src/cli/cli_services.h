/* `pic services`, `pic restart|start|stop SVC`: the managed daemons
 * (/api/services), and what `pic logs` and `pic shell` share with them:
 * checking a service name and building its paths. */
#pragma once

#include <stddef.h>
#include <jansson.h>

#include "cli_cmd.h"
#include "cli_http.h"

#define CLI_SERVICES_PATH_MAX 256

/* "/api/services/NAME/SUFFIX" into `out`. A name that is not 1 to 64
 * letters, digits, '-' or '_' is a usage error, reported here. Returns 0
 * or the exit status. */
int cli_services_path(const char *name, const char *suffix, char out[CLI_SERVICES_PATH_MAX]);

/* GET /api/services and the entry named `name` in it; reports failures
 * itself, an unknown name as a refusal. Returns 0 with the answer in
 * *ret_resp and the entry (borrowed from it) in *ret_svc, else the exit
 * status. */
int cli_services_find(const struct cli_ctx *ctx, const char *name, struct cli_response *ret_resp,
		      const json_t **ret_svc);

int cli_services_run(const struct cli_ctx *ctx, int argc, char **argv);
int cli_services_restart_run(const struct cli_ctx *ctx, int argc, char **argv);
int cli_services_start_run(const struct cli_ctx *ctx, int argc, char **argv);

/* `pic stop SVC`; without SVC, `pic stop` stops the whole cell (see
 * cli_cell.h). */
int cli_services_stop_run(const struct cli_ctx *ctx, int argc, char **argv);
