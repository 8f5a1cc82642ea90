/* pic: the command-line client of PIC. It talks to picd over the local
 * control socket (HTTP over a unix socket; picd trusts the peer's uid, so
 * no credentials are sent). This file holds main: the global options, the
 * top-level command table (from which every help text is generated) and
 * the exit status. Exit statuses: see cli_error.h. */
#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_ca.h"
#include "cli_cmd.h"
#include "cli_config.h"
#include "cli_dhcp.h"
#include "cli_mail.h"
#include "cli_peer.h"
#include "cli_user.h"
#include "cli_proxy.h"
#include "cli_dns.h"
#include "cli_error.h"
#include "cli_logs.h"
#include "cli_passwd.h"
#include "cli_services.h"
#include "cli_shell.h"
#include "cli_status.h"
#include "cli_table.h"
#include "cli_token.h"
#include "common/cleanup.h"

#include "version.h"
#include "common/banned.h"

#define DEFAULT_SOCKET "/run/pic/pic.sock"

static int help_run(const struct cli_ctx *ctx, int argc, char **argv);

static const struct cli_cmd commands[] = {
	{ .name = "status", .args = "",
	  .help = "show whether picd is up, its version and the cell's identity",
	  .run = cli_status_run, .min_args = 0, .max_args = 0 },
	{ .name = "services", .args = "",
	  .help = "list the managed services: state, pid, uptime, restarts, address, health",
	  .run = cli_services_run, .min_args = 0, .max_args = 0 },
	{ .name = "restart", .args = "SVC",
	  .help = "restart a service",
	  .run = cli_services_restart_run, .min_args = 1, .max_args = 1 },
	{ .name = "start", .args = "SVC",
	  .help = "start a stopped service",
	  .run = cli_services_start_run, .min_args = 1, .max_args = 1 },
	{ .name = "stop", .args = "[SVC]",
	  .help = "stop a service; without SVC, stop every service and then picd",
	  .run = cli_services_stop_run, .min_args = 0, .max_args = 1 },
	{ .name = "logs", .args = "SVC [-n N] [-f]",
	  .help = "print a service's last N output lines (default 100); -f follows new ones",
	  .run = cli_logs_run, .min_args = 1, .max_args = 4 },
	{ .name = "shell", .args = "SVC [-- CMD [ARG...]]",
	  .help = "run a shell, or CMD, inside a service's network and mount namespaces",
	  .run = cli_shell_run, .min_args = 1, .max_args = CLI_CMD_ANY },
	{ .name = "config", .args = "",
	  .help = "show and change the cell's configuration",
	  .sub = cli_config_cmds },
	{ .name = "dns", .args = "",
	  .help = "manage the cell's DNS: records, forward zones, resolver settings",
	  .sub = cli_dns_cmds },
	{ .name = "dhcp", .args = "",
	  .help = "serve DHCP on a LAN interface: settings, reservations, leases",
	  .sub = cli_dhcp_cmds },
	{ .name = "ca", .args = "",
	  .help = "the cell's certificate authority: its root (and replacing it), issued certificates, revocation",
	  .sub = cli_ca_cmds },
	{ .name = "user", .args = "",
	  .help = "the cell's accounts (mail, calendar, files): add, list, show, set, passwd, disable, enable, rm, orphans",
	  .sub = cli_user_cmds },
	{ .name = "mail", .args = "",
	  .help = "the mail service: status, queue, flush, rm, relay, domains, domain-add, domain-rm",
	  .sub = cli_mail_cmds },
	{ .name = "peer", .args = "",
	  .help = "the VPN's peers: add (with a QR code), list, show, set, enable, disable, rm, config, qr",
	  .sub = cli_peer_cmds },
	{ .name = "proxy", .args = "",
	  .help = "the TLS proxy's web routes: list them, switch one off or on",
	  .sub = cli_proxy_cmds },
	{ .name = "token", .args = "",
	  .help = "manage API tokens for scripts",
	  .sub = cli_token_cmds },
	{ .name = "passwd", .args = "",
	  .help = "set the admin password (read from stdin when it is not a terminal)",
	  .run = cli_passwd_run, .min_args = 0, .max_args = 0 },
	{ .name = "help", .args = "[COMMAND...]",
	  .help = "show help for a command",
	  .run = help_run, .min_args = 0, .max_args = CLI_CMD_ANY },
	{ 0 },
};

/* Global options may appear anywhere before a "--"; they are taken out of
 * argv before the command table sees it. --help stays in place, since what
 * it describes depends on where it stands. */
enum opt_id { OPT_SOCKET, OPT_JSON, OPT_HELP, OPT_VERSION };

static const struct {
	const char *name;
	const char *alias;
	const char *arg;  /* NULL when the option takes no value */
	const char *help;
	enum opt_id id;
} options[] = {
	{ "--socket", NULL, "PATH",
	  "picd's control socket (default: $PIC_SOCKET, else " DEFAULT_SOCKET ")", OPT_SOCKET },
	{ "--json", NULL, NULL, "print picd's JSON answers instead of text", OPT_JSON },
	{ "--help", "-h", NULL, "show help; 'pic help COMMAND' or 'pic COMMAND --help' for one",
	  OPT_HELP },
	{ "--version", NULL, NULL, "print pic's version", OPT_VERSION },
};

static void print_usage(FILE *out)
{
	_cleanup_table_ struct cli_table *t = NULL;

	fprintf(out, "usage: pic [--socket PATH] [--json] COMMAND [ARGS]\n"
		     "Control this Personal Internet Cell through picd's local socket.\n"
		     "\ncommands:\n");
	cli_cmd_list(commands, "pic", out);
	fprintf(out, "\noptions:\n");
	if (cli_table_new(2, &t) == 0) {
		for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
			char name[64];
			int n = snprintf(name, sizeof(name), "%s%s%s%s%s",
					 options[i].alias ? options[i].alias : "",
					 options[i].alias ? ", " : "", options[i].name,
					 options[i].arg ? " " : "", options[i].arg ? options[i].arg : "");
			if (n < 0 || (size_t)n >= sizeof(name) ||
			    cli_table_add(t, name, options[i].help) < 0)
				break;
		}
		cli_table_print(t, out, "  ");
	}
	fprintf(out, "\nexit status: 0 done, 1 usage error, 2 refused by picd, "
		     "3 cannot reach picd\n");
}

static int help_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc == 0) {
		print_usage(stdout);
		return CLI_EXIT_OK;
	}
	return cli_cmd_help(commands, "pic", argc, argv, stdout);
}

/* Which option `arg` is, and its inline value for "--name=value". */
static int match_option(const char *arg, const char **ret_inline)
{
	for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
		size_t n = strlen(options[i].name);
		if (strcmp(arg, options[i].name) == 0 ||
		    (options[i].alias && strcmp(arg, options[i].alias) == 0)) {
			*ret_inline = NULL;
			return (int)i;
		}
		if (options[i].arg && strncmp(arg, options[i].name, n) == 0 && arg[n] == '=') {
			*ret_inline = arg + n + 1;
			return (int)i;
		}
	}
	return -1;
}

struct globals {
	const char *socket;
	bool json;
	bool version;
};

/* Moves the global options out of argv[1..argc) into *g, leaving the
 * rest (command words, their arguments, --help) in `rest`. Returns 0 or
 * the exit status. */
static int parse_globals(int argc, char **argv, struct globals *g, char **rest,
			 int *ret_nrest)
{
	int nrest = 0;
	bool literal = false;

	for (int i = 1; i < argc; i++) {
		const char *value = NULL;
		int o = literal ? -1 : match_option(argv[i], &value);

		if (strcmp(argv[i], "--") == 0)
			literal = true;
		if (o < 0 || options[o].id == OPT_HELP) {
			rest[nrest++] = argv[i];
			continue;
		}
		if (options[o].arg && !value) {
			if (i + 1 >= argc)
				return cli_error_usage("%s needs a value", options[o].name);
			value = argv[++i];
		}
		switch (options[o].id) {
		case OPT_SOCKET:
			if (!*value)
				return cli_error_usage("--socket needs a path");
			g->socket = value;
			break;
		case OPT_JSON:
			g->json = true;
			break;
		case OPT_VERSION:
			g->version = true;
			break;
		case OPT_HELP:
			break;
		}
	}
	rest[nrest] = NULL;
	*ret_nrest = nrest;
	return 0;
}

static int run(int argc, char **argv)
{
	_cleanup_free_ char **rest = calloc((size_t)argc + 1, sizeof(*rest));
	struct globals g = { 0 };
	int nrest = 0;

	if (!rest)
		return cli_error_local(-ENOMEM, "starting");
	int r = parse_globals(argc, argv, &g, rest, &nrest);
	if (r != 0)
		return r;
	if (g.version) {
		printf("pic %s\n", PIC_VERSION);
		return CLI_EXIT_OK;
	}
	if (nrest == 0) {
		print_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(rest[0], "--help") == 0 || strcmp(rest[0], "-h") == 0) {
		print_usage(stdout);
		return CLI_EXIT_OK;
	}

	const char *env = getenv("PIC_SOCKET");
	struct cli_ctx ctx = {
		.socket = g.socket ? g.socket : (env && *env ? env : DEFAULT_SOCKET),
		.json = g.json,
	};
	return cli_cmd_dispatch(&ctx, commands, "pic", nrest, rest);
}

int main(int argc, char **argv)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "pic: cannot initialise libcurl\n");
		return CLI_EXIT_USAGE;
	}
	int status = run(argc, argv);
	curl_global_cleanup();

	/* A token printed into a full disk is a token lost: say so. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "pic: cannot write the output\n");
		if (status == CLI_EXIT_OK)
			status = CLI_EXIT_USAGE;
	}
	return status;
}
