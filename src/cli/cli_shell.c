/* `pic shell SVC [-- CMD ARGS...]` (see cli_shell.h): looks the service's
 * pid up in /api/services, joins the network namespace and then the
 * mount namespace of that process (the service's own /run and /tmp), and
 * replaces pic with /bin/sh, or CMD found through $PATH there. The
 * environment is the caller's, as for any shell they start. Joining a
 * mount namespace takes CAP_SYS_ADMIN and a single-threaded process: pic
 * is root (only root may use the socket) and libcurl started no thread
 * for a unix socket. Both namespace files are opened through one
 * /proc/PID directory, so they belong to the same process even if the
 * pid is reused meanwhile. */
#include "cli_shell.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_error.h"
#include "cli_http.h"
#include "cli_services.h"

#include "common/banned.h"

/* Opens /proc/PID/ns/net and /proc/PID/ns/mnt. -errno. */
static int open_namespaces(json_int_t pid, int *ret_net, int *ret_mnt)
{
	char dir[64];
	int n = snprintf(dir, sizeof(dir), "/proc/%" JSON_INTEGER_FORMAT, pid);
	if (n < 0 || (size_t)n >= sizeof(dir))
		return -ENAMETOOLONG;

	_cleanup_close_ int proc = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (proc < 0)
		return -errno;
	_cleanup_close_ int net = openat(proc, "ns/net", O_RDONLY | O_CLOEXEC);
	if (net < 0)
		return -errno;
	_cleanup_close_ int mnt = openat(proc, "ns/mnt", O_RDONLY | O_CLOEXEC);
	if (mnt < 0)
		return -errno;
	*ret_net = TAKE_FD(net);
	*ret_mnt = TAKE_FD(mnt);
	return 0;
}

/* The mount namespace last, as nsenter(1) does: joining it resets the
 * root and working directory, which nothing after it should depend on. */
static int enter(int net, int mnt)
{
	if (setns(net, CLONE_NEWNET) < 0)
		return -errno;
	if (setns(mnt, CLONE_NEWNS) < 0)
		return -errno;
	/* The old working directory belongs to the other mount namespace. */
	if (chdir("/") < 0)
		return -errno;
	return 0;
}

int cli_shell_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_close_ int net = -1, mnt = -1;
	const char *name = argv[0];
	const json_t *svc;

	int r = cli_services_find(ctx, name, &resp, &svc);
	if (r != 0)
		return r;
	const json_t *pid = json_object_get(svc, "pid");
	const char *state = json_string_value(json_object_get(svc, "state"));
	const char *daemon = json_string_value(json_object_get(svc, "daemon"));
	if (!json_is_integer(pid) || json_integer_value(pid) <= 0) {
		fprintf(stderr, "pic: %s is %s: it has no process to enter; try 'pic start %s'\n",
			name, state ? state : "not running", name);
		return CLI_EXIT_REFUSED;
	}

	r = open_namespaces(json_integer_value(pid), &net, &mnt);
	if (r == -ENOENT || r == -ESRCH) {
		fprintf(stderr, "pic: %s's process %" JSON_INTEGER_FORMAT " is gone; try again\n",
			name, json_integer_value(pid));
		return CLI_EXIT_REFUSED;
	}
	if (r < 0)
		return cli_error_local(r, "opening the service's namespaces");
	r = enter(net, mnt);
	if (r < 0)
		return cli_error_local(r, "entering the service's namespaces");

	if (argc == 1)
		fprintf(stderr, "entering %s (%s, pid %" JSON_INTEGER_FORMAT "); exit to leave\n", name,
			daemon ? daemon : "?", json_integer_value(pid));
	fflush(stdout);
	if (argc == 1) {
		char *const sh[] = { (char *)"sh", NULL };
		execv("/bin/sh", sh);
		return cli_error_local(-errno, "starting /bin/sh");
	}
	execvp(argv[1], argv + 1);
	r = -errno;
	fprintf(stderr, "pic: cannot run '%s' in %s: %s\n", argv[1], name, strerror(-r));
	return CLI_EXIT_USAGE;
}
