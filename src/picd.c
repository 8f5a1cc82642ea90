/* picd: the PIC control plane. Parses options, opens the store, creates
 * the admin account on first start, listens on TCP and on the control
 * socket, and runs the event loop until SIGTERM/SIGINT, when it stops
 * accepting, lets requests in flight finish and closes the store. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <malloc.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/auth_hasher.h"
#include "api/cell_listener.h"
#include "api/deferred.h"
#include "api/http_server.h"
#include "api/routes.h"
#include "api/sse.h"
#include "api/throttle.h"
#include "api/ui_static.h"
#include "apply/apply.h"
#include "apply/apply_dns.h"
#include "apply/apply_mail.h"
#include "apply/apply_cell.h"
#include "apply/apply_routes.h"
#include "apply/apply_vpn.h"
#include "apply/apply_host.h"
#include "apply/apply_traffic.h"
#include "apply/apply_watch.h"
#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/log.h"
#include "common/loop.h"
#include "common/secret.h"
#include "common/strparse.h"
#include "common/worker.h"
#include "daemon.h"
#include "net/nft.h"
#include "pki/pki_ca.h"
#include "pki/pki_ca_replace.h"
#include "pki/pki_cert.h"
#include "pki/pki_issue.h"
#include "priv/priv.h"
#include "store/store.h"
#include "store/store_syncer.h"
#include "store/store_session.h"
#include "version.h"
#include "common/banned.h"

#define DEFAULT_STATE_DIR "/var/lib/pic"
/* Plain HTTP on loopback only: the network reaches the cell over the
 * TLS proxy (https://<cell zone>/), which dials the bridge listener
 * (cell_listener.h). --listen 0.0.0.0:3000 opens plain HTTP to the LAN. */
#define DEFAULT_LISTEN "127.0.0.1:3000"
#define DEFAULT_SOCKET "/run/pic/pic.sock"
#ifndef PIC_UI_DIR
#define PIC_UI_DIR "/usr/local/share/pic/ui"
#endif
#define DEFAULT_SESSION_TTL_S (12 * 3600)
#define SHUTDOWN_GRACE_MS 5000
#define PICD_MMAP_THRESHOLD (128 * 1024)
#define PICD_TRIM_THRESHOLD (1024 * 1024)
#define SESSION_PURGE_MS (10 * 60 * 1000)
#define CERT_RENEWAL_CHECK_MS (12 * 3600 * 1000)
/* --test-leaf-lifetime: at least long enough for a renewal check to come
 * between issuance and expiry, at most what pki_issue allows. */
#define TEST_LEAF_LIFETIME_MIN_S 30
#define LOGIN_THROTTLE_SLOTS 1024
#define LOGIN_MAX_FAILURES 5
#define LOGIN_WINDOW_S 60
/* Slow requests (argon2id: ~60 ms each, one at a time) outstanding at
 * once: 32 finish within about 2 s, well inside the shutdown's grace. */
#define DEFERRED_MAX 32

struct picd_runtime {
	struct daemon d;
	struct loop_source *signals;
	struct loop_source *shutdown_timer;
	uint64_t shutdown_deadline_ms;
	int ready_fd; /* daemon mode: pipe to the waiting parent, else -1 */
	int lease_watch_fd;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: picd [OPTIONS]\n"
		"The PIC control plane: REST API, store and (later) the cell's services.\n\n"
		"  --state-dir DIR      state directory (default " DEFAULT_STATE_DIR ")\n"
		"  --listen HOST:PORT   plain-HTTP API and web UI address (default " DEFAULT_LISTEN ":\n"
		"                       this machine only; --listen 0.0.0.0:3000 opens plain HTTP to\n"
		"                       the LAN, [::]:PORT for IPv6; the network otherwise reaches the\n"
		"                       cell over HTTPS at https://<cell zone>/)\n"
		"  --listen-fd FD       serve HTTP on this inherited listening socket instead\n"
		"  --socket PATH        local control socket (default " DEFAULT_SOCKET ")\n"
		"  --ui-dir DIR         the built web UI, served at / (default " PIC_UI_DIR ")\n"
		"  --session-ttl SECS   idle time after which a browser session ends (default %d)\n"
		"  --log-level LEVEL    error, warn, info or debug (default info)\n"
		"  --foreground         stay in the foreground, log to stderr\n"
		"  --teardown           stop the cell's services and remove its network, then exit\n"
		"  --purge              with --teardown: delete the state directory too\n"
		"  --list-routes        print the API's route table and exit\n"
		"  --test-leaf-lifetime SECS\n"
		"                       TESTS ONLY: issue the proxy's certificate for SECS seconds\n"
		"                       (%d..%" PRId64 ") and check for renewal every SECS/6 seconds\n"
		"  --version            print the version\n"
		"  --help               this text\n",
		DEFAULT_SESSION_TTL_S, TEST_LEAF_LIFETIME_MIN_S, PKI_LEAF_MAX_S);
}

static int parse_listen(const char *s, char *host, size_t hostlen, uint16_t *ret_port)
{
	const char *colon = strrchr(s, ':');
	if (!colon)
		return -EINVAL;
	const char *h = s;
	size_t hlen = (size_t)(colon - s);
	if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
		h++;
		hlen -= 2;
	}
	uint32_t port;
	if (hlen == 0 || hlen >= hostlen || parse_u32(colon + 1, 1, 65535, &port) < 0)
		return -EINVAL;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	*ret_port = (uint16_t)port;
	return 0;
}

/* One line per route: METHOD PATTERN ACCESS BODY_LIMIT SUMMARY. Tests
 * enumerate the table through this; ACCESS: public, auth (the admin's)
 * or self (anyone logged in, a cell account too). */
static void list_routes(void)
{
	static const char *const access[] = { [ROUTE_PUBLIC] = "public", [ROUTE_AUTH] = "auth", [ROUTE_SELF] = "self" };
	for (size_t i = 0; i < routes_len; i++)
		printf("%-6s %-28s %-6s %5zu  %s\n", http_method_name(routes[i].method), routes[i].pattern,
		       access[routes[i].access], routes[i].body_limit, routes[i].summary);
}

static int parse_options(int argc, char **argv, struct daemon_options *o)
{
	enum { OPT_STATE = 256, OPT_LISTEN, OPT_SOCKET, OPT_TTL, OPT_LOG, OPT_FG, OPT_ROUTES, OPT_VERSION,
	       OPT_HELP, OPT_TEARDOWN, OPT_PURGE, OPT_FAULTS, OPT_LISTEN_FD, OPT_LEAF_LIFETIME, OPT_UI_DIR };
	static const struct option longopts[] = {
		{ "state-dir", required_argument, NULL, OPT_STATE },
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ "ui-dir", required_argument, NULL, OPT_UI_DIR },
		{ "session-ttl", required_argument, NULL, OPT_TTL },
		{ "log-level", required_argument, NULL, OPT_LOG },
		{ "foreground", no_argument, NULL, OPT_FG },
		{ "list-routes", no_argument, NULL, OPT_ROUTES },
		{ "listen-fd", required_argument, NULL, OPT_LISTEN_FD },
		{ "teardown", no_argument, NULL, OPT_TEARDOWN },
		{ "purge", no_argument, NULL, OPT_PURGE },
		/* For tests only: see svc_chrony.c. Not in --help. */
		{ "test-faults", required_argument, NULL, OPT_FAULTS },
		{ "test-leaf-lifetime", required_argument, NULL, OPT_LEAF_LIFETIME },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	*o = (struct daemon_options){ .state_dir = DEFAULT_STATE_DIR, .listen_addr = DEFAULT_LISTEN,
				      .socket_path = DEFAULT_SOCKET, .ui_dir = PIC_UI_DIR,
				      .session_ttl_s = DEFAULT_SESSION_TTL_S };
	int c;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		uint64_t ttl;
		enum log_level level;
		switch (c) {
		case OPT_STATE: o->state_dir = optarg; break;
		case OPT_LISTEN: o->listen_addr = optarg; break;
		case OPT_SOCKET: o->socket_path = optarg; break;
		case OPT_UI_DIR: o->ui_dir = optarg; break;
		case OPT_TTL:
			if (parse_u64(optarg, 60, 90ull * 24 * 3600, &ttl) < 0) {
				fprintf(stderr, "picd: --session-ttl must be 60..7776000 seconds\n");
				return -EINVAL;
			}
			o->session_ttl_s = (int64_t)ttl;
			break;
		case OPT_LOG:
			if (log_level_parse(optarg, &level) < 0) {
				fprintf(stderr, "picd: --log-level must be error, warn, info or debug\n");
				return -EINVAL;
			}
			log_set_level(level);
			break;
		case OPT_FG: o->foreground = true; break;
		case OPT_LISTEN_FD: {
			uint32_t fd;
			if (parse_u32(optarg, 3, 65535, &fd) < 0) {
				fprintf(stderr, "picd: --listen-fd must be a file descriptor number >= 3\n");
				return -EINVAL;
			}
			o->listen_fd = (int)fd;
			break;
		}
		case OPT_TEARDOWN: o->teardown = true; break;
		case OPT_PURGE: o->purge = true; break;
		case OPT_FAULTS: o->test_faults = optarg; break;
		case OPT_LEAF_LIFETIME: {
			uint64_t secs;
			if (parse_u64(optarg, TEST_LEAF_LIFETIME_MIN_S, (uint64_t)PKI_LEAF_MAX_S, &secs) < 0) {
				fprintf(stderr,
					"picd: --test-leaf-lifetime must be %d..%" PRId64
					" seconds (30 seconds to 825 days); it is for tests only\n",
					TEST_LEAF_LIFETIME_MIN_S, PKI_LEAF_MAX_S);
				return -EINVAL;
			}
			o->test_leaf_lifetime_s = (int64_t)secs;
			break;
		}
		case OPT_ROUTES: list_routes(); exit(0);
		case OPT_VERSION: printf("picd %s\n", PIC_VERSION); exit(0);
		case OPT_HELP: usage(stdout); exit(0);
		default: usage(stderr); return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "picd: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (o->purge && !o->teardown) {
		fprintf(stderr, "picd: --purge goes with --teardown\n");
		return -EINVAL;
	}
	/* The namespaces and service directories are named by absolute paths:
	 * a relative --state-dir is taken from where picd was started. */
	int r = fs_absolute_path(o->state_dir, o->state_dir_abs, sizeof(o->state_dir_abs));
	if (r < 0) {
		fprintf(stderr, "picd: --state-dir '%s': %s\n", o->state_dir,
			r == -ENOENT ? "its parent directory does not exist" : strerror(-r));
		return -EINVAL;
	}
	o->state_dir = o->state_dir_abs;
	/* Relative to where picd was started, but not resolved: a symlink
	 * swapped to a new build is followed at the next request. */
	if (o->ui_dir[0] == '\0') {
		fprintf(stderr, "picd: --ui-dir is empty\n");
		return -EINVAL;
	}
	if (o->ui_dir[0] != '/') {
		char cwd[4096];
		int len = getcwd(cwd, sizeof(cwd)) ? snprintf(o->ui_dir_abs, sizeof(o->ui_dir_abs), "%s/%s", cwd, o->ui_dir)
						   : -1;
		if (len < 0 || (size_t)len >= sizeof(o->ui_dir_abs)) {
			fprintf(stderr, "picd: --ui-dir '%s' cannot be made absolute\n", o->ui_dir);
			return -EINVAL;
		}
		o->ui_dir = o->ui_dir_abs;
	}
	int n = snprintf(o->run_dir, sizeof(o->run_dir), "%s/run", o->state_dir);
	int m = snprintf(o->ca_dir, sizeof(o->ca_dir), "%s/ca", o->state_dir);
	if (n < 0 || (size_t)n >= sizeof(o->run_dir) || m < 0 || (size_t)m >= sizeof(o->ca_dir)) {
		fprintf(stderr, "picd: --state-dir is too long\n");
		return -EINVAL;
	}
	return 0;
}

/* Daemon mode: the parent waits on a pipe until the child is serving (or
 * failed) and prints what the child sends (the first admin password) on
 * the terminal it was started from. */
static int daemonize(int *ret_ready_fd)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		close(p[1]);
		char buf[512];
		size_t len = 0;
		ssize_t n;
		while (len < sizeof(buf) - 1 && (n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
			len += (size_t)n;
		buf[len] = '\0';
		bool ready = strstr(buf, "ready\n") != NULL;
		char *end = strstr(buf, "ready\n");
		if (end)
			*end = '\0';
		fputs(buf, stdout);
		fflush(stdout);
		sodium_memzero(buf, sizeof(buf));
		_exit(ready ? 0 : 1);
	}
	close(p[0]);
	if (setsid() < 0)
		return -errno;
	*ret_ready_fd = p[1];
	return 0;
}

static int redirect_output(const char *state_dir)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/picd.log", state_dir);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	_cleanup_close_ int log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	_cleanup_close_ int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (log_fd < 0 || null_fd < 0)
		return -errno;
	if (dup2(null_fd, STDIN_FILENO) < 0 || dup2(log_fd, STDOUT_FILENO) < 0 ||
	    dup2(log_fd, STDERR_FILENO) < 0)
		return -errno;
	return 0;
}

static void announce_password(struct picd_runtime *rt, const char *password)
{
	char line[256];
	int n = snprintf(line, sizeof(line),
			 "First start: the admin account was created.\n"
			 "  username: admin\n  password: %s\n"
			 "It is shown only this once; change it with `pic passwd`.\n",
			 password);
	if (n > 0 && (size_t)n < sizeof(line)) {
		if (rt->ready_fd >= 0) {
			ssize_t ignored = write(rt->ready_fd, line, (size_t)n);
			(void)ignored;
		} else {
			fputs(line, stdout);
			fflush(stdout);
		}
	}
	sodium_memzero(line, sizeof(line));
}

static void on_shutdown_tick(struct loop *l, int fd, uint32_t events, void *data)
{
	struct picd_runtime *rt = data;
	uint64_t expirations;
	ssize_t ignored = read(fd, &expirations, sizeof(expirations));
	(void)ignored;
	unsigned open_conns = http_server_connections(rt->d.http) + http_server_connections(rt->d.local) +
			      http_server_connections(rt->d.cell);
	if (open_conns == 0 || loop_now_ms() >= rt->shutdown_deadline_ms) {
		if (open_conns)
			log_warn("closing %u connection(s) still open after %d ms", open_conns, SHUTDOWN_GRACE_MS);
		/* Requests still waiting for slow work get a 503, sent as the
		 * servers stop (http_server_free). */
		deferred_cancel_all(rt->d.deferred);
		loop_quit(l);
	}
}

static void begin_shutdown(struct picd_runtime *rt, int signo)
{
	if (rt->shutdown_timer)
		return;
	log_info("received %s: no new connections; finishing requests in flight", strsignal(signo));
	http_server_quiesce(rt->d.http);
	http_server_quiesce(rt->d.local);
	http_server_quiesce(rt->d.cell);
	sse_close_all(rt->d.events);
	rt->shutdown_deadline_ms = loop_now_ms() + SHUTDOWN_GRACE_MS;
	if (loop_add_timer(rt->d.loop, 20, on_shutdown_tick, rt, &rt->shutdown_timer) < 0)
		loop_quit(rt->d.loop);
}

static void on_signal(struct loop *l, int fd, uint32_t events, void *data)
{
	struct picd_runtime *rt = data;
	struct signalfd_siginfo si;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			begin_shutdown(rt, (int)si.ssi_signo);
			break;
		case SIGHUP:
			log_info("SIGHUP: reloading the configuration from the store");
			daemon_reload_config(&rt->d);
			break;
		default:
			break;
		}
	}
}

/* Certificates are renewed when a third of their life is left: look
 * twice a day, or six times per --test-leaf-lifetime, so a renewal comes
 * with between a sixth and a third of the lifetime left (apply_service
 * re-issues only what needs it). */
static uint64_t renewal_check_ms(const struct daemon_options *o)
{
	if (o->test_leaf_lifetime_s <= 0)
		return CERT_RENEWAL_CHECK_MS;
	uint64_t ms = (uint64_t)o->test_leaf_lifetime_s * 1000 / 6;
	return ms < 1000 ? 1000 : ms;
}

static void on_renewal_timer(struct loop *l, int fd, uint32_t events, void *data)
{
	struct daemon *d = data;
	uint64_t expirations;
	ssize_t ignored = read(fd, &expirations, sizeof(expirations));
	(void)ignored;
	for (size_t i = 0; i < d->sup.n; i++) {
		struct svc *s = &d->sup.svcs[i];
		char err[512] = "";
		if (s->ops->needs_leaf && s->state != SVC_UNAVAILABLE && apply_service(d, s, false, err, sizeof(err)) < 0)
			log_err("%s: certificate renewal: %s", s->ops->name, err);
	}
}

static void on_purge_timer(struct loop *l, int fd, uint32_t events, void *data)
{
	struct daemon *d = data;
	uint64_t expirations;
	ssize_t ignored = read(fd, &expirations, sizeof(expirations));
	(void)ignored;
	int n = store_session_purge(d->store, time(NULL));
	if (n > 0)
		log_debug("removed %d expired session(s)", n);
}

static int setup_signals(struct picd_runtime *rt, int *ret_fd)
{
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	int fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	*ret_fd = fd;
	return loop_add_fd(rt->d.loop, fd, EPOLLIN, on_signal, rt, &rt->signals);
}

static int start_listeners(struct daemon *d)
{
	char host[128];
	uint16_t port;
	int fd, r;
	if (d->opt.listen_fd > 0) {
		/* Handed over by a supervisor (or a test running picd in a
		 * network namespace of its own), already bound. */
		r = priv_tcp_adopt(d->opt.listen_fd);
		if (r < 0) {
			log_err("--listen-fd %d is not a listening TCP socket", d->opt.listen_fd);
			return r;
		}
		fd = d->opt.listen_fd;
	} else if (parse_listen(d->opt.listen_addr, host, sizeof(host), &port) < 0) {
		log_err("--listen '%s' is not HOST:PORT with a numeric host", d->opt.listen_addr);
		return -EINVAL;
	} else if ((r = priv_tcp_listen(host, port, &fd)) < 0) {
		log_err("cannot listen on %s: %s", d->opt.listen_addr, strerror(-r));
		return r;
	}
	r = http_server_start(d, fd, false, &d->http);
	if (r < 0) {
		log_err("cannot start the HTTP server: %s", strerror(-r));
		return r;
	}
	r = priv_control_socket_open(d->opt.socket_path, &fd);
	if (r < 0) {
		log_err("cannot create the control socket %s: %s", d->opt.socket_path,
			r == -EADDRINUSE ? "another picd is using it" : strerror(-r));
		return r;
	}
	r = http_server_start(d, fd, true, &d->local);
	if (r < 0)
		log_err("cannot serve the control socket: %s", strerror(-r));
	return r;
}

/* A service started or stopped serving: the proxy and the VPN follow. */
static void on_serving_changed(struct svc *s, void *cls)
{
	struct daemon *d = cls;
	apply_routes_on_serving(d, s);
	apply_vpn_on_serving(d, s);
}

static void on_log_grew(struct svc *s, void *cls)
{
	struct daemon *d = cls;
	sse_log_grew(d->events, s);
	apply_mail_log_grew(d, s);
}

/* Where each service answers, once at start. */
static void log_services(struct daemon *d)
{
	for (size_t i = 0; i < d->sup.n; i++) {
		const struct svc *s = &d->sup.svcs[i];
		const struct netplan_service *net = svc_ops_net(&d->net, s->ops);
		char ip[IPV4_STR_MAX] = "-";
		if (net)
			ipv4_format(net->addrs[0], ip);
		log_info("service %-6s %-11s %s%s", s->ops->name, svc_state_name(s->state), ip,
			 s->adopted ? " (adopted)" : "");
	}
}

/* Where the web UI comes from, once at start: a missing one is not an
 * error (the API serves on), but worth a line. */
static void log_ui(const struct daemon *d)
{
	int r = ui_static_check(d->opt.ui_dir);
	if (r == 0)
		log_info("web UI from %s", d->opt.ui_dir);
	else
		log_warn("no web UI: '%s/index.html': %s; / answers 404 until it is built (make build) or "
			 "--ui-dir names a built one",
			 d->opt.ui_dir, strerror(-r));
}

/* The root's fingerprint, for comparing with what a device shows before
 * trusting the certificate it downloaded. */
static void log_ca_fingerprint(struct daemon *d)
{
	if (!d->ca)
		return;
	struct pki_cert_info info;
	if (pki_ca_cert_info(d->ca, &info) == 0)
		log_info("cell CA SHA-256 %s (devices download it from /api/vault/ca.crt)", info.sha256);
}

/* The cell's CA is created at the first start in <state>/ca; a
 * replacement of the root that a crash interrupted is finished first.
 * Then the root is loaded to tell whether it still covers the
 * configuration (daemon_ca_check). Without it the rest of the cell still
 * runs; the vault API answers 503. */
static void open_ca(struct daemon *d)
{
	char crt[4200], err[256] = "";
	int r = pki_ca_replace_recover(d->opt.ca_dir);
	if (r < 0)
		log_err("certificate authority in %s: cannot finish an interrupted replacement: %s", d->opt.ca_dir,
			strerror(-r));
	else if (r == 1)
		log_warn("finished replacing the cell's root CA, which picd's last run left half done");
	snprintf(crt, sizeof(crt), "%s/ca.crt", d->opt.ca_dir);
	if (access(crt, F_OK) != 0) {
		char host[PKI_NAME_MAX + 1];
		r = pki_ca_ensure(d->opt.ca_dir, &d->config, host_access_name(host) == 0 ? host : NULL, time(NULL),
				  &d->ca, err, sizeof(err));
		if (r < 0)
			log_err("certificate authority in %s: %s", d->opt.ca_dir, err[0] ? err : strerror(-r));
		else if (r == 1)
			log_info("created the cell's certificate authority (%s)", d->opt.ca_dir);
	}
	daemon_ca_check(d);
	log_ca_fingerprint(d);
}

static int open_store(struct daemon *d)
{
	char path[4096], err[512];
	int n = snprintf(path, sizeof(path), "%s/pic.db", d->opt.state_dir);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	int r = store_open(path, &d->store, err, sizeof(err));
	if (r < 0) {
		log_err("store %s: %s", path, err);
		return r;
	}
	return daemon_reload_config(d);
}

static int run(struct picd_runtime *rt)
{
	struct daemon *d = &rt->d;
	char route_err[256];
	if (router_check(routes, routes_len, route_err, sizeof(route_err)) < 0) {
		log_err("route table: %s", route_err);
		return -EINVAL;
	}
	if (secret_init() < 0) {
		log_err("libsodium failed to initialise");
		return -EIO;
	}
	int r;
	if (d->opt.teardown) {
		char err[512] = "";
		if (priv_control_socket_in_use(d->opt.socket_path)) {
			log_err("teardown: picd is running on %s; stop it first (pic stop)", d->opt.socket_path);
			return -EBUSY;
		}
		r = apply_cell_teardown(&d->opt, err, sizeof(err));
		if (r < 0)
			log_err("teardown: %s", err);
		else
			log_info("teardown: services stopped, network and runtime files removed%s",
				 d->opt.purge ? ", state directory deleted" : "");
		return r;
	}
	r = priv_state_dir_prepare(d->opt.state_dir);
	if (r < 0) {
		log_err("state directory %s: %s", d->opt.state_dir, strerror(-r));
		return r;
	}
	if (!d->opt.foreground) {
		r = daemonize(&rt->ready_fd);
		if (r == 0)
			r = redirect_output(d->opt.state_dir);
		if (r < 0) {
			log_err("cannot run in the background: %s", strerror(-r));
			return r;
		}
	}
	r = open_store(d);
	if (r < 0)
		return r;

	char password[64];
	r = daemon_bootstrap_admin(d, password, sizeof(password));
	if (r == 0 || r == 1)
		r = store_sync(d->store) < 0 ? -EIO : r; /* on disk before anyone is told */
	if (r < 0) {
		log_err("cannot create the admin account: %s", strerror(-r));
		return r;
	}
	bool new_admin = r == 1;

	_cleanup_close_ int sigfd = -1;
	r = loop_new(&d->loop);
	if (r == 0)
		r = store_syncer_new(d->loop, d->store, &d->syncer);
	if (r == 0 && d->opt.test_faults && strstr(d->opt.test_faults, "store-sync-fail"))
		store_syncer_fail_for_test(d->syncer);
	if (r == 0)
		r = throttle_new(LOGIN_THROTTLE_SLOTS, LOGIN_MAX_FAILURES, LOGIN_WINDOW_S, &d->login_throttle);
	if (r == 0)
		r = auth_hasher_new(&d->hasher);
	if (r == 0)
		r = worker_new(d->loop, DEFERRED_MAX, WORKER_NICE, &d->worker);
	if (r == 0)
		r = worker_new(d->loop, DEFERRED_MAX, WORKER_NICE, &d->queries);
	if (r == 0)
		r = deferred_set_new(DEFERRED_MAX, &d->deferred);
	if (r == 0)
		r = apply_async_new(d);
	if (r == 0)
		r = setup_signals(rt, &sigfd);
	if (r == 0)
		r = loop_add_timer(d->loop, SESSION_PURGE_MS, on_purge_timer, d, NULL);
	if (r == 0)
		r = loop_add_timer(d->loop, renewal_check_ms(&d->opt), on_renewal_timer, d, NULL);
	if (r < 0) {
		log_err("cannot set up the event loop: %s", strerror(-r));
		return r;
	}
	open_ca(d);
	r = sse_hub_new(d, &d->events);
	if (r == 0)
		r = supervisor_init(&d->sup, d);
	if (r < 0) {
		log_err("cannot set up the supervisor: %s", strerror(-r));
		return r;
	}
	d->sup.log_grew = on_log_grew;
	d->sup.log_grew_cls = d;
	d->sup.serving_changed = on_serving_changed;
	d->sup.serving_changed_cls = d;
	r = apply_routes_follow(d);
	if (r == 0)
		r = apply_vpn_follow(d);
	if (r == 0)
		r = apply_host_follow(d);
	if (r == 0)
		r = apply_traffic_follow(d);
	if (r < 0) {
		log_err("cannot set up the event loop: %s", strerror(-r));
		return r;
	}
	r = nft_session_open(&d->nft);
	if (r < 0) {
		log_err("cannot set up nftables: %s", strerror(-r));
		return r;
	}
	r = start_listeners(d);
	if (r < 0)
		return r;
	r = apply_watch_leases(d, &rt->lease_watch_fd);
	if (r < 0)
		log_warn("cannot follow DHCP leases: %s (LAN host names will not resolve)", strerror(-r));
	char cell_err[512] = "";
	r = apply_cell_start(d, cell_err, sizeof(cell_err));
	if (r < 0)
		log_err("the cell started incompletely: %s", cell_err);
	cell_listener_reopen(d);
	log_services(d);
	log_ui(d);
	/* Start-up (nftables, netlink, the first renders) leaves freed heap
	 * behind; give it back so an idle picd stays small. */
	malloc_trim(0);

	log_info("picd %s serving http://%s and %s (state in %s)", PIC_VERSION,
		 d->opt.listen_fd > 0 ? "(inherited socket)" : d->opt.listen_addr,
		 d->opt.socket_path, d->opt.state_dir);
	if (new_admin)
		announce_password(rt, password);
	sodium_memzero(password, sizeof(password));
	if (rt->ready_fd >= 0) {
		ssize_t ignored = write(rt->ready_fd, "ready\n", 6);
		(void)ignored;
		close(rt->ready_fd);
		rt->ready_fd = -1;
	}

	r = loop_run(d->loop);
	apply_vpn_finish(d);
	log_info("picd stopped");
	return r;
}

static void cleanup(struct picd_runtime *rt)
{
	struct daemon *d = &rt->d;
	/* Changes in flight finish and are committed while the supervisor
	 * and the store are still there. */
	apply_dns_push_stop(d);
	apply_async_free(d);
	supervisor_free(&d->sup);
	if (d->local)
		unlink(d->opt.socket_path);
	/* What was committed goes onto the disk, and the requests that
	 * wrote it get their answers, before the servers stop. */
	store_syncer_free(d->syncer);
	d->syncer = NULL;
	/* Connections (and the event streams on them) go before the hub. */
	sse_close_all(d->events);
	http_server_free(d->http);
	http_server_free(d->local);
	http_server_free(d->cell);
	apply_mail_stop(d);
	worker_free(d->mail_cleaner);
	/* The thread's last jobs finish; their continuations find nobody
	 * waiting (but still count failed logins) and free their answers. */
	worker_free(d->worker);
	auth_hasher_free(d->hasher); /* the thread that used it is gone */
	worker_free(d->queries);
	apply_traffic_free(d); /* after the worker: a last reading comes back to it */
	deferred_set_free(d->deferred);
	sse_hub_free(d->events);
	nft_session_close(d->nft);
	free(d->dns_hosts);
	pki_ca_free(d->ca);
	if (d->loop) {
		loop_remove(d->loop, rt->shutdown_timer);
		loop_remove(d->loop, rt->signals);
	}
	throttle_free(d->login_throttle);
	store_close(d->store);
	loop_free(d->loop);
	if (rt->lease_watch_fd >= 0)
		close(rt->lease_watch_fd);
}

int main(int argc, char **argv)
{
	/* The argon2id helper (auth_hasher.h), started by picd itself. */
	if (argc == 2 && strcmp(argv[1], AUTH_HASHER_ARG) == 0)
		return auth_hasher_main(AUTH_HASHER_FD);
	struct picd_runtime rt = { .ready_fd = -1, .lease_watch_fd = -1 };
	if (parse_options(argc, argv, &rt.d.opt) < 0)
		return 2;
	rt.d.started_ms = loop_now_ms();
	/* The store holds password hashes: nothing picd creates is for others
	 * (the control socket sets its own mode). */
	umask(0077);
	/* A fixed threshold: blocks from 128 KiB up (rendered configs, JSON
	 * answers, UAPI requests) are mapped on their own and unmapped when
	 * freed. glibc would otherwise raise the threshold after the first
	 * such free and keep later ones in the heap, resident for good. */
	mallopt(M_MMAP_THRESHOLD, PICD_MMAP_THRESHOLD);
	/* Up to 1 MiB free at the heap's top stays: with glibc's 128 KiB,
	 * a burst of requests moved the top up and down with brk hundreds of
	 * times a second (each a page fault per page on the way up, and the
	 * memory map's lock taken against every other thread). malloc_trim
	 * after big exchanges still gives it all back. */
	mallopt(M_TRIM_THRESHOLD, PICD_TRIM_THRESHOLD);
	int r = run(&rt);
	cleanup(&rt);
	if (rt.ready_fd >= 0)
		close(rt.ready_fd);
	return r < 0 ? 1 : 0;
}
