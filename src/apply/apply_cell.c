/* Network and services of the whole cell (see apply_cell.h). */
#include "apply_cell.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "apply.h"
#include "apply_dkim.h"
#include "apply_dns.h"
#include "apply_mail.h"
#include "mail_boxes.h"
#include "apply_vpn.h"
#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/log.h"
#include "daemon.h"
#include "net/netns.h"
#include "priv/priv_net.h"
#include "svc/svc_proc.h"
#include "common/banned.h"

#define TEARDOWN_GRACE_MS 3000

int apply_cell_plan(struct daemon *d)
{
	const char *names[SVC_MAX];
	size_t n = 0;
	for (size_t i = 0; i < d->sup.n; i++) {
		const struct svc *s = &d->sup.svcs[i];
		if (s->state == SVC_UNAVAILABLE || s->ops->host_network)
			continue;
		/* Daemons sharing a namespace (mail) name it once. */
		const char *ns = svc_ops_netns(s->ops);
		bool listed = false;
		for (size_t j = 0; j < n && !listed; j++)
			listed = strcmp(names[j], ns) == 0;
		if (!listed)
			names[n++] = ns;
	}
	return netplan_build(&d->config, d->opt.run_dir, names, n, &d->net);
}

static void stop_recorded_process(const char *pid_path, const struct svc_ops *ops)
{
	const char *binary = ops->binary;
	pid_t pid;
	int64_t started;
	if (svc_proc_read_pidfile(pid_path, binary, &pid, &started) < 0)
		return;
	svc_proc_terminate(pid, ops->stop_wake_port);
	for (int waited = 0; waited < TEARDOWN_GRACE_MS && svc_proc_alive(pid, binary); waited += 10) {
		struct timespec t = { 0, 10 * 1000 * 1000 };
		nanosleep(&t, NULL);
	}
	if (svc_proc_alive(pid, binary))
		kill(pid, SIGKILL);
	log_info("stopped %s (pid %d)", binary, (int)pid);
}

/* A daemon a previous picd left running keeps its network namespace; the
 * pin naming it may not be here. A picd started in a new mount namespace
 * (systemd's sandboxing, a container, `ip netns exec`) finds its
 * predecessor's pins as bare files: left alone, net_apply() would make
 * new, empty namespaces and the adopted daemons would serve nobody. So
 * the namespace is taken from the daemon itself (/proc/<pid>/ns/net, the
 * pid checked against its recorded start time) and pinned again; the
 * veths and addresses are then checked in it like any other. A daemon in
 * a namespace other than the one pinned for it cannot be reached: it is
 * stopped, and started again where it belongs. */
static void adopt_namespaces(struct daemon *d)
{
	for (size_t i = 0; i < d->sup.n; i++) {
		struct svc *s = &d->sup.svcs[i];
		const struct netplan_service *net = svc_ops_net(&d->net, s->ops);
		_cleanup_close_ int ns = -1, pinned = -1;
		if (s->state == SVC_UNAVAILABLE || s->ops->host_network || !net ||
		    svc_proc_open_netns(s->pid_path, s->ops->binary, &ns) < 0)
			continue;
		int r = priv_netns_open(net, &pinned);
		if (r == 0 && netns_same(ns, pinned))
			continue;
		if (r == 0) {
			log_warn("%s: the running %s is not in the cell's namespace for it: stopping it",
				 s->ops->name, s->ops->daemon);
			stop_recorded_process(s->pid_path, s->ops);
			continue;
		}
		if (r == -ENOENT)
			r = priv_netns_adopt(net, ns);
		if (r < 0)
			log_err("%s: cannot pin the namespace of the running %s: %s", s->ops->name, s->ops->daemon,
				strerror(-r));
		else
			log_info("%s: re-pinned the network namespace the running %s is in", s->ops->name,
				 s->ops->daemon);
	}
}

static int plan_network(struct daemon *d, char *err, size_t errlen)
{
	int r = apply_cell_plan(d);
	if (r < 0)
		snprintf(err, errlen, "cannot plan the cell network: %s", strerror(-r));
	return r;
}

static int bring_up_network(struct daemon *d, char *err, size_t errlen)
{
	int r = plan_network(d, err, errlen);
	if (r < 0)
		return r;
	r = priv_net_apply(&d->net, d->nft, err, errlen);
	if (r < 0)
		return r;
	/* A new table has empty VPN sets: refill them. wireguard-go's
	 * device follows when its daemon starts serving
	 * (apply_vpn_on_serving); the kernel's is there already. */
	char verr[512] = "";
	unsigned parts = VPN_SYNC_FIREWALL | (d->vpn_backend == WG_BACKEND_KERNEL ? VPN_SYNC_DEVICE : 0);
	if (apply_vpn_sync_parts(d, parts, verr, sizeof(verr)) < 0)
		log_err("vpn: %s", verr);
	return 0;
}

int apply_cell_start(struct daemon *d, char *err, size_t errlen)
{
	int r = apply_vpn_choose_backend(d);
	if (r < 0) {
		snprintf(err, errlen, "netlink: %s", strerror(-r));
		return r;
	}
	r = plan_network(d, err, errlen);
	if (r < 0)
		return r;
	adopt_namespaces(d);
	r = bring_up_network(d, err, errlen);
	if (r < 0)
		return r;
	/* Daemons a previous picd left running are adopted first: applying
	 * then changes nothing unless their config is out of date. */
	for (size_t i = 0; i < d->sup.n; i++)
		svc_adopt(&d->sup.svcs[i]);
	/* unbound.conf includes the records file: it must exist first. */
	r = apply_dns_hosts(d, err, errlen);
	if (r == 0)
		r = apply_dns_records_file(d, err, errlen);
	if (r < 0)
		log_err("dns: %s", err);
	/* postfix and dovecot ask picd from their first message and login;
	 * opendkim and the DNS need the signing key. */
	apply_mail_start(d);
	char kerr[256] = "";
	if (apply_dkim_load(d, kerr, sizeof(kerr)) < 0)
		log_err("dkim: %s (mail goes out unsigned)", kerr);
	mail_boxes_finish_removals(d);
	return apply_all(d, true, err, errlen);
}

int apply_cell_readdress(struct daemon *d, char *err, size_t errlen)
{
	int r = bring_up_network(d, err, errlen);
	if (r < 0)
		return r;
	r = apply_all(d, false, err, errlen);
	/* The VPN interface's address is the first of vpn_subnet. */
	char verr[512] = "";
	if (apply_vpn_sync(d, verr, sizeof(verr)) < 0)
		log_err("vpn: %s", verr);
	return r;
}

/* --- teardown --------------------------------------------------------- */

int apply_cell_teardown(const struct daemon_options *o, char *err, size_t errlen)
{
	for (size_t i = 0; i < svc_table_len; i++) {
		char pid_path[4200];
		snprintf(pid_path, sizeof(pid_path), "%s/services/%s/daemon.pid", o->state_dir, svc_table[i]->name);
		stop_recorded_process(pid_path, svc_table[i]);
		unlink(pid_path);
	}
	int r = priv_net_teardown(o->run_dir, err, errlen);
	if (r < 0)
		return r;
	r = fs_remove_tree(o->run_dir);
	if (r == 0 && o->purge)
		r = fs_remove_tree(o->state_dir);
	if (r < 0)
		snprintf(err, errlen, "cannot remove runtime files: %s", strerror(-r));
	return r;
}
