/* The command table shared by `pic` and its subcommand groups. Each entry
 * names a command, its argument synopsis and one line of help, and either
 * a handler or a nested table (a group such as `config` or `token`).
 * Dispatch, argument-count checks and every help text come from these
 * tables, so a command added to a table is documented by that alone. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

/* What every handler needs: where picd listens and how to print. */
struct cli_ctx {
	const char *socket; /* path of picd's control socket */
	bool json;          /* print the server's JSON instead of text */
};

/* A handler gets its own arguments (without the command words and the
 * first "--"; argv[argc] is NULL) and returns the process exit status
 * (see cli_error.h). */
typedef int (*cli_cmd_run_fn)(const struct cli_ctx *ctx, int argc, char **argv);

struct cli_cmd {
	const char *name;
	const char *args;             /* synopsis of the arguments; "" if none */
	const char *help;             /* one line, lower case, no full stop */
	cli_cmd_run_fn run;           /* NULL for a group */
	int min_args;
	int max_args;                 /* CLI_CMD_ANY for no upper bound */
	const struct cli_cmd *sub;    /* a group's table, else NULL */
};

#define CLI_CMD_ANY (-1)

/* Finds argv[0] in `table` (terminated by an entry whose name is NULL) and
 * runs it with the rest of argv (NULL-terminated); a group descends into
 * its own table.
 * `path` is the words already consumed ("pic", "pic config") for messages.
 * An argument `--help` or `-h` (before a `--`) prints the help of the
 * command reached so far instead. Returns the exit status. */
int cli_cmd_dispatch(const struct cli_ctx *ctx, const struct cli_cmd *table,
		     const char *path, int argc, char **argv);

/* Prints the help of the command named by the words argv[0..argc) below
 * `table` (the whole table when argc is 0) to `out`. Returns the exit
 * status: 0, or 1 when a word names no command. */
int cli_cmd_help(const struct cli_cmd *table, const char *path, int argc, char **argv,
		 FILE *out);

/* Prints every leaf command below `table` as "path name args  help"
 * lines, aligned, to `out`. */
void cli_cmd_list(const struct cli_cmd *table, const char *path, FILE *out);
