/* unbound_ctl and probe_dns against a real unbound: the rendered
 * unbound.conf and records.d (paths moved into a temporary directory,
 * a free port on 127.0.0.1, no privilege drop), started with fork/exec and
 * always killed at the end (group teardown, and PR_SET_PDEATHSIG should the
 * test process die first). Checks the address plan's names and PTRs, the
 * quoting of the records files, records added over the control socket (TXT with
 * spaces, quotes, a single quote and a newline; MX; SRV) answering on the
 * next query and NXDOMAIN after removal, errors (malformed commands, a bad
 * line in a bulk command, limits, no daemon, a daemon that never answers),
 * forward zones, SIGHUP re-reading the records files, a VPN peer's view changed
 * live (unbound_views_change, checked by listing the view; the apex's A
 * answers 127.0.0.1 from the cell-clients view), and 1,000 records in one
 * local_datas (timed). Skipped when /usr/sbin/unbound is not installed. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
#include "model/dns.h"
#include "model/vpn_peer.h"
#include "net/netplan.h"
#include "svc/probe_dns.h"
#include "svc/svc_unbound.h"
#include "svc/unbound_ctl.h"
#include "svc/unbound_views.h"
#include "text_util.h"
#include "child_proc.h"
#include "common/banned.h"

#define UNBOUND "/usr/sbin/unbound"
#define LOCALHOST 0x7f000001u
#define ZONE "mycell.cell"
#define QUERY_TIMEOUT_MS 1000

struct daemon_under_test {
	char dir[64];
	char conf[128], records[128], records_dir[128], auth[128], ctl[128], log[128];
	uint16_t port;
	pid_t pid;
};

static struct daemon_under_test ub = { .pid = -1 };

static double now_s(void)
{
	return now_ms() / 1e3;
}

static void path_in_dir(char *out, size_t outlen, const char *name)
{
	int n = snprintf(out, outlen, "%s/%s", ub.dir, name);
	assert_true(n > 0 && (size_t)n < outlen);
}

/* A port free for both UDP and TCP on 127.0.0.1 right now. */
static uint16_t free_port(void)
{
	for (int attempt = 0; attempt < 20; attempt++) {
		int u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		int t = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		assert_true(u >= 0 && t >= 0);
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(LOCALHOST) };
		socklen_t len = sizeof(sa);
		assert_int_equal(bind(u, (struct sockaddr *)&sa, sizeof(sa)), 0);
		assert_int_equal(getsockname(u, (struct sockaddr *)&sa, &len), 0);
		bool ok = bind(t, (struct sockaddr *)&sa, sizeof(sa)) == 0;
		close(u);
		close(t);
		if (ok)
			return ntohs(sa.sin_port);
	}
	fail_msg("no free port");
	return 0;
}

static struct dns_record record(const char *name, enum dns_type type, const char *value)
{
	struct dns_record r = { .type = type, .ttl = 300 };
	snprintf(r.name, sizeof(r.name), "%s", name);
	snprintf(r.value, sizeof(r.value), "%s", value);
	return r;
}

#define NOTE_TEXT "from the file: say \"hi\" it's a \\ back # x"

static void write_records(const char *extra_host)
{
	struct dns_record rec[] = { record("note." ZONE, DNS_TXT, NOTE_TEXT) };
	struct dns_host hosts[2] = { { .hostname = "laptop", .ip = 0xc0a80132u } };
	size_t n_hosts = 1;
	if (extra_host) {
		snprintf(hosts[1].hostname, sizeof(hosts[1].hostname), "%s", extra_host);
		hosts[1].ip = 0xc0a80133u;
		n_hosts = 2;
	}
	struct buf b;
	buf_init(&b, 1 << 20);
	assert_int_equal(svc_unbound_render_records(ZONE, rec, 1, hosts, n_hosts, &b), 0);
	assert_int_equal(fs_write_atomic(ub.records, b.data, b.len, 0644), 0);
	buf_free(&b);
}

/* The auth zone's file at rest: the SOA and NS. */
static void write_auth_zone(void)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	assert_int_equal(svc_unbound_auth_zone(ZONE, NULL, 0, &b), 0);
	assert_int_equal(fs_write_atomic(ub.auth, b.data, b.len, 0644), 0);
	buf_free(&b);
}

/* The rendered unbound.conf, moved to the test's directory and port. */
static void write_config(void)
{
	struct cell_config c;
	struct dns_settings dns;
	config_defaults(&c);
	dns_settings_defaults(&dns);
	struct netplan_service net = { .name = "dns", .n_addrs = 1, .addrs = { LOCALHOST } };
	struct svc_input in = { .cell = &c, .net = &net, .dns = &dns, .dnssec_anchor = false };
	struct buf b;
	buf_init(&b, 1 << 20);
	assert_int_equal(svc_unbound_render(&in, &b), 0);
	char port_line[32];
	snprintf(port_line, sizeof(port_line), "\tport: %u\n", ub.port);
	char *t1 = text_replace_all(b.data, "/run/pic", ub.dir);
	char *t2 = text_replace_all(t1, "\tport: 53\n", port_line);
	/* Stay root: a process that changes its uid loses PR_SET_PDEATHSIG. */
	char *t3 = text_replace_all(t2, "username: \"unbound\"", "username: \"\"");
	assert_int_equal(fs_write_atomic(ub.conf, t3, strlen(t3), 0644), 0);
	free(t1);
	free(t2);
	free(t3);
	buf_free(&b);
}

static void print_log(void)
{
	FILE *f = fopen(ub.log, "re");
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof(line), f))
		print_message("unbound: %s", line);
	fclose(f);
}

static pid_t spawn_unbound(void)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Only async-signal-safe calls until execve. */
		int log = open(ub.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (log < 0 || null < 0 || dup2(null, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0)
			_exit(126);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
			_exit(126);
		char *const argv[] = { (char *)UNBOUND, (char *)"-d", (char *)"-c", ub.conf, NULL };
		char *const envp[] = { NULL };
		execve(UNBOUND, argv, envp);
		_exit(127);
	}
	return pid;
}

static void stop_unbound(void)
{
	child_stop(&ub.pid);
}

/* Started when the probe name answers and the control socket works. */
static bool wait_ready(pid_t pid)
{
	char err[256], reply[512];
	for (int i = 0; i < 500; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return false;
		if (probe_dns(LOCALHOST, ub.port, SVC_UNBOUND_PROBE_NAME, PROBE_DNS_TYPE_A, 20, err, sizeof(err)) == 0 &&
		    unbound_ctl_query(ub.ctl, "status", reply, sizeof(reply), 1000) == 0)
			return true;
		usleep(10 * 1000);
	}
	return false;
}

static int group_setup(void **state)
{
	if (access(UNBOUND, X_OK) != 0)
		return 0; /* every test skips */
	snprintf(ub.dir, sizeof(ub.dir), "/tmp/pic-unbound-XXXXXX");
	if (!mkdtemp(ub.dir))
		return -1;
	path_in_dir(ub.conf, sizeof(ub.conf), "unbound.conf");
	path_in_dir(ub.records_dir, sizeof(ub.records_dir), SVC_UNBOUND_RECORDS_DIR);
	if (mkdir(ub.records_dir, 0755) < 0)
		return -1;
	path_in_dir(ub.records, sizeof(ub.records), SVC_UNBOUND_RECORDS_DIR "/" SVC_UNBOUND_HOSTS_FILE);
	path_in_dir(ub.ctl, sizeof(ub.ctl), SVC_UNBOUND_CTL_FILE);
	path_in_dir(ub.auth, sizeof(ub.auth), SVC_UNBOUND_AUTH_FILE);
	path_in_dir(ub.log, sizeof(ub.log), "unbound.log");
	write_records(NULL);
	write_auth_zone();
	for (int attempt = 0; attempt < 3; attempt++) {
		ub.port = free_port();
		write_config();
		double t0 = now_s();
		pid_t pid = spawn_unbound();
		if (wait_ready(pid)) {
			ub.pid = pid;
			print_message("unbound answering %.0f ms after exec\n", (now_s() - t0) * 1000);
			return 0;
		}
		ub.pid = pid;
		stop_unbound(); /* lost the port to someone else, or worse */
	}
	print_log();
	return -1;
}

static int group_teardown(void **state)
{
	stop_unbound();
	if (!ub.dir[0])
		return 0;
	const char *files[] = { ub.conf, ub.records, ub.auth, ub.ctl, ub.log };
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		unlink(files[i]);
	rmdir(ub.records_dir);
	rmdir(ub.dir);
	return 0;
}

static void need_unbound(void)
{
	if (ub.pid <= 0)
		skip();
}

static int ask(const char *name, uint16_t qtype)
{
	char err[256];
	return probe_dns(LOCALHOST, ub.port, name, qtype, QUERY_TIMEOUT_MS, err, sizeof(err));
}

/* The raw answer to a query. */
static size_t ask_raw(const char *name, uint16_t qtype, uint8_t *ans, size_t anslen)
{
	char err[256];
	_cleanup_close_ int fd = -1;
	assert_int_equal(probe_dns_ask(LOCALHOST, ub.port, name, qtype, &fd, err, sizeof(err)), 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	assert_int_equal(poll(&p, 1, QUERY_TIMEOUT_MS), 1);
	ssize_t got = recv(fd, ans, anslen, 0);
	assert_true(got > 12);
	return (size_t)got;
}

/* Whether the TXT answer for `name` holds `text` as one character-string. */
static bool txt_has(const char *name, const char *text)
{
	uint8_t ans[4096], want[256];
	size_t len = strlen(text);
	assert_true(len < 256);
	want[0] = (uint8_t)len;
	memcpy(want + 1, text, len);
	size_t got = ask_raw(name, PROBE_DNS_TYPE_TXT, ans, sizeof(ans));
	return memmem(ans, got, want, len + 1) != NULL;
}

static void test_rendered_zone(void **state)
{
	need_unbound();
	/* the apex's A, from the cell-clients view (127.0.0.1 is one); its
	 * other types from the global zone */
	assert_int_equal(ask(ZONE, PROBE_DNS_TYPE_A), 0);
	assert_int_equal(ask(ZONE, 6 /* SOA */), 0);
	assert_int_equal(ask(ZONE, PROBE_DNS_TYPE_MX), 0); /* the mail service's */
	assert_true(txt_has(ZONE, "v=spf1 mx ~all"));
	assert_int_equal(ask("webui." ZONE, PROBE_DNS_TYPE_A), 0);
	assert_int_equal(ask("webui-svc." ZONE, PROBE_DNS_TYPE_A), 0);
	assert_int_equal(ask("calendar." ZONE, PROBE_DNS_TYPE_A), 0);
	assert_int_equal(ask("23.0.20.172.in-addr.arpa", 12 /* PTR */), 0);
	assert_int_equal(ask("nothing." ZONE, PROBE_DNS_TYPE_A), -ENOENT);
	assert_int_equal(ask("99.0.20.172.in-addr.arpa", 12), -ENOENT);
	/* a name that exists, a type that does not */
	assert_int_equal(ask("webui." ZONE, PROBE_DNS_TYPE_MX), -ENODATA);
	/* The records file: the TXT survived two layers of quoting */
	assert_true(txt_has("note." ZONE, NOTE_TEXT));
	assert_int_equal(ask("laptop." ZONE, PROBE_DNS_TYPE_A), 0);
	assert_int_equal(ask("50.1.168.192.in-addr.arpa", 12), 0);
}

static void test_add_remove(void **state)
{
	need_unbound();
	struct dns_record rec[4];
	rec[0] = record("www." ZONE, DNS_A, "192.0.2.10");
	rec[1] = record("txt." ZONE, DNS_TXT, "with spaces, \"double\" and 'single' quotes\nand a newline");
	rec[2] = record("mx." ZONE, DNS_MX, "mail." ZONE);
	rec[2].priority = 10;
	rec[3] = record("_sip._tcp." ZONE, DNS_SRV, "sip.example.org");
	rec[3].priority = 10, rec[3].weight = 60, rec[3].port = 5060;
	char rr[4][SVC_UNBOUND_RR_MAX / 4];
	const char *rrs[4];
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(dns_record_rr(&rec[i], rr[i], sizeof(rr[i])), 0);
		rrs[i] = rr[i];
	}
	assert_int_equal(ask("www." ZONE, PROBE_DNS_TYPE_A), -ENOENT);
	char err[256] = "";
	double t0 = now_s();
	assert_int_equal(unbound_ctl_add(ub.ctl, rrs, 4, err, sizeof(err)), 0);
	print_message("local_datas, 4 records: %.2f ms\n", (now_s() - t0) * 1000);
	assert_int_equal(ask("www." ZONE, PROBE_DNS_TYPE_A), 0);
	assert_true(txt_has("txt." ZONE, "with spaces, \"double\" and 'single' quotes\nand a newline"));
	assert_int_equal(ask("mx." ZONE, PROBE_DNS_TYPE_MX), 0);
	assert_int_equal(ask("_sip._tcp." ZONE, PROBE_DNS_TYPE_SRV), 0);
	/* adding the same again changes nothing and is not an error */
	assert_int_equal(unbound_ctl_add(ub.ctl, rrs, 4, err, sizeof(err)), 0);

	const char *names[] = { "www." ZONE, "txt." ZONE, "mx." ZONE, "_sip._tcp." ZONE "." };
	t0 = now_s();
	assert_int_equal(unbound_ctl_remove(ub.ctl, names, 4, err, sizeof(err)), 0);
	print_message("local_datas_remove, 4 names: %.2f ms\n", (now_s() - t0) * 1000);
	assert_int_equal(ask("www." ZONE, PROBE_DNS_TYPE_A), -ENOENT);
	assert_int_equal(ask("txt." ZONE, PROBE_DNS_TYPE_TXT), -ENOENT);
	assert_int_equal(ask("mx." ZONE, PROBE_DNS_TYPE_MX), -ENOENT);
	assert_int_equal(ask("_sip._tcp." ZONE, PROBE_DNS_TYPE_SRV), -ENOENT);
	/* the apex: removing it drops the plan's records too, re-adding them
	 * (svc_unbound_apex_rrs) brings them back. Its A is in a view:
	 * untouched. */
	struct cell_config c;
	char apex[SVC_UNBOUND_APEX_RRS][SVC_UNBOUND_APEX_RR_MAX];
	config_defaults(&c);
	assert_int_equal(svc_unbound_apex_rrs(&c, apex), 0);
	const char *zone_name[] = { ZONE };
	assert_int_equal(unbound_ctl_remove(ub.ctl, zone_name, 1, err, sizeof(err)), 0);
	assert_int_equal(ask(ZONE, 6 /* SOA */), -ENODATA);
	assert_int_equal(ask(ZONE, PROBE_DNS_TYPE_A), 0);
	assert_int_equal(ask(ZONE, PROBE_DNS_TYPE_MX), -ENODATA);
	const char *apex_rrs[SVC_UNBOUND_APEX_RRS];
	for (size_t i = 0; i < SVC_UNBOUND_APEX_RRS; i++)
		apex_rrs[i] = apex[i];
	assert_int_equal(unbound_ctl_add(ub.ctl, apex_rrs, SVC_UNBOUND_APEX_RRS, err, sizeof(err)), 0);
	assert_int_equal(ask(ZONE, 6 /* SOA */), 0);
	assert_int_equal(ask(ZONE, PROBE_DNS_TYPE_MX), 0);
	assert_true(txt_has(ZONE, "v=spf1 mx ~all"));
	assert_int_equal(ask(ZONE, PROBE_DNS_TYPE_A), 0);
}

static void test_errors(void **state)
{
	need_unbound();
	char reply[512], err[256];
	assert_int_equal(unbound_ctl(ub.ctl, "local_data garbage", NULL, 0, reply, sizeof(reply), 1000), -EPROTO);
	assert_int_equal(strncmp(reply, "error", 5), 0);
	assert_int_equal(unbound_ctl(ub.ctl, "frobnicate", NULL, 0, reply, sizeof(reply), 1000), -EPROTO);
	assert_non_null(strstr(reply, "unknown command"));
	assert_int_equal(unbound_ctl(ub.ctl, "verbosity 1", NULL, 0, reply, sizeof(reply), 1000), 0);
	assert_string_equal(reply, "ok\n");

	/* a bad line among good ones: an error, and the good ones ARE added */
	const char *mixed[] = { "good1." ZONE ". 300 IN A 192.0.2.1", "bad line", "good2." ZONE ". 300 IN A 192.0.2.2" };
	assert_int_equal(unbound_ctl(ub.ctl, "local_datas", mixed, 3, reply, sizeof(reply), 1000), -EPROTO);
	assert_non_null(strstr(reply, "error"));
	assert_non_null(strstr(reply, "added 2 datas"));
	assert_int_equal(ask("good2." ZONE, PROBE_DNS_TYPE_A), 0);
	const char *bad_rr[] = { "x." ZONE ". 300 IN A 1.2.3" };
	assert_int_equal(unbound_ctl_add(ub.ctl, bad_rr, 1, err, sizeof(err)), -EPROTO);
	assert_int_equal(strncmp(err, "unbound: error", 14), 0);
	const char *goods[] = { "good1." ZONE, "good2." ZONE };
	assert_int_equal(unbound_ctl_remove(ub.ctl, goods, 2, err, sizeof(err)), 0);

	/* refused before anything is sent */
	assert_int_equal(unbound_ctl(ub.ctl, "status\nstop", NULL, 0, reply, sizeof(reply), 1000), -EINVAL);
	assert_int_equal(unbound_ctl(ub.ctl, "", NULL, 0, reply, sizeof(reply), 1000), -EINVAL);
	const char *one[] = { "a." ZONE ". 300 IN A 192.0.2.1" };
	assert_int_equal(unbound_ctl(ub.ctl, "status", one, 1, reply, sizeof(reply), 1000), -EINVAL);
	const char *eot[] = { "\x04" };
	assert_int_equal(unbound_ctl(ub.ctl, "local_datas", eot, 1, reply, sizeof(reply), 1000), -EINVAL);
	char *long_line = malloc(UNBOUND_CTL_LINE_MAX + 2);
	assert_non_null(long_line);
	memset(long_line, 'a', UNBOUND_CTL_LINE_MAX + 1);
	long_line[UNBOUND_CTL_LINE_MAX + 1] = '\0';
	const char *longs[] = { long_line };
	assert_int_equal(unbound_ctl(ub.ctl, "local_datas", longs, 1, reply, sizeof(reply), 1000), -E2BIG);
	long_line[UNBOUND_CTL_COMMAND_MAX + 1] = '\0';
	assert_int_equal(unbound_ctl(ub.ctl, long_line, NULL, 0, reply, sizeof(reply), 1000), -E2BIG);
	free(long_line);
	assert_int_equal(unbound_ctl_forward_add(ub.ctl, "bad zone", NULL, 0, err, sizeof(err)), -EINVAL);

	/* a line just under unbound's limit goes through */
	char big[UNBOUND_CTL_LINE_MAX + 1];
	int n = snprintf(big, sizeof(big), "big." ZONE ". 300 IN TXT ");
	for (size_t i = (size_t)n; i + 260 < UNBOUND_CTL_LINE_MAX; i += 258) {
		big[i] = '"';
		memset(big + i + 1, 'b', 255);
		big[i + 256] = '"';
		big[i + 257] = ' ';
		big[i + 258] = '\0';
	}
	const char *bigs[] = { big };
	assert_int_equal(unbound_ctl(ub.ctl, "local_datas", bigs, 1, reply, sizeof(reply), 1000), 0);
	/* too big for a UDP answer without EDNS: there, but truncated */
	assert_int_equal(ask("big." ZONE, PROBE_DNS_TYPE_TXT), -EMSGSIZE);
	const char *bignames[] = { "big." ZONE };
	assert_int_equal(unbound_ctl_remove(ub.ctl, bignames, 1, err, sizeof(err)), 0);
	assert_int_equal(ask("big." ZONE, PROBE_DNS_TYPE_TXT), -ENOENT);

	/* data commands */
	assert_int_equal(unbound_ctl_query(ub.ctl, "status", reply, sizeof(reply), 1000), 0);
	assert_non_null(strstr(reply, "is running"));
	/* a reply longer than the buffer is read to the end and still judged */
	char tiny[8];
	assert_int_equal(unbound_ctl_query(ub.ctl, "list_local_zones", tiny, sizeof(tiny), 1000), 0);
	assert_int_equal(strlen(tiny), 7);
	assert_int_equal(unbound_ctl_query(ub.ctl, "frobnicate", reply, sizeof(reply), 1000), -EPROTO);

	/* nobody there */
	char missing[160];
	snprintf(missing, sizeof(missing), "%s/nothing.ctl", ub.dir);
	assert_int_equal(unbound_ctl(missing, "status", NULL, 0, reply, sizeof(reply), 1000), -ENOENT);
	assert_int_equal(unbound_ctl_add(missing, one, 1, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "No such file"));
}

/* A socket that accepts (the kernel does, into the backlog) and never
 * answers. */
static void test_timeout(void **state)
{
	need_unbound();
	char reply[64];
	char path[108];
	int n = snprintf(path, sizeof(path), "%s/silent.ctl", ub.dir);
	assert_true(n > 0 && (size_t)n < sizeof(path));
	_cleanup_close_ int l = unix_listen(path);
	assert_true(l >= 0);
	double t0 = now_s();
	assert_int_equal(unbound_ctl(path, "status", NULL, 0, reply, sizeof(reply), 200), -ETIMEDOUT);
	double dt = now_s() - t0;
	assert_true(dt >= 0.19 && dt < 1.0);
	unlink(path);
}

static void test_forward(void **state)
{
	need_unbound();
	char err[256], reply[4096];
	char server[32];
	snprintf(server, sizeof(server), "192.0.2.53@%u", ub.port);
	const char *servers[] = { server, "192.0.2.54" };
	assert_int_equal(unbound_ctl_forward_add(ub.ctl, "corp.example", servers, 2, err, sizeof(err)), 0);
	assert_int_equal(unbound_ctl_query(ub.ctl, "list_forwards", reply, sizeof(reply), 1000), 0);
	assert_non_null(strstr(reply, "corp.example."));
	assert_non_null(strstr(reply, "192.0.2.54"));
	/* (+i makes it an insecure point too; with the iterator alone,
	 * list_insecure shows nothing) */
	assert_int_equal(unbound_ctl_forward_remove(ub.ctl, "corp.example.", err, sizeof(err)), 0);
	assert_int_equal(unbound_ctl_query(ub.ctl, "list_forwards", reply, sizeof(reply), 1000), 0);
	assert_null(strstr(reply, "corp.example."));
	/* zones under unbound's built-in ones: only by reload */
	assert_int_equal(unbound_ctl_forward_add(ub.ctl, "lab.test", servers, 1, err, sizeof(err)), -EOPNOTSUPP);
	assert_int_equal(unbound_ctl_forward_add(ub.ctl, "home.arpa", servers, 1, err, sizeof(err)), -EOPNOTSUPP);
	const char *bad[] = { "192.0.2.1 x" };
	assert_int_equal(unbound_ctl_forward_add(ub.ctl, "corp.example", bad, 1, err, sizeof(err)), -EINVAL);
	assert_int_equal(unbound_ctl_flush_zone(ub.ctl, ZONE, err, sizeof(err)), 0);
}

/* SIGHUP (svc_unbound_ops.reload) re-reads the records files; what was added
 * through the control socket only is gone after it. */
static void test_sighup_rereads_records(void **state)
{
	need_unbound();
	char err[256];
	const char *live[] = { "live." ZONE ". 300 IN A 192.0.2.77" };
	assert_int_equal(unbound_ctl_add(ub.ctl, live, 1, err, sizeof(err)), 0);
	assert_int_equal(ask("live." ZONE, PROBE_DNS_TYPE_A), 0);
	assert_int_equal(ask("desktop." ZONE, PROBE_DNS_TYPE_A), -ENOENT);
	write_records("desktop");
	double t0 = now_s();
	assert_int_equal(kill(ub.pid, SIGHUP), 0);
	int r = -1;
	for (int i = 0; i < 300 && r != 0; i++) {
		usleep(5 * 1000);
		r = ask("desktop." ZONE, PROBE_DNS_TYPE_A);
	}
	assert_int_equal(r, 0);
	print_message("SIGHUP to the new host answering: %.0f ms\n", (now_s() - t0) * 1000);
	assert_int_equal(ask("live." ZONE, PROBE_DNS_TYPE_A), -ENOENT);
	assert_int_equal(ask("laptop." ZONE, PROBE_DNS_TYPE_A), 0);
	char reply[256];
	assert_int_equal(unbound_ctl_query(ub.ctl, "status", reply, sizeof(reply), 1000), 0);
}

/* `view`'s zones and data as unbound lists them. */
static void view_lists(const char *view, char *zones, char *data, size_t len)
{
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "view_list_local_zones %s", view);
	assert_int_equal(unbound_ctl_query(ub.ctl, cmd, zones, len, 1000), 0);
	snprintf(cmd, sizeof(cmd), "view_list_local_data %s", view);
	assert_int_equal(unbound_ctl_query(ub.ctl, cmd, data, len, 1000), 0);
}

/* unbound_views_change's commands as unbound takes them: a peer's view
 * gains and loses the apex's A with webui, is emptied when the peer
 * leaves, and a peer moving to another address takes its view along. */
static void test_views_change(void **state)
{
	need_unbound();
	struct cell_config c;
	config_defaults(&c);
	struct field_error fe;
	struct vpn_peer p = { .address = 0x0a000002u, .enabled = true }, q;
	char err[256] = "", zones[4096], data[4096];
	const char *apex_zone = ZONE ". typetransparent", *apex_a = ZONE ".\t300\tIN\tA\t172.20.0.23";

	assert_int_equal(unbound_views_change(ub.ctl, &c, NULL, &p, 1000, err, sizeof(err)), 0);
	view_lists("vpn-10-0-0-2", zones, data, sizeof(zones));
	assert_non_null(strstr(zones, "webui." ZONE ". always_nxdomain"));
	assert_null(strstr(zones, apex_zone));
	assert_null(strstr(data, apex_a));

	q = p;
	assert_int_equal(vpn_peer_add_service(&q, "services", "webui", &fe), 0);
	assert_int_equal(unbound_views_change(ub.ctl, &c, &p, &q, 1000, err, sizeof(err)), 0);
	view_lists("vpn-10-0-0-2", zones, data, sizeof(zones));
	assert_null(strstr(zones, "webui." ZONE ". always_nxdomain"));
	assert_non_null(strstr(zones, "calendar." ZONE ". always_nxdomain"));
	assert_non_null(strstr(zones, apex_zone));
	assert_non_null(strstr(data, apex_a));

	/* to another address */
	p = q;
	q.address = 0x0a000003u;
	assert_int_equal(unbound_views_change(ub.ctl, &c, &p, &q, 1000, err, sizeof(err)), 0);
	view_lists("vpn-10-0-0-2", zones, data, sizeof(zones));
	assert_null(strstr(zones, ZONE));
	assert_null(strstr(data, ZONE));
	view_lists("vpn-10-0-0-3", zones, data, sizeof(zones));
	assert_non_null(strstr(zones, apex_zone));
	assert_non_null(strstr(data, apex_a));

	/* webui revoked, then the peer disabled */
	p = q;
	q.n_services = 0;
	assert_int_equal(unbound_views_change(ub.ctl, &c, &p, &q, 1000, err, sizeof(err)), 0);
	view_lists("vpn-10-0-0-3", zones, data, sizeof(zones));
	assert_non_null(strstr(zones, "webui." ZONE ". always_nxdomain"));
	assert_null(strstr(zones, apex_zone));
	assert_null(strstr(data, ZONE));
	p = q;
	q.enabled = false;
	assert_int_equal(unbound_views_change(ub.ctl, &c, &p, &q, 1000, err, sizeof(err)), 0);
	view_lists("vpn-10-0-0-3", zones, data, sizeof(zones));
	assert_null(strstr(zones, ZONE));

	/* granted webui and deleted */
	q.enabled = true;
	assert_int_equal(vpn_peer_add_service(&q, "services", "webui", &fe), 0);
	assert_int_equal(unbound_views_change(ub.ctl, &c, NULL, &q, 1000, err, sizeof(err)), 0);
	view_lists("vpn-10-0-0-3", zones, data, sizeof(zones));
	assert_non_null(strstr(zones, apex_zone));
	assert_int_equal(unbound_views_change(ub.ctl, &c, &q, NULL, 1000, err, sizeof(err)), 0);
	view_lists("vpn-10-0-0-3", zones, data, sizeof(zones));
	assert_null(strstr(zones, ZONE));
	assert_null(strstr(data, ZONE));
	/* the cell's clients keep the apex's address */
	assert_int_equal(ask(ZONE, PROBE_DNS_TYPE_A), 0);
}

static void test_bulk_1000(void **state)
{
	need_unbound();
	enum { N = 1000 };
	static char rr[N][96], names[N][64];
	const char *rrs[N], *ns[N];
	for (int i = 0; i < N; i++) {
		snprintf(rr[i], sizeof(rr[i]), "h%d.bulk." ZONE ". 300 IN A 10.1.%d.%d", i, i / 250, i % 250 + 1);
		snprintf(names[i], sizeof(names[i]), "h%d.bulk." ZONE, i);
		rrs[i] = rr[i];
		ns[i] = names[i];
	}
	char err[256];
	double t0 = now_s();
	assert_int_equal(unbound_ctl_add(ub.ctl, rrs, N, err, sizeof(err)), 0);
	double add_ms = (now_s() - t0) * 1000;
	assert_int_equal(ask("h0.bulk." ZONE, PROBE_DNS_TYPE_A), 0);
	assert_int_equal(ask("h500.bulk." ZONE, PROBE_DNS_TYPE_A), 0);
	assert_int_equal(ask("h999.bulk." ZONE, PROBE_DNS_TYPE_A), 0);
	t0 = now_s();
	assert_int_equal(unbound_ctl_remove(ub.ctl, ns, N, err, sizeof(err)), 0);
	double remove_ms = (now_s() - t0) * 1000;
	assert_int_equal(ask("h0.bulk." ZONE, PROBE_DNS_TYPE_A), -ENOENT);
	assert_int_equal(ask("h999.bulk." ZONE, PROBE_DNS_TYPE_A), -ENOENT);
	print_message("local_datas, %d records: %.1f ms; local_datas_remove, %d names: %.1f ms\n", N, add_ms, N,
		      remove_ms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rendered_zone),
		cmocka_unit_test(test_add_remove),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_forward),
		cmocka_unit_test(test_views_change),
		cmocka_unit_test(test_bulk_1000),
		cmocka_unit_test(test_sighup_rereads_records),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
