/* Table-driven dispatch and help (see cli_cmd.h). */
#include "cli_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli_error.h"
#include "cli_table.h"

#include "common/banned.h"

#define PATH_MAX_LEN 128

static bool is_help_flag(const char *s)
{
	return strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0;
}

static const struct cli_cmd *find(const struct cli_cmd *table, const char *name)
{
	for (const struct cli_cmd *c = table; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* "pic config" + "get" -> "pic config get"; -ENAMETOOLONG never happens
 * with the names in the tables, but is checked all the same. */
static int join(char out[PATH_MAX_LEN], const char *path, const char *name)
{
	int n = snprintf(out, PATH_MAX_LEN, "%s%s%s", path, *path ? " " : "", name);
	return n < 0 || n >= PATH_MAX_LEN ? -ENAMETOOLONG : 0;
}

static int collect(struct cli_table *t, const struct cli_cmd *table, const char *prefix)
{
	for (const struct cli_cmd *c = table; c->name; c++) {
		char words[PATH_MAX_LEN], synopsis[PATH_MAX_LEN * 2];
		int r = join(words, prefix, c->name);
		if (r < 0)
			return r;
		if (c->sub) {
			r = collect(t, c->sub, words);
		} else {
			r = join(synopsis, words, c->args);
			if (r == 0)
				r = cli_table_add(t, synopsis, c->help);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

void cli_cmd_list(const struct cli_cmd *table, const char *path, FILE *out)
{
	_cleanup_table_ struct cli_table *t = NULL;

	if (cli_table_new(2, &t) < 0 || collect(t, table, "") < 0) {
		/* Out of memory: the names alone still help. */
		for (const struct cli_cmd *c = table; c->name; c++)
			fprintf(out, "  %s %s\n", path, c->name);
		return;
	}
	cli_table_print(t, out, "  ");
}

static void print_leaf_help(const struct cli_cmd *cmd, const char *path, FILE *out)
{
	fprintf(out, "usage: %s%s%s\n%s\n", path, *cmd->args ? " " : "", cmd->args, cmd->help);
}

static void print_group_help(const struct cli_cmd *group, const char *path, FILE *out)
{
	fprintf(out, "usage: %s COMMAND [ARGS]\n%s\n\ncommands:\n", path, group->help);
	cli_cmd_list(group->sub, path, out);
}

static void print_help(const struct cli_cmd *cmd, const char *path, FILE *out)
{
	if (cmd->sub)
		print_group_help(cmd, path, out);
	else
		print_leaf_help(cmd, path, out);
}

int cli_cmd_help(const struct cli_cmd *table, const char *path, int argc, char **argv,
		 FILE *out)
{
	const struct cli_cmd *cmd = NULL;
	char words[PATH_MAX_LEN];

	int n = snprintf(words, sizeof(words), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(words))
		return CLI_EXIT_USAGE;
	for (int i = 0; i < argc; i++) {
		const struct cli_cmd *in = cmd ? cmd->sub : table;
		const struct cli_cmd *next = in ? find(in, argv[i]) : NULL;
		if (!next)
			return cli_error_usage("no command '%s %s'; see '%s --help'", words,
					       argv[i], path);
		char longer[PATH_MAX_LEN];
		if (join(longer, words, argv[i]) < 0)
			return CLI_EXIT_USAGE;
		memcpy(words, longer, sizeof(words));
		cmd = next;
	}
	if (!cmd) {
		fprintf(out, "commands:\n");
		cli_cmd_list(table, path, out);
	} else {
		print_help(cmd, words, out);
	}
	return CLI_EXIT_OK;
}

/* True when an argument before any "--" asks for help. */
static bool wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (is_help_flag(argv[i]))
			return true;
	return false;
}

/* Drops the first "--" so that what follows is taken literally; argv
 * stays NULL-terminated. */
static int drop_dashdash(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			memmove(argv + i, argv + i + 1, (size_t)(argc - i - 1) * sizeof(*argv));
			argv[argc - 1] = NULL;
			return argc - 1;
		}
	}
	return argc;
}

int cli_cmd_dispatch(const struct cli_ctx *ctx, const struct cli_cmd *table,
		     const char *path, int argc, char **argv)
{
	if (argc == 0) {
		fprintf(stderr, "usage: %s COMMAND [ARGS]\ncommands:\n", path);
		cli_cmd_list(table, path, stderr);
		return CLI_EXIT_USAGE;
	}
	if (is_help_flag(argv[0])) {
		fprintf(stdout, "usage: %s COMMAND [ARGS]\ncommands:\n", path);
		cli_cmd_list(table, path, stdout);
		return CLI_EXIT_OK;
	}

	const struct cli_cmd *cmd = find(table, argv[0]);
	if (!cmd) {
		if (argv[0][0] == '-')
			return cli_error_usage("unknown option '%s'; see '%s --help'", argv[0], path);
		return cli_error_usage("unknown command '%s'; see '%s --help'", argv[0], path);
	}
	char words[PATH_MAX_LEN];
	if (join(words, path, cmd->name) < 0)
		return CLI_EXIT_USAGE;
	if (cmd->sub) {
		if (argc == 1) {
			print_group_help(cmd, words, stderr);
			return CLI_EXIT_USAGE;
		}
		if (is_help_flag(argv[1])) {
			print_group_help(cmd, words, stdout);
			return CLI_EXIT_OK;
		}
		return cli_cmd_dispatch(ctx, cmd->sub, words, argc - 1, argv + 1);
	}
	if (wants_help(argc - 1, argv + 1)) {
		print_leaf_help(cmd, words, stdout);
		return CLI_EXIT_OK;
	}

	argc = drop_dashdash(argc - 1, argv + 1);
	argv++;
	if (argc < cmd->min_args || (cmd->max_args != CLI_CMD_ANY && argc > cmd->max_args)) {
		fprintf(stderr, "pic: wrong number of arguments for '%s'\n", words);
		print_leaf_help(cmd, words, stderr);
		return CLI_EXIT_USAGE;
	}
	return cmd->run(ctx, argc, argv);
}
