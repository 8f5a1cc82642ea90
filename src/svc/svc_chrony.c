/* chrony: rendering chrony.conf and the NTP health probe. */
#include "svc_chrony.h"

#include <errno.h>
#include <string.h>

#include "priv/priv_spawn.h"
#include "probe_ntp.h"
#include "common/banned.h"

#define CHRONY_LOCAL_STRATUM 8

static const char *const run_argv[] = {
	"/usr/sbin/chronyd", "-d", "-x", "-u", "_chrony", "-f", SVC_ROOT "/chrony.conf", NULL,
};
static const char *const check_argv[] = {
	"/usr/sbin/chronyd", "-p", "-f", SVC_ROOT "/chrony.conf.new", NULL,
};

/* Test hooks (picd --test-faults): whether `server` is named by `key`.
 * ntp-reject-server=NAME: that server renders as a line chronyd's own
 * check refuses, standing in for any input our validation accepts and
 * the daemon does not. ntp-mute-server=NAME: the config chronyd accepts
 * but with its NTP port closed (`port 0`), standing in for one that
 * passes the check and does not work. */
static bool fault_names(const char *faults, const char *key, const char *server)
{
	const char *p = faults ? strstr(faults, key) : NULL;
	if (!p)
		return false;
	p += strlen(key);
	size_t len = strcspn(p, ",");
	return strlen(server) == len && strncmp(p, server, len) == 0;
}

int svc_chrony_render(const struct svc_input *in, struct buf *out)
{
	char addr[IPV4_STR_MAX], range[CIDR_STR_MAX], vpn[CIDR_STR_MAX];
	ipv4_format(in->net->addrs[0], addr);
	cidr_format(&in->cell->ip_range, range);
	cidr_format(&in->cell->vpn_subnet, vpn);

	int r = buf_printf(out, "# chrony.conf for the NTP service of %s.%s, rendered by picd.\n"
				"# Do not edit: changes are made through the PIC API.\n\n",
			   in->cell->cell_name, in->cell->domain);
	for (size_t i = 0; r == 0 && i < in->ntp->n_servers; i++) {
		if (fault_names(in->faults, "ntp-reject-server=", in->ntp->servers[i]))
			r = buf_printf(out, "server_rejected_by_test_fault %s\n", in->ntp->servers[i]);
		else
			r = buf_printf(out, "server %s iburst\n", in->ntp->servers[i]);
		if (r == 0 && fault_names(in->faults, "ntp-mute-server=", in->ntp->servers[i]))
			r = buf_printf(out, "port 0\n");
	}
	if (r == 0)
		r = buf_printf(out,
			       "\n# Serve the cell's own clock when no upstream can be reached.\n"
			       "local stratum %d\n\n"
			       "# Clients: the cell network, VPN peers, and LAN clients (the host\n"
			       "# forwards its own NTP port here; they keep their private address).\n"
			       "allow %s\n"
			       "allow %s\n"
			       "allow 10.0.0.0/8\n"
			       "allow 172.16.0.0/12\n"
			       "allow 192.168.0.0/16\n"
			       "bindaddress %s\n\n"
			       "# Commands only over the local socket.\n"
			       "cmdport 0\n"
			       "bindcmdaddress " SVC_ROOT "/chronyd.sock\n"
			       "driftfile " SVC_ROOT "/chrony.drift\n"
			       "pidfile " SVC_ROOT "/chronyd.pid\n",
			       CHRONY_LOCAL_STRATUM, range, vpn, addr);
	return r;
}

static int chrony_probe_send(const struct netplan_service *net, int *ret_fd, char *err, size_t errlen)
{
	return probe_ntp_send(net->addrs[0], ret_fd, err, errlen);
}

static int chrony_probe_check(int fd, char *err, size_t errlen)
{
	return probe_ntp_check(fd, NULL, err, errlen);
}

const struct svc_ops svc_chrony_ops = {
	.name = "ntp",
	.daemon = "chronyd",
	.package = "chrony",
	.binary = "/usr/sbin/chronyd",
	.config_file = "chrony.conf",
	.user = "_chrony",
	.user_owns_dir = true,
	.own_pidfile = "chronyd.pid", /* chronyd checks that its socket directory is its own */
	.run_argv = run_argv,
	.check_argv = check_argv,
	.reload = SVC_RELOAD_RESTART,
	.render = svc_chrony_render,
	.probe_send = chrony_probe_send,
	.probe_check = chrony_probe_check,
};
