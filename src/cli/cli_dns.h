/* `pic dns`: the cell zone's records (/api/dns/records), forward zones
 * for other domains (/api/dns/forwards) and the resolver's settings
 * (/api/dns/config). cli_dns.c holds the table, the settings and the
 * forwards; cli_dns_records.c the record commands. */
#pragma once

#include "cli_cmd.h"

extern const struct cli_cmd cli_dns_cmds[];

int cli_dns_list_run(const struct cli_ctx *ctx, int argc, char **argv);
int cli_dns_add_run(const struct cli_ctx *ctx, int argc, char **argv);
int cli_dns_rm_run(const struct cli_ctx *ctx, int argc, char **argv);
int cli_dns_import_run(const struct cli_ctx *ctx, int argc, char **argv);
