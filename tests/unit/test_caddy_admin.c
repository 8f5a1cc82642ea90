/* caddy_admin and the rendered caddy.json against a real caddy: started
 * with fork/exec (no shell) in a temporary directory with a bootstrap
 * config that has only the admin block (socket, origins, persist off) and
 * HOME/XDG directories inside that directory; always killed at the end
 * (group teardown, and PR_SET_PDEATHSIG should the test process die first).
 *
 * When the test may create a network namespace (root), the whole process
 * moves into a fresh one first, so nothing here can collide with the
 * machine's ports, and the rendered config is also exercised on loopback
 * "virtual IPs" 127.77.0.20-23 with ports 80/443 and a leaf from src/pki:
 * health probe (ServerHello), 308 redirect, /ca.crt 503 then proxied (the
 * upstream's own CSP kept), and — with curl present — HTTPS host routing,
 * 503, the 404 catch-all, and 404 for another service's name on a
 * virtual IP.
 *
 * Checks: POST /load of a plain-HTTP static "hello" server answers on the
 * very next request; a broken config is -EINVAL with caddy's reason and
 * the old one keeps answering; repeated loads each answer at once
 * (timed); GET /config/; transport errors (no socket, silence, garbage,
 * limits); and last, a config without `origins` locks picd out (-EACCES),
 * which is why caddy.json carries it. Skipped without /usr/bin/caddy. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/fsutil.h"
#include "model/config.h"
#include "net/netplan.h"
#include "pki/pki_ca.h"
#include "pki/pki_issue.h"
#include "svc/caddy_admin.h"
#include "svc/svc_caddy.h"
#include "text_util.h"
#include "child_proc.h"
#include "common/banned.h"

#define CADDY "/usr/bin/caddy"
#define CURL "/usr/bin/curl"
#define LOCALHOST 0x7f000001u
#define VIP_NET 0x7f4d0000u /* 127.77.0.0/16: the rendered config's "cell network" */
#define ZONE "mycell.cell"
#define TIMEOUT_MS 3000

struct caddy_under_test {
	char dir[64];
	char sock[128], boot[128], log[128];
	pid_t pid;
	bool isolated; /* in a network namespace of our own */
	uint16_t port; /* the test server's, on 127.0.0.1 */
};

static struct caddy_under_test cd = { .pid = -1 };

static void path_in_dir(char *out, size_t outlen, const char *name)
{
	int n = snprintf(out, outlen, "%s/%s", cd.dir, name);
	assert_true(n > 0 && (size_t)n < outlen);
}

static uint16_t free_port(void)
{
	int t = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(t >= 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(LOCALHOST) };
	socklen_t len = sizeof(sa);
	assert_int_equal(bind(t, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(t, (struct sockaddr *)&sa, &len), 0);
	close(t);
	return ntohs(sa.sin_port);
}

/* A raw HTTP/1.1 GET; the whole response (to EOF) into `resp`; returns the
 * status, or -errno. */
static int http_get(uint32_t addr, uint16_t port, const char *host, const char *path, struct buf *resp)
{
	_cleanup_close_ int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	struct timeval tv = { .tv_sec = 3 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(addr) };
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	char req[512];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host);
	assert_true(n > 0 && (size_t)n < sizeof(req));
	if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n)
		return -EIO;
	char chunk[4096];
	ssize_t got;
	while ((got = recv(fd, chunk, sizeof(chunk), 0)) > 0)
		assert_int_equal(buf_append(resp, chunk, (size_t)got), 0);
	if (got < 0)
		return -errno;
	if (resp->len < 12 || strncmp(resp->data, "HTTP/1.1 ", 9) != 0)
		return -EPROTO;
	return (int)strtol(resp->data + 9, NULL, 10);
}

static const char *body_of(const struct buf *resp)
{
	const char *b = strstr(resp->data, "\r\n\r\n");
	return b ? b + 4 : "";
}

/* The admin block every config loaded here carries (caddy moves its API
 * elsewhere if a config has none). */
static char *admin_block(bool origins)
{
	struct buf b;
	buf_init(&b, 4096);
	assert_int_equal(buf_printf(&b, "\"admin\":{\"listen\":\"unix/%s\",%s\"config\":{\"persist\":false}}", cd.sock,
				    origins ? "\"origins\":[\"localhost\"]," : ""),
			 0);
	return buf_steal(&b);
}

/* A plain-HTTP server on 127.0.0.1:cd.port answering `body`; `handler`
 * replaces the handler's name (a broken config). */
static char *hello_config(const char *body, const char *handler, bool origins)
{
	char *admin = admin_block(origins);
	struct buf b;
	buf_init(&b, 1 << 16);
	assert_int_equal(buf_printf(&b,
				    "{%s,\"logging\":{\"logs\":{\"default\":{\"level\":\"WARN\"}}},"
				    "\"apps\":{\"http\":{\"servers\":{\"t\":{\"listen\":[\"127.0.0.1:%u\"],"
				    "\"routes\":[{\"handle\":[{\"handler\":\"%s\",\"body\":\"%s\"}]}]}}}}}",
				    admin, cd.port, handler, body),
			 0);
	free(admin);
	return buf_steal(&b);
}

static int load(const char *json, char *err, size_t errlen)
{
	return caddy_admin_load(cd.sock, json, strlen(json), false, TIMEOUT_MS, err, errlen);
}

static void print_log(void)
{
	FILE *f = fopen(cd.log, "re");
	if (!f)
		return;
	char line[1024];
	while (fgets(line, sizeof(line), f))
		print_message("caddy: %s", line);
	fclose(f);
}

static pid_t spawn_caddy(void)
{
	char home[160], data[160], config[160];
	int n1 = snprintf(home, sizeof(home), "HOME=%s", cd.dir);
	int n2 = snprintf(data, sizeof(data), "XDG_DATA_HOME=%s/data", cd.dir);
	int n3 = snprintf(config, sizeof(config), "XDG_CONFIG_HOME=%s/config", cd.dir);
	assert_true(n1 > 0 && (size_t)n1 < sizeof(home) && n2 > 0 && (size_t)n2 < sizeof(data) && n3 > 0 &&
		    (size_t)n3 < sizeof(config));
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Only async-signal-safe calls until execve. */
		int log = open(cd.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (log < 0 || null < 0 || dup2(null, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0)
			_exit(126);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
			_exit(126);
		char *const argv[] = { (char *)CADDY, (char *)"run", (char *)"--config", cd.boot, NULL };
		char *const envp[] = { (char *)"PATH=/usr/bin:/bin", home, data, config, NULL };
		execve(CADDY, argv, envp);
		_exit(127);
	}
	return pid;
}

static void stop_caddy(void)
{
	child_stop(&cd.pid);
}

/* Up when the admin API answers. */
static bool wait_ready(pid_t pid)
{
	for (int i = 0; i < 500; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return false;
		struct buf b;
		buf_init(&b, 1 << 16);
		int r = caddy_admin_get_config(cd.sock, 1000, &b, NULL, 0);
		buf_free(&b);
		if (r == 0)
			return true;
		usleep(5 * 1000);
	}
	return false;
}

/* A network namespace of our own, with lo up: 127.0.0.0/8 is ours. Like
 * the proxy's namespace in a cell, it migrates connections queued on a
 * listener caddy closes (caddy_admin.h). */
static bool isolate(void)
{
	if (unshare(CLONE_NEWNET) < 0)
		return false;
	FILE *migrate = fopen("/proc/sys/net/ipv4/tcp_migrate_req", "we");
	if (migrate) {
		fputs("1\n", migrate);
		fclose(migrate);
	}
	_cleanup_close_ int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { 0 };
	memcpy(ifr.ifr_name, "lo", 3);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return false;
	ifr.ifr_flags |= IFF_UP;
	return ioctl(s, SIOCSIFFLAGS, &ifr) == 0;
}

static int group_setup(void **state)
{
	if (access(CADDY, X_OK) != 0)
		return 0; /* every test skips */
	cd.isolated = isolate();
	snprintf(cd.dir, sizeof(cd.dir), "/tmp/pic-caddy-XXXXXX");
	if (!mkdtemp(cd.dir))
		return -1;
	path_in_dir(cd.sock, sizeof(cd.sock), SVC_CADDY_ADMIN_FILE);
	path_in_dir(cd.boot, sizeof(cd.boot), "boot.json");
	path_in_dir(cd.log, sizeof(cd.log), "caddy.log");
	cd.port = free_port();
	char *admin = admin_block(true);
	struct buf b;
	buf_init(&b, 4096);
	if (buf_printf(&b, "{%s}\n", admin) < 0 || fs_write_atomic(cd.boot, b.data, b.len, 0644) < 0)
		return -1;
	free(admin);
	buf_free(&b);
	double t0 = now_ms();
	pid_t pid = spawn_caddy();
	cd.pid = pid;
	if (!wait_ready(pid)) {
		print_log();
		stop_caddy();
		return -1;
	}
	print_message("caddy admin API answering %.0f ms after exec (%s network namespace)\n", now_ms() - t0,
		      cd.isolated ? "own" : "the machine's");
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int group_teardown(void **state)
{
	stop_caddy();
	if (cd.dir[0])
		nftw(cd.dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static void skip_without_caddy(void)
{
	if (cd.pid <= 0)
		skip();
}

static void assert_hello(const char *want)
{
	struct buf resp;
	buf_init(&resp, 1 << 16);
	assert_int_equal(http_get(LOCALHOST, cd.port, "localhost", "/", &resp), 200);
	assert_string_equal(body_of(&resp), want);
	buf_free(&resp);
}

/* What the requests right after a successful /load saw. caddy 2.6 answers
 * /load once the new servers listen (on a socket of their own: it binds
 * with SO_REUSEPORT) and only then shuts the old ones down, so on a busy
 * machine a request in the next milliseconds may still reach the old
 * config, or be reset with the old socket's accept queue. */
struct after_load {
	unsigned stale; /* answered by the old config */
	unsigned failed; /* reset, or no HTTP answer */
};

/* Asks until the new config answers `want` (at most 2 s); fails the test
 * if it never does. */
static void await_hello(const char *want, struct after_load *seen)
{
	for (int i = 0; i < 400; i++) {
		struct buf resp;
		buf_init(&resp, 1 << 16);
		int status = http_get(LOCALHOST, cd.port, "localhost", "/", &resp);
		bool fresh = status == 200 && strcmp(body_of(&resp), want) == 0;
		buf_free(&resp);
		if (fresh)
			return;
		if (status == 200)
			seen->stale++;
		else
			seen->failed++;
		usleep(5 * 1000);
	}
	fail_msg("the config answering \"%s\" never served", want);
}

static void test_load_serves_at_once(void **state)
{
	skip_without_caddy();
	char err[512] = "";
	char *cfg = hello_config("hello", "static_response", true);
	double t0 = now_ms();
	int r = load(cfg, err, sizeof(err));
	double t1 = now_ms();
	if (r != 0)
		fail_msg("load: %d %s", r, err);
	struct after_load seen = { 0 };
	await_hello("hello", &seen);
	print_message("POST /load %.1f ms; new config answering %.1f ms after it returned (%u stale, %u failed "
		      "answers before)\n",
		      t1 - t0, now_ms() - t1, seen.stale, seen.failed);
	free(cfg);

	/* GET /config/ returns what runs. */
	struct buf b;
	buf_init(&b, CADDY_ADMIN_RESPONSE_MAX);
	assert_int_equal(caddy_admin_get_config(cd.sock, TIMEOUT_MS, &b, err, sizeof(err)), 0);
	assert_non_null(strstr(b.data, "\"body\":\"hello\""));
	assert_non_null(strstr(b.data, "\"origins\":[\"localhost\"]"));
	buf_free(&b);
}

static void test_refused_config_keeps_old(void **state)
{
	skip_without_caddy();
	char err[512] = "";
	char *good = hello_config("hello", "static_response", true);
	assert_int_equal(load(good, err, sizeof(err)), 0);
	free(good);
	struct after_load seen = { 0 };
	await_hello("hello", &seen);

	char *bad = hello_config("broken", "no_such_handler", true);
	assert_int_equal(load(bad, err, sizeof(err)), -EINVAL);
	print_message("refused: %s\n", err);
	assert_non_null(strstr(err, "caddy answered 400"));
	assert_non_null(strstr(err, "unknown module: http.handlers.no_such_handler"));
	assert_hello("hello");
	free(bad);

	static const char not_json[] = "{\"admin\": ";
	assert_int_equal(caddy_admin_load(cd.sock, not_json, strlen(not_json), false, TIMEOUT_MS, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "decoding request body"));
	assert_hello("hello");
}

/* Alternating configs: each load is serving its body within moments of
 * /load answering. */
static void test_repeated_loads(void **state)
{
	skip_without_caddy();
	enum { N = 40 };
	char err[512];
	char *cfg[2] = { hello_config("one", "static_response", true), hello_config("two", "static_response", true) };
	double total = 0, worst = 0;
	struct after_load seen = { 0 };
	for (int i = 0; i < N; i++) {
		double t0 = now_ms();
		int r = load(cfg[i % 2], err, sizeof(err));
		double dt = now_ms() - t0;
		if (r != 0)
			fail_msg("load %d: %d %s", i, r, err);
		total += dt;
		worst = dt > worst ? dt : worst;
		await_hello(i % 2 ? "two" : "one", &seen);
	}
	print_message("%d alternating loads: %.1f ms on average, %.1f ms at worst; %u stale and %u failed "
		      "answers right after them\n",
		      N, total / N, worst, seen.stale, seen.failed);
	/* The same config again is a no-op for caddy, still 200, and the
	 * running servers are left alone. */
	assert_int_equal(load(cfg[1], err, sizeof(err)), 0);
	assert_hello("two");
	free(cfg[0]);
	free(cfg[1]);
}

/* A unix socket that accepts and answers `reply` (NULL: never answers). */
static pid_t fake_admin(const char *path, const char *reply)
{
	int l = unix_listen(path);
	assert_true(l >= 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int c = accept(l, NULL, NULL);
		char tmp[4096];
		if (c >= 0 && recv(c, tmp, sizeof(tmp), 0) >= 0 && reply)
			send(c, reply, strlen(reply), MSG_NOSIGNAL);
		if (!reply)
			pause();
		_exit(0);
	}
	close(l);
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void test_transport_errors(void **state)
{
	skip_without_caddy();
	char err[256], path[160];
	static const char cfg[] = "{}";
	path_in_dir(path, sizeof(path), "nobody.sock");
	assert_int_equal(caddy_admin_load(path, cfg, 2, false, 500, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "not listening"));

	char long_path[200];
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	assert_int_equal(caddy_admin_load(long_path, cfg, 2, false, 500, err, sizeof(err)), -ENAMETOOLONG);

	/* Silence: the deadline holds. */
	pid_t pid = fake_admin(path, NULL);
	double t0 = now_ms();
	assert_int_equal(caddy_admin_load(path, cfg, 2, false, 200, err, sizeof(err)), -ETIMEDOUT);
	double dt = now_ms() - t0;
	assert_true(dt >= 190 && dt < 1000);
	reap(pid);

	/* Not HTTP. */
	pid = fake_admin(path, "garbage\r\n\r\n");
	assert_int_equal(caddy_admin_load(path, cfg, 2, false, 1000, err, sizeof(err)), -EPROTO);
	reap(pid);

	/* Another status: -EPROTO with the body; chunked bodies decode. */
	pid = fake_admin(path, "HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n"
			       "5\r\n{\"err\r\n12\r\nor\": \"went wrong\"}\r\n0\r\n\r\n");
	assert_int_equal(caddy_admin_load(path, cfg, 2, false, 1000, err, sizeof(err)), -EPROTO);
	assert_string_equal(err, "caddy answered 500: went wrong");
	reap(pid);

	/* A body cut short of its Content-Length. */
	pid = fake_admin(path, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
	assert_int_equal(caddy_admin_load(path, cfg, 2, false, 1000, err, sizeof(err)), -EPROTO);
	reap(pid);
	unlink(path);

	/* Limits and bad request lines, refused before connecting. */
	int status;
	assert_int_equal(caddy_admin_request(cd.sock, "POST", "/load", cfg, CADDY_ADMIN_BODY_MAX + 1, 500, &status,
					     NULL),
			 -E2BIG);
	assert_int_equal(caddy_admin_request(cd.sock, "get", "/config/", NULL, 0, 500, &status, NULL), -EINVAL);
	assert_int_equal(caddy_admin_request(cd.sock, "GET", "/config/ HTTP/1.0\r\nX:", NULL, 0, 500, &status, NULL),
			 -EINVAL);
	assert_int_equal(caddy_admin_request(cd.sock, "GET", "config", NULL, 0, 500, &status, NULL), -EINVAL);
	/* A path caddy does not know: the status is the caller's to judge. */
	assert_int_equal(caddy_admin_request(cd.sock, "GET", "/no-such-endpoint", NULL, 0, 1000, &status, NULL), 0);
	assert_int_equal(status, 404);
}

/* A one-shot HTTP upstream on 127.0.0.1:port: answers 200 with the
 * request line it got as the body, and a CSP of its own. */
static pid_t fake_upstream(uint16_t port)
{
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(l >= 0);
	int one = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(LOCALHOST) };
	assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(l, 4), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int c = accept(l, NULL, NULL);
		char req[4096], resp[4400];
		ssize_t got = c >= 0 ? recv(c, req, sizeof(req) - 1, 0) : -1;
		if (got <= 0)
			_exit(1);
		req[got] = '\0';
		size_t line = strcspn(req, "\r\n");
		int n = snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nConnection: close\r\n"
				 "Content-Security-Policy: default-src 'none'\r\n\r\n%.*s",
				 line, (int)line, req);
		if (n > 0 && (size_t)n < sizeof(resp))
			send(c, resp, (size_t)n, MSG_NOSIGNAL);
		_exit(0);
	}
	close(l);
	return pid;
}

/* curl's status code, body into `body`; -1 if curl failed. */
static int curl_https(const char *host, const char *vip, const char *ca, const char *host_header, struct buf *body)
{
	char resolve[128], url[160], hdr[160];
	snprintf(resolve, sizeof(resolve), "%s:443:%s", host, vip);
	snprintf(url, sizeof(url), "https://%s/", host);
	snprintf(hdr, sizeof(hdr), "Host: %s", host_header ? host_header : host);
	char *const argv[] = { (char *)CURL, (char *)"-sS", (char *)"--max-time", (char *)"5", (char *)"--cacert",
			       (char *)ca, (char *)"--resolve", resolve, (char *)"-H", hdr, (char *)"-w",
			       (char *)"\n%{http_code}", url, NULL };
	char *const envp[] = { NULL };
	if (child_output(CURL, argv, envp, body) != 0 || !body->data)
		return -1;
	char *nl = strrchr(body->data, '\n');
	if (!nl)
		return -1;
	*nl = '\0';
	body->len = (size_t)(nl - body->data);
	return (int)strtol(nl + 1, NULL, 10);
}

/* The leaf for the four names, from a fresh cell CA (src/pki). */
static void write_leaf(const char *cert, const char *key, const char *ca_pem)
{
	char ca_dir[160], err[256];
	path_in_dir(ca_dir, sizeof(ca_dir), "ca");
	struct cell_config c;
	config_defaults(&c);
	int64_t now = (int64_t)time(NULL);
	_cleanup_(pki_ca_freep) struct pki_ca *ca = NULL;
	assert_int_equal(pki_ca_ensure(ca_dir, &c, NULL, now, &ca, err, sizeof(err)), 1);
	const char *names[] = { ZONE, "calendar." ZONE, "files." ZONE, "mail." ZONE };
	struct pki_leaf leaf;
	struct field_error fe;
	assert_int_equal(pki_issue(ca, names, 4, NULL, 0, 30, now, &leaf, &fe), 0);
	assert_int_equal(fs_write_atomic(cert, leaf.cert_pem.data, leaf.cert_pem.len, 0644), 0);
	assert_int_equal(fs_write_atomic(key, leaf.key_pem.data, leaf.key_pem.len, 0600), 0);
	pki_leaf_free(&leaf);
	struct buf b;
	buf_init(&b, 1 << 16);
	assert_int_equal(pki_ca_cert_pem(ca, &b), 0);
	assert_int_equal(fs_write_atomic(ca_pem, b.data, b.len, 0644), 0);
	buf_free(&b);
}

/* caddy.json for 127.77.0.0/16, files in the test directory. */
static char *rendered(const struct caddy_route *routes, const char *cert, const char *key)
{
	struct caddy_input in = { .zone = ZONE, .ip_range = { VIP_NET, 16 }, .routes = routes,
				  .n_routes = SVC_CADDY_MAX_ROUTES, .cert_file = cert, .key_file = key,
				  .admin_socket = cd.sock };
	struct buf b;
	buf_init(&b, 1 << 20);
	assert_int_equal(svc_caddy_render(&in, &b), 0);
	char data[160], quoted[170];
	path_in_dir(data, sizeof(data), "data");
	snprintf(quoted, sizeof(quoted), "\"%s\"", data);
	char *text = text_replace_all(b.data, "\"" SVC_ROOT "/" SVC_CADDY_DATA_DIR "\"", quoted);
	buf_free(&b);
	return text;
}

static void test_rendered_config(void **state)
{
	skip_without_caddy();
	if (!cd.isolated)
		skip(); /* ports 80 and 443 on loopback: only in a namespace of our own */
	char cert[160], key[160], ca[160], err[512] = "";
	path_in_dir(cert, sizeof(cert), "cell.crt");
	path_in_dir(key, sizeof(key), "cell.key");
	path_in_dir(ca, sizeof(ca), "ca.pem");
	write_leaf(cert, key, ca);

	struct caddy_route routes[SVC_CADDY_MAX_ROUTES];
	memcpy(routes, svc_caddy_routes, sizeof(routes));
	char *text = rendered(routes, cert, key);
	double t0 = now_ms();
	int r = svc_caddy_apply_live(cd.dir, text, strlen(text), false, err, sizeof(err));
	if (r != 0) {
		print_log();
		fail_msg("apply_live: %d %s", r, err);
	}
	print_message("rendered config loaded in %.1f ms\n", now_ms() - t0);
	free(text);

	/* The health probe, as the supervisor runs it. */
	struct netplan_service net = { .name = "proxy", .n_addrs = 5, .prefix = 16,
				       .addrs = { VIP_NET + 6, VIP_NET + 20, VIP_NET + 21, VIP_NET + 22, VIP_NET + 23 } };
	int fd = -1;
	t0 = now_ms();
	assert_int_equal(svc_caddy_ops.probe_send(&net, &fd, err, sizeof(err)), 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	assert_int_equal(poll(&p, 1, 1000), 1);
	r = svc_caddy_ops.probe_check(fd, err, sizeof(err));
	close(fd);
	if (r != 0)
		fail_msg("probe: %d %s", r, err);
	print_message("health probe (TLS ServerHello) %.1f ms\n", now_ms() - t0);

	/* Port 80: a 308 to HTTPS with the security headers; /ca.crt 503. */
	struct buf resp;
	buf_init(&resp, 1 << 16);
	assert_int_equal(http_get(VIP_NET + 20, 80, "calendar." ZONE, "/dav/x?y=1", &resp), 308);
	assert_non_null(strstr(resp.data, "\r\nLocation: https://calendar." ZONE "/dav/x?y=1\r\n"));
	assert_non_null(strstr(resp.data, "\r\nX-Content-Type-Options: nosniff\r\n"));
	buf_free(&resp);
	assert_int_equal(http_get(VIP_NET + 23, 80, "172.20.0.23", "/ca.crt", &resp), 503);
	assert_string_equal(body_of(&resp), "The web interface is not running yet.\n");
	assert_non_null(strstr(resp.data, "\r\nContent-Security-Policy: frame-ancestors 'self'\r\n"));
	buf_free(&resp);

	/* HTTPS: a real client trusting the cell's root. */
	bool have_curl = access(CURL, X_OK) == 0;
	if (have_curl) {
		assert_int_equal(curl_https("calendar." ZONE, "127.77.0.20", ca, NULL, &resp), 503);
		assert_string_equal(resp.data, "The calendar is not running yet.\n");
		buf_free(&resp);
		assert_int_equal(curl_https(ZONE, "127.77.0.23", ca, "nope." ZONE, &resp), 404);
		buf_free(&resp);
		/* Another service's name on the web interface's address: a peer
		 * allowed only that address gets nothing else. */
		assert_int_equal(curl_https("calendar." ZONE, "127.77.0.23", ca, NULL, &resp), 404);
		buf_free(&resp);
	}

	/* The web interface up: /ca.crt on port 80 reaches its vault path. */
	uint16_t up = free_port();
	char upstream[32];
	snprintf(upstream, sizeof(upstream), "127.0.0.1:%u", up);
	routes[0].upstream = upstream;
	text = rendered(routes, cert, key);
	assert_int_equal(svc_caddy_apply_live(cd.dir, text, strlen(text), false, err, sizeof(err)), 0);
	free(text);
	/* Until the old servers are gone (caddy_admin.h) the old config may
	 * still answer its 503; the new one answers 502 with no upstream. */
	int status = 503;
	for (int i = 0; i < 400 && status == 503; i++) {
		buf_init(&resp, 1 << 16);
		status = http_get(VIP_NET + 21, 80, "files." ZONE, "/ca.crt", &resp);
		buf_free(&resp);
		if (status == 503)
			usleep(5 * 1000);
	}
	assert_int_equal(status, 502);
	pid_t pid = fake_upstream(up);
	assert_int_equal(http_get(VIP_NET + 21, 80, "files." ZONE, "/ca.crt", &resp), 200);
	assert_string_equal(body_of(&resp), "GET /api/vault/ca.crt HTTP/1.1");
	/* The upstream's own CSP stays, alone; the other headers are added. */
	assert_non_null(strstr(resp.data, "\r\nContent-Security-Policy: default-src 'none'\r\n"));
	assert_null(strstr(resp.data, "frame-ancestors"));
	assert_non_null(strstr(resp.data, "\r\nStrict-Transport-Security: max-age=31536000\r\n"));
	buf_free(&resp);
	waitpid(pid, NULL, 0);
	if (have_curl) {
		pid = fake_upstream(up);
		assert_int_equal(curl_https(ZONE, "127.77.0.23", ca, NULL, &resp), 200);
		assert_string_equal(resp.data, "GET / HTTP/1.1");
		buf_free(&resp);
		waitpid(pid, NULL, 0);
	} else {
		print_message("no curl: HTTPS routes not checked\n");
	}
}

/* Last: without `origins`, caddy's unix-socket admin API refuses the
 * Host every HTTP/1.1 client must send, so nothing can load a config
 * again. */
static void test_no_origins_locks_out(void **state)
{
	skip_without_caddy();
	char err[512] = "";
	char *cfg = hello_config("locked", "static_response", false);
	assert_int_equal(load(cfg, err, sizeof(err)), 0);
	free(cfg);
	struct after_load seen = { 0 };
	await_hello("locked", &seen);
	cfg = hello_config("again", "static_response", true);
	assert_int_equal(load(cfg, err, sizeof(err)), -EACCES);
	assert_non_null(strstr(err, "host not allowed"));
	assert_hello("locked");
	free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_serves_at_once),
		cmocka_unit_test(test_refused_config_keeps_old),
		cmocka_unit_test(test_repeated_loads),
		cmocka_unit_test(test_transport_errors),
		cmocka_unit_test(test_rendered_config),
		cmocka_unit_test(test_no_origins_locks_out),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
