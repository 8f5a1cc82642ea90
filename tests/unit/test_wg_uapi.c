/* wg_uapi, the UAPI client, against a real wireguard-go (the parser of its
 * answers is tested alone in test_wg_dump.c), run in a private mount
 * namespace (a tmpfs on /run/wireguard, so its fixed socket path
 * /run/wireguard/wgtest0.sock is ours alone) and a private network
 * namespace, started with fork/exec and always killed at the end (group
 * teardown, and PR_SET_PDEATHSIG should the test process die first). What
 * the client sets is read back with wg_uapi_get and cross-checked with
 * `wg show wgtest0 dump`, which finds the same socket. Fake daemons (a
 * socket answering garbage, one that never answers, one that stops
 * halfway, one that answers too much) check the errors. The batch test
 * sets 1,000 peers in one request (WG_UAPI_TEST_PEERS=10000 to measure
 * more) and prints timings without asserting them. Skipped when
 * wireguard-go or /dev/net/tun is missing, or namespaces cannot be made. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/strparse.h"
#include "model/cidr.h"
#include "vpn/wg_dump.h"
#include "vpn/wg_key.h"
#include "vpn/wg_uapi.h"
#include "child_proc.h"
#include "common/banned.h"

#define WIREGUARD_GO "/usr/bin/wireguard-go"
#define WG "/usr/bin/wg"
#define IFNAME "wgtest0"
#define TIMEOUT_MS 5000u

static struct {
	char dir[64];
	char log[128];
	char sock[128];
	pid_t pid;
	const char *skip_reason;
} wgt = { .pid = -1 };

static void path_in_dir(char *out, size_t outlen, const char *name)
{
	int n = snprintf(out, outlen, "%s/%s", wgt.dir, name);
	assert_true(n > 0 && (size_t)n < outlen);
}

static void test_sock_path(void **state)
{
	char path[64];
	assert_int_equal(wg_uapi_sock_path("wg0", path, sizeof(path)), 0);
	assert_string_equal(path, "/run/wireguard/wg0.sock");
	assert_int_equal(wg_uapi_sock_path("", path, sizeof(path)), -EINVAL);
	assert_int_equal(wg_uapi_sock_path("../etc", path, sizeof(path)), -EINVAL);
	assert_int_equal(wg_uapi_sock_path("..", path, sizeof(path)), -EINVAL);
	assert_int_equal(wg_uapi_sock_path("a234567890123456", path, sizeof(path)), -EINVAL);
	assert_int_equal(wg_uapi_sock_path("wg0", path, 10), -ENAMETOOLONG);
}

/* ---- the real daemon ---- */

static bool interface_up(const char *ifname, bool up)
{
	_cleanup_close_ int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return false;
	if (up)
		ifr.ifr_flags |= IFF_UP;
	else
		ifr.ifr_flags &= ~IFF_UP;
	return ioctl(s, SIOCSIFFLAGS, &ifr) == 0;
}

/* A mount and a network namespace of our own: /run/wireguard (or, when
 * the machine has none, /run) is a fresh tmpfs that only this process and
 * its children see, and the test's UDP ports are ours. */
static const char *isolate(void)
{
	if (unshare(CLONE_NEWNS | CLONE_NEWNET) < 0)
		return "cannot unshare the mount and network namespaces";
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return "cannot make / private";
	struct stat sb;
	if (stat(WG_UAPI_SOCK_DIR, &sb) == 0) {
		if (mount("tmpfs", WG_UAPI_SOCK_DIR, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
			return "cannot mount a tmpfs on " WG_UAPI_SOCK_DIR;
	} else {
		/* Do not create /run/wireguard on the machine's /run. */
		if (mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0 ||
		    mkdir(WG_UAPI_SOCK_DIR, 0755) < 0)
			return "cannot mount a tmpfs on /run";
	}
	if (!interface_up("lo", true))
		return "cannot bring lo up";
	return NULL;
}

static pid_t spawn_wireguard_go(void)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	/* Only async-signal-safe calls until execve. */
	int log = open(wgt.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (log < 0 || null < 0 || dup2(null, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0)
		_exit(126);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		_exit(126);
	char *const argv[] = { (char *)WIREGUARD_GO, (char *)"-f", (char *)IFNAME, NULL };
	char *const envp[] = { (char *)"PATH=/usr/bin:/bin", (char *)"LOG_LEVEL=error", NULL };
	execve(WIREGUARD_GO, argv, envp);
	_exit(127);
}

static void stop_wireguard_go(void)
{
	child_stop(&wgt.pid);
}

static void print_log(void)
{
	FILE *f = fopen(wgt.log, "re");
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof(line), f))
		print_message("wireguard-go: %s", line);
	fclose(f);
}

static int group_setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	snprintf(wgt.dir, sizeof(wgt.dir), "/tmp/pic-wg-XXXXXX");
	if (!mkdtemp(wgt.dir))
		return -1;
	path_in_dir(wgt.log, sizeof(wgt.log), "wireguard-go.log");
	if (access(WIREGUARD_GO, X_OK) != 0)
		wgt.skip_reason = WIREGUARD_GO " is not installed";
	else if (access("/dev/net/tun", R_OK | W_OK) != 0)
		wgt.skip_reason = "/dev/net/tun is missing";
	else
		wgt.skip_reason = isolate();
	if (wgt.skip_reason) {
		print_message("skipping the tests that need wireguard-go: %s\n", wgt.skip_reason);
		return 0;
	}
	assert_int_equal(wg_uapi_sock_path(IFNAME, wgt.sock, sizeof(wgt.sock)), 0);
	double t0 = now_ms();
	wgt.pid = spawn_wireguard_go();
	if (wgt.pid < 0)
		return -1;
	for (int i = 0; i < 500; i++) {
		struct wg_device_state st;
		if (wg_uapi_get(wgt.sock, &st, 1000, NULL, 0) == 0) {
			wg_device_state_free(&st);
			print_message("wireguard-go answering %.0f ms after exec\n", now_ms() - t0);
			return 0;
		}
		if (waitpid(wgt.pid, NULL, WNOHANG) == wgt.pid) {
			wgt.pid = -1;
			break;
		}
		usleep(10 * 1000);
	}
	print_log();
	stop_wireguard_go();
	return -1;
}

static int group_teardown(void **state)
{
	stop_wireguard_go();
	if (wgt.dir[0]) {
		unlink(wgt.log);
		rmdir(wgt.dir);
	}
	return 0;
}

static void need_daemon(void)
{
	if (wgt.pid <= 0)
		skip();
}

/* `wg show wgtest0 dump`: 0 and its output in `out`. */
static int run_wg_dump(struct buf *out)
{
	char *const argv[] = { (char *)WG, (char *)"show", (char *)IFNAME, (char *)"dump", NULL };
	char *const envp[] = { (char *)"PATH=/usr/bin:/bin", NULL };
	return child_output(WG, argv, envp, out);
}

static void wg_dump_line(const uint8_t pub[WG_KEY_LEN], char *out, size_t outlen)
{
	struct buf b;
	buf_init(&b, 64u << 20);
	assert_int_equal(run_wg_dump(&b), 0);
	char b64[WG_KEY_B64_LEN + 1], needle[WG_KEY_B64_LEN + 3];
	wg_key_to_base64(pub, b64);
	snprintf(needle, sizeof(needle), "\n%s\t", b64);
	const char *at = strstr(b.data, needle);
	out[0] = '\0';
	if (at) {
		at++;
		size_t len = strcspn(at, "\n");
		assert_true(len < outlen);
		memcpy(out, at, len);
		out[len] = '\0';
	}
	buf_free(&b);
}

/* The number of lines of `wg show dump` (1 + peers). */
static size_t wg_dump_lines(void)
{
	struct buf b;
	buf_init(&b, 64u << 20);
	assert_int_equal(run_wg_dump(&b), 0);
	size_t n = 0;
	for (size_t i = 0; i < b.len; i++)
		n += b.data[i] == '\n';
	buf_free(&b);
	return n;
}

static const struct wg_peer_state *find_peer(const struct wg_device_state *st, const uint8_t pub[WG_KEY_LEN])
{
	for (size_t i = 0; i < st->n_peers; i++)
		if (memcmp(st->peers[i].public_key, pub, WG_KEY_LEN) == 0)
			return &st->peers[i];
	return NULL;
}

static void random_public_key(uint8_t pub[WG_KEY_LEN])
{
	uint8_t priv[WG_KEY_LEN];
	randombytes_buf(priv, sizeof(priv));
	wg_key_public(priv, pub);
	sodium_memzero(priv, sizeof(priv));
}

static struct ipv4_net net(uint32_t addr, uint8_t prefix)
{
	return (struct ipv4_net){ .addr = addr, .prefix = prefix };
}

static void get_state(struct wg_device_state *st)
{
	char err[256] = "";
	int r = wg_uapi_get(wgt.sock, st, TIMEOUT_MS, err, sizeof(err));
	if (r != 0)
		fail_msg("wg_uapi_get: %d %s", r, err);
}

/* Removes every peer (through the client itself). */
static void clear_peers(void)
{
	struct wg_device_state st;
	get_state(&st);
	uint8_t(*keys)[WG_KEY_LEN] = calloc(st.n_peers + 1, WG_KEY_LEN);
	assert_non_null(keys);
	for (size_t i = 0; i < st.n_peers; i++)
		memcpy(keys[i], st.peers[i].public_key, WG_KEY_LEN);
	char err[256];
	assert_int_equal(wg_uapi_apply(wgt.sock, NULL, 0, (const uint8_t(*)[WG_KEY_LEN])keys, st.n_peers, 30000, err,
				       sizeof(err)),
			 0);
	free(keys);
	wg_device_state_free(&st);
	get_state(&st);
	assert_int_equal(st.n_peers, 0);
	wg_device_state_free(&st);
}

static void test_set_device(void **state)
{
	need_daemon();
	uint8_t priv[WG_KEY_LEN], pub[WG_KEY_LEN];
	randombytes_buf(priv, sizeof(priv));
	wg_key_public(priv, pub);
	char err[256] = "";
	double t0 = now_ms();
	int r = wg_uapi_set_device(wgt.sock, priv, 41820, TIMEOUT_MS, err, sizeof(err));
	if (r != 0)
		fail_msg("set_device: %d %s", r, err);
	print_message("set_device: %.2f ms\n", now_ms() - t0);

	struct wg_device_state st;
	get_state(&st);
	assert_true(st.has_private_key);
	assert_memory_equal(st.public_key, pub, WG_KEY_LEN);
	assert_int_equal(st.listen_port, 41820);
	assert_int_equal(st.fwmark, 0);
	wg_device_state_free(&st);

	/* wg agrees: private, public, port, fwmark */
	struct buf b;
	buf_init(&b, 1 << 20);
	assert_int_equal(run_wg_dump(&b), 0);
	char priv64[WG_KEY_B64_LEN + 1], pub64[WG_KEY_B64_LEN + 1], first[256];
	/* wireguard-go clamps the private key it stores */
	uint8_t clamped[WG_KEY_LEN];
	memcpy(clamped, priv, WG_KEY_LEN);
	clamped[0] &= 248;
	clamped[31] = (uint8_t)((clamped[31] & 127) | 64);
	wg_key_to_base64(clamped, priv64);
	wg_key_to_base64(pub, pub64);
	snprintf(first, sizeof(first), "%s\t%s\t41820\toff\n", priv64, pub64);
	assert_int_equal(strncmp(b.data, first, strlen(first)), 0);
	buf_free(&b);

	/* the same key again, another port: the peers stay */
	struct wg_peer_config p = { .n_allowed = 1, .allowed = { net(0x0a000002, 32) } };
	random_public_key(p.public_key);
	assert_int_equal(wg_uapi_set_peer(wgt.sock, &p, TIMEOUT_MS, err, sizeof(err)), 0);
	assert_int_equal(wg_uapi_set_device(wgt.sock, priv, 41821, TIMEOUT_MS, err, sizeof(err)), 0);
	get_state(&st);
	assert_int_equal(st.listen_port, 41821);
	assert_int_equal(st.n_peers, 1);
	wg_device_state_free(&st);
	clear_peers();
	sodium_memzero(priv, sizeof(priv));
	sodium_memzero(clamped, sizeof(clamped));
}

static void test_set_peer_update(void **state)
{
	need_daemon();
	char err[256] = "", line[1024];
	struct wg_peer_config other = { .n_allowed = 1, .allowed = { net(0x0a080064, 32) }, .keepalive_s = 10 };
	random_public_key(other.public_key);
	struct wg_peer_config a = {
		.has_psk = true,
		.n_allowed = 1,
		.allowed = { net(0x0a080002, 32) },
		.keepalive_s = 25,
	};
	random_public_key(a.public_key);
	randombytes_buf(a.psk, sizeof(a.psk));
	assert_int_equal(wg_uapi_set_peer(wgt.sock, &other, TIMEOUT_MS, err, sizeof(err)), 0);
	double t0 = now_ms();
	assert_int_equal(wg_uapi_set_peer(wgt.sock, &a, TIMEOUT_MS, err, sizeof(err)), 0);
	print_message("set_peer (new): %.2f ms\n", now_ms() - t0);

	struct wg_device_state st;
	get_state(&st);
	assert_int_equal(st.n_peers, 2);
	const struct wg_peer_state *pa = find_peer(&st, a.public_key);
	assert_non_null(pa);
	assert_true(pa->has_psk);
	assert_memory_equal(pa->psk, a.psk, WG_KEY_LEN);
	assert_int_equal(pa->keepalive_s, 25);
	assert_int_equal(pa->n_allowed, 1);
	assert_int_equal(pa->allowed[0].addr, 0x0a080002);
	assert_int_equal(pa->allowed[0].prefix, 32);
	assert_int_equal(pa->n_allowed_unlisted, 0);
	assert_string_equal(pa->endpoint, "");
	assert_int_equal(pa->last_handshake, 0);
	wg_device_state_free(&st);
	char psk64[WG_KEY_B64_LEN + 1], want[256];
	wg_key_to_base64(a.psk, psk64);
	wg_dump_line(a.public_key, line, sizeof(line));
	snprintf(want, sizeof(want), "\t%s\t(none)\t10.8.0.2/32\t0\t0\t0\t25", psk64);
	assert_non_null(strstr(line, want));

	/* the update: new allowed IPs replace the old, psk cleared,
	 * keepalive off */
	a.has_psk = false;
	a.n_allowed = 2;
	a.allowed[0] = net(0x0a080003, 32);
	a.allowed[1] = net(0x0a090000, 24);
	a.keepalive_s = 0;
	t0 = now_ms();
	assert_int_equal(wg_uapi_set_peer(wgt.sock, &a, TIMEOUT_MS, err, sizeof(err)), 0);
	print_message("set_peer (update): %.2f ms\n", now_ms() - t0);
	get_state(&st);
	assert_int_equal(st.n_peers, 2);
	pa = find_peer(&st, a.public_key);
	assert_non_null(pa);
	assert_false(pa->has_psk);
	assert_int_equal(pa->keepalive_s, 0);
	assert_int_equal(pa->n_allowed, 2);
	bool seen3 = false, seen9 = false;
	for (size_t i = 0; i < pa->n_allowed; i++) {
		seen3 |= pa->allowed[i].addr == 0x0a080003 && pa->allowed[i].prefix == 32;
		seen9 |= pa->allowed[i].addr == 0x0a090000 && pa->allowed[i].prefix == 24;
	}
	assert_true(seen3 && seen9);
	/* the other peer as it was */
	const struct wg_peer_state *po = find_peer(&st, other.public_key);
	assert_non_null(po);
	assert_int_equal(po->keepalive_s, 10);
	assert_int_equal(po->n_allowed, 1);
	assert_int_equal(po->allowed[0].addr, 0x0a080064);
	wg_device_state_free(&st);

	wg_dump_line(a.public_key, line, sizeof(line));
	assert_non_null(strstr(line, "\t(none)\t(none)\t"));
	assert_non_null(strstr(line, "10.8.0.3/32"));
	assert_non_null(strstr(line, "10.9.0.0/24"));
	assert_null(strstr(line, "10.8.0.2/32"));
	assert_non_null(strstr(line, "\toff"));
	wg_dump_line(other.public_key, line, sizeof(line));
	assert_non_null(strstr(line, "\t10.8.0.100/32\t0\t0\t0\t10"));

	/* an allowed IP moves to the peer that names it last */
	struct wg_peer_config thief = other;
	thief.allowed[0] = net(0x0a080003, 32);
	assert_int_equal(wg_uapi_set_peer(wgt.sock, &thief, TIMEOUT_MS, err, sizeof(err)), 0);
	get_state(&st);
	assert_int_equal(find_peer(&st, a.public_key)->n_allowed, 1);
	wg_device_state_free(&st);
	clear_peers();
}

static void test_remove_peer(void **state)
{
	need_daemon();
	char err[256] = "", line[1024];
	struct wg_peer_config p[3];
	for (size_t i = 0; i < 3; i++) {
		p[i] = (struct wg_peer_config){ .n_allowed = 1, .allowed = { net(0x0a0a0001 + (uint32_t)i, 32) } };
		random_public_key(p[i].public_key);
	}
	assert_int_equal(wg_uapi_apply(wgt.sock, p, 3, NULL, 0, TIMEOUT_MS, err, sizeof(err)), 0);
	double t0 = now_ms();
	assert_int_equal(wg_uapi_remove_peer(wgt.sock, p[1].public_key, TIMEOUT_MS, err, sizeof(err)), 0);
	print_message("remove_peer: %.2f ms\n", now_ms() - t0);
	struct wg_device_state st;
	get_state(&st);
	assert_int_equal(st.n_peers, 2);
	assert_non_null(find_peer(&st, p[0].public_key));
	assert_null(find_peer(&st, p[1].public_key));
	assert_non_null(find_peer(&st, p[2].public_key));
	wg_device_state_free(&st);
	wg_dump_line(p[1].public_key, line, sizeof(line));
	assert_string_equal(line, "");
	wg_dump_line(p[2].public_key, line, sizeof(line));
	assert_non_null(strstr(line, "10.10.0.3/32"));
	/* again: nothing to remove, no error, nothing else changes */
	assert_int_equal(wg_uapi_remove_peer(wgt.sock, p[1].public_key, TIMEOUT_MS, err, sizeof(err)), 0);
	get_state(&st);
	assert_int_equal(st.n_peers, 2);
	wg_device_state_free(&st);
	/* remove and set in one request */
	assert_int_equal(wg_uapi_apply(wgt.sock, &p[1], 1, (const uint8_t(*)[WG_KEY_LEN])p[0].public_key, 1, TIMEOUT_MS,
				       err, sizeof(err)),
			 0);
	get_state(&st);
	assert_int_equal(st.n_peers, 2);
	assert_null(find_peer(&st, p[0].public_key));
	assert_non_null(find_peer(&st, p[1].public_key));
	wg_device_state_free(&st);
	clear_peers();
}

static void test_invalid_arguments(void **state)
{
	/* refused before connecting: -EINVAL even with no daemon there */
	const char *nowhere = "/nonexistent/wg.sock";
	char err[256] = "";
	struct wg_peer_config p = { .n_allowed = 1, .allowed = { net(0x0a000001, 24) } };
	memset(p.public_key, 1, sizeof(p.public_key));
	assert_int_equal(wg_uapi_set_peer(nowhere, &p, 100, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'10.0.0.1/24' has host bits set"));
	p.allowed[0] = net(0x0a000000, 33);
	assert_int_equal(wg_uapi_set_peer(nowhere, &p, 100, err, sizeof(err)), -EINVAL);
	p.allowed[0] = net(0x0a000000, 24);
	p.n_allowed = WG_ALLOWED_MAX + 1;
	assert_int_equal(wg_uapi_set_peer(nowhere, &p, 100, err, sizeof(err)), -EINVAL);
	p.n_allowed = 1;
	p.keepalive_s = 65536;
	assert_int_equal(wg_uapi_set_peer(nowhere, &p, 100, err, sizeof(err)), -EINVAL);
	p.keepalive_s = 0;
	struct wg_peer_config zero = { 0 };
	assert_int_equal(wg_uapi_set_peer(nowhere, &zero, 100, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "peer 0: public_key is all zero"));
	assert_int_equal(wg_uapi_remove_peer(nowhere, zero.public_key, 100, err, sizeof(err)), -EINVAL);
	assert_int_equal(wg_uapi_apply(nowhere, NULL, 1, NULL, 0, 100, err, sizeof(err)), -EINVAL);
	assert_int_equal(wg_uapi_apply(nowhere, &p, WG_BATCH_MAX, (const uint8_t(*)[WG_KEY_LEN])p.public_key, 1,
				       100, err, sizeof(err)),
			 -E2BIG);
	/* valid: now it is the missing daemon */
	assert_int_equal(wg_uapi_set_peer(nowhere, &p, 100, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no WireGuard daemon at '/nonexistent/wg.sock'"));
}

/* The daemon's own errno: a listen port already taken, which wireguard-go
 * notices only while the interface is up. */
static void test_daemon_errno(void **state)
{
	need_daemon();
	assert_true(interface_up(IFNAME, true));
	_cleanup_close_ int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	uint16_t taken = ntohs(sa.sin_port);

	uint8_t priv[WG_KEY_LEN];
	randombytes_buf(priv, sizeof(priv));
	char err[256] = "";
	int r = wg_uapi_set_device(wgt.sock, priv, taken, TIMEOUT_MS, err, sizeof(err));
	print_message("listen port in use: %d '%s'\n", r, err);
	assert_int_equal(r, -EADDRINUSE);
	assert_non_null(strstr(err, "errno=-98"));
	/* the private key, on the line before, was applied all the same */
	uint8_t pub[WG_KEY_LEN];
	struct wg_device_state st;
	wg_key_public(priv, pub);
	get_state(&st);
	assert_memory_equal(st.public_key, pub, WG_KEY_LEN);
	assert_int_not_equal(st.listen_port, taken);
	wg_device_state_free(&st);
	/* still serving */
	assert_int_equal(wg_uapi_set_device(wgt.sock, priv, 41822, TIMEOUT_MS, err, sizeof(err)), 0);
	assert_true(interface_up(IFNAME, false));
	sodium_memzero(priv, sizeof(priv));
}

static void test_batch(void **state)
{
	need_daemon();
	uint64_t n = 1000;
	const char *env = getenv("WG_UAPI_TEST_PEERS");
	if (env && parse_u64(env, 10, 60000, &n) < 0)
		fail_msg("WG_UAPI_TEST_PEERS='%s': 10..60000", env);
	struct wg_peer_config *peers = calloc(n, sizeof(*peers));
	uint8_t(*keys)[WG_KEY_LEN] = calloc(n, WG_KEY_LEN);
	assert_non_null(peers);
	assert_non_null(keys);
	for (size_t i = 0; i < n; i++) {
		peers[i].n_allowed = 1;
		peers[i].allowed[0] = net(0x0a400000 + (uint32_t)i + 2, 32);
		peers[i].keepalive_s = 25;
		peers[i].has_psk = true;
		randombytes_buf(peers[i].psk, WG_KEY_LEN);
		random_public_key(peers[i].public_key);
		memcpy(keys[i], peers[i].public_key, WG_KEY_LEN);
	}
	char err[256] = "";
	double t0 = now_ms();
	int r = wg_uapi_apply(wgt.sock, peers, n, NULL, 0, 60000, err, sizeof(err));
	double set_ms = now_ms() - t0;
	if (r != 0)
		fail_msg("apply: %d %s", r, err);

	struct wg_device_state st;
	t0 = now_ms();
	get_state(&st);
	double get_ms = now_ms() - t0;
	assert_int_equal(st.n_peers, n);
	for (size_t i = 0; i < n; i += n / 10) {
		const struct wg_peer_state *p = find_peer(&st, peers[i].public_key);
		assert_non_null(p);
		assert_memory_equal(p->psk, peers[i].psk, WG_KEY_LEN);
		assert_int_equal(p->allowed[0].addr, peers[i].allowed[0].addr);
	}
	wg_device_state_free(&st);
	t0 = now_ms();
	assert_int_equal(wg_dump_lines(), n + 1);
	double wg_ms = now_ms() - t0;

	/* the same again (a re-apply after a restart that finds them all) */
	t0 = now_ms();
	assert_int_equal(wg_uapi_apply(wgt.sock, peers, n, NULL, 0, 60000, err, sizeof(err)), 0);
	double again_ms = now_ms() - t0;
	/* one peer among them */
	peers[n / 2].allowed[0] = net(0x0a7f0000, 24);
	t0 = now_ms();
	assert_int_equal(wg_uapi_set_peer(wgt.sock, &peers[n / 2], TIMEOUT_MS, err, sizeof(err)), 0);
	double one_ms = now_ms() - t0;
	get_state(&st);
	assert_int_equal(st.n_peers, n);
	assert_int_equal(find_peer(&st, peers[n / 2].public_key)->allowed[0].addr, 0x0a7f0000);
	wg_device_state_free(&st);

	t0 = now_ms();
	assert_int_equal(wg_uapi_apply(wgt.sock, NULL, 0, (const uint8_t(*)[WG_KEY_LEN])keys, n, 60000, err,
				       sizeof(err)),
			 0);
	double remove_ms = now_ms() - t0;
	get_state(&st);
	assert_int_equal(st.n_peers, 0);
	wg_device_state_free(&st);
	print_message("%" PRIu64 " peers: apply (new) %.1f ms, get %.1f ms, wg show dump %.1f ms, apply again %.1f ms, "
		      "set_peer of one %.2f ms, remove all %.1f ms\n",
		      n, set_ms, get_ms, wg_ms, again_ms, one_ms, remove_ms);
	sodium_memzero(peers, n * sizeof(*peers));
	free(peers);
	free(keys);
}

/* ---- fake daemons ---- */

/* A listening socket at `path`; a child that accepts one connection,
 * reads the request up to its empty line, then writes `answer` (`repeat`
 * times) and either closes or stays silent until killed. */
static pid_t fake_daemon(const char *path, const char *answer, size_t repeat, bool close_after)
{
	int l = unix_listen(path);
	assert_true(l >= 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int c = accept4(l, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			_exit(1);
		char req[4096];
		size_t got = 0;
		while (got < sizeof(req)) {
			ssize_t n = read(c, req + got, sizeof(req) - got);
			if (n <= 0)
				break;
			got += (size_t)n;
			if (got >= 2 && req[got - 1] == '\n' && req[got - 2] == '\n')
				break;
		}
		for (size_t i = 0; i < repeat; i++)
			if (write(c, answer, strlen(answer)) < 0)
				break;
		if (close_after)
			_exit(0);
		for (;;)
			pause();
	}
	close(l);
	return pid;
}

static void end_fake(pid_t pid, const char *path)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	unlink(path);
}

static void test_bad_daemons(void **state)
{
	char path[128], err[256] = "";
	struct wg_device_state st = { 0 };
	uint8_t key[WG_KEY_LEN];
	memset(key, 7, sizeof(key));
	path_in_dir(path, sizeof(path), "fake.sock");

	pid_t pid = fake_daemon(path, "hello world\n\n", 1, false);
	assert_int_equal(wg_uapi_get(path, &st, 2000, err, sizeof(err)), -EPROTO);
	print_message("garbage: '%s'\n", err);
	end_fake(pid, path);

	pid = fake_daemon(path, "errno=0\nlisten_port=1\n\n", 1, false);
	assert_int_equal(wg_uapi_remove_peer(path, key, 2000, err, sizeof(err)), -EPROTO);
	end_fake(pid, path);

	/* a set answered with a dump */
	pid = fake_daemon(path, "listen_port=1\nerrno=0\n\n", 1, false);
	assert_int_equal(wg_uapi_remove_peer(path, key, 2000, err, sizeof(err)), -EPROTO);
	end_fake(pid, path);

	/* a daemon's errno, with its message */
	pid = fake_daemon(path, "errno=-5\n\n", 1, false);
	assert_int_equal(wg_uapi_remove_peer(path, key, 2000, err, sizeof(err)), -EIO);
	assert_non_null(strstr(err, "errno=-5"));
	end_fake(pid, path);

	/* cut short */
	pid = fake_daemon(path, "listen_port=1\n", 1, true);
	assert_int_equal(wg_uapi_get(path, &st, 2000, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "closed the connection before the end of its answer"));
	end_fake(pid, path);

	/* half an answer, then silence */
	pid = fake_daemon(path, "listen_port=1\nerr", 1, false);
	assert_int_equal(wg_uapi_get(path, &st, 200, err, sizeof(err)), -ETIMEDOUT);
	end_fake(pid, path);

	/* far too much */
	pid = fake_daemon(path, "unknown_key=0123456789012345678901234567890123456789\n", (WG_DUMP_MAX / 50) + 10,
			  false);
	assert_int_equal(wg_uapi_get(path, &st, 10000, err, sizeof(err)), -E2BIG);
	print_message("too big: '%s'\n", err);
	end_fake(pid, path);

	/* accepts (into the backlog) and never answers */
	_cleanup_close_ int l = unix_listen(path);
	assert_true(l >= 0);
	double t0 = now_ms();
	assert_int_equal(wg_uapi_get(path, &st, 200, err, sizeof(err)), -ETIMEDOUT);
	double dt = now_ms() - t0;
	assert_true(dt >= 190 && dt < 1000);
	assert_non_null(strstr(err, "no complete answer within 200 ms"));
	close(l);
	l = -1;
	/* the socket file is left, nobody listens */
	assert_int_equal(wg_uapi_get(path, &st, 200, err, sizeof(err)), -ECONNREFUSED);
	unlink(path);
	assert_int_equal(wg_uapi_get(path, &st, 200, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "No such file"));
	assert_null(st.peers); /* never written */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sock_path),
		cmocka_unit_test(test_invalid_arguments),
		cmocka_unit_test(test_bad_daemons),
		cmocka_unit_test(test_set_device),
		cmocka_unit_test(test_set_peer_update),
		cmocka_unit_test(test_remove_peer),
		cmocka_unit_test(test_daemon_errno),
		cmocka_unit_test(test_batch),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
