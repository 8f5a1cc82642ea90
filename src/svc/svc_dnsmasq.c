/* dnsmasq: rendering dnsmasq.conf and the per-reservation hosts.d files. */
#include "svc_dnsmasq.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "priv/priv_spawn.h"
#include "common/banned.h"

static const char *const run_argv[] = {
	"/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=" SVC_ROOT "/dnsmasq.conf", NULL,
};
static const char *const check_argv[] = {
	"/usr/sbin/dnsmasq", "--test", "--conf-file=" SVC_ROOT "/dnsmasq.conf.new", NULL,
};

bool svc_dnsmasq_enabled(const struct svc_input *in)
{
	return in->dhcp && in->dhcp->enabled && in->lan && in->lan->present;
}

int svc_dnsmasq_render(const struct svc_input *in, struct buf *out)
{
	if (!svc_dnsmasq_enabled(in) || !in->cell)
		return -EINVAL;
	const struct dhcp_settings *d = in->dhcp;
	const struct lan_info *lan = in->lan;
	/* Checked again here: the LAN is read from the system and may have
	 * changed since the settings were saved; and nothing unchecked may
	 * reach the file. */
	if (strcmp(d->interface, lan->interface) != 0 ||
	    dhcp_settings_validate(d, &lan->net, lan->addr, NULL) < 0)
		return -EINVAL;

	char zone[NAME_MAX_LEN + 1];
	if (config_zone(in->cell, zone, sizeof(zone)) < 0 || name_validate("domain", zone, NULL) < 0)
		return -EINVAL;

	char start[IPV4_STR_MAX], end[IPV4_STR_MAX], mask[IPV4_STR_MAX], host[IPV4_STR_MAX],
		gateway[IPV4_STR_MAX];
	ipv4_format(d->range_start, start);
	ipv4_format(d->range_end, end);
	ipv4_format(cidr_mask(lan->net.prefix), mask);
	ipv4_format(lan->addr, host);
	ipv4_format(d->gateway, gateway);
	/* Every address of the subnet but its network and broadcast
	 * addresses may hold a lease (reservations may lie outside the
	 * range); dnsmasq's own default stops at 1000. */
	unsigned long long lease_max = (unsigned long long)cidr_size(&lan->net) - 2;

	int r = buf_printf(out,
			   "# dnsmasq.conf for the DHCP service of %s, rendered by picd.\n"
			   "# Do not edit: changes are made through the PIC API.\n\n"
			   "# DHCP only: the cell's DNS service answers DNS.\n"
			   "port=0\n\n"
			   "# Only the LAN interface; the socket is bound to it.\n"
			   "interface=%s\n"
			   "bind-interfaces\n"
			   "except-interface=lo\n\n"
			   "dhcp-range=%s,%s,%s,%us\n"
			   "dhcp-lease-max=%llu\n"
			   "dhcp-authoritative\n"
			   "# Offer at once instead of pinging the address first (~3 s).\n"
			   "no-ping\n"
			   "dhcp-leasefile=" SVC_ROOT "/" SVC_DNSMASQ_LEASE_FILE "\n"
			   "# Reservations, one file each; new files are read without a signal.\n"
			   "dhcp-hostsdir=" SVC_ROOT "/" SVC_DNSMASQ_HOSTS_DIR "\n\n"
			   "# picd supervises the process: no pid file, logs on stderr.\n"
			   "pid-file=\n"
			   "user=nobody\n"
			   "group=nogroup\n"
			   "log-facility=-\n"
			   "log-dhcp\n\n",
			   zone, d->interface, start, end, mask, d->lease_s, lease_max);
	if (r == 0 && d->gateway != 0)
		r = buf_printf(out, "dhcp-option=option:router,%s\n", gateway);
	else if (r == 0)
		r = buf_printf(out, "# No gateway: an empty option keeps dnsmasq from announcing itself.\n"
				    "dhcp-option=option:router\n");
	if (r == 0)
		r = buf_printf(out,
			       "# The host forwards DNS and NTP to the cell's services.\n"
			       "dhcp-option=option:dns-server,%s\n"
			       "dhcp-option=option:ntp-server,%s\n"
			       "dhcp-option=option:domain-name,%s\n"
			       "dhcp-option=option:domain-search,%s\n",
			       host, host, zone, zone);
	return r;
}

int svc_dnsmasq_host_line(const struct dhcp_reservation *r, char *out, size_t outlen)
{
	if (!dhcp_mac_valid(r->mac) || memchr(r->hostname, '\0', sizeof(r->hostname)) == NULL ||
	    (r->hostname[0] && !dhcp_hostname_valid(r->hostname)))
		return -EINVAL;
	char mac[DHCP_MAC_STR_MAX], ip[IPV4_STR_MAX];
	dhcp_mac_format(r->mac, mac);
	ipv4_format(r->ip, ip);
	int n = snprintf(out, outlen, "%s,%s%s%s\n", mac, ip, r->hostname[0] ? "," : "", r->hostname);
	return n < 0 || (size_t)n >= outlen ? -ENOBUFS : 0;
}

int svc_dnsmasq_host_file_name(const uint8_t mac[6], char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "%02x-%02x-%02x-%02x-%02x-%02x", mac[0], mac[1], mac[2], mac[3],
			 mac[4], mac[5]);
	return n < 0 || (size_t)n >= outlen ? -ENOBUFS : 0;
}

const struct svc_ops svc_dnsmasq_ops = {
	.name = "dhcp",
	.daemon = "dnsmasq",
	.package = "dnsmasq-base",
	.binary = "/usr/sbin/dnsmasq",
	.config_file = "dnsmasq.conf",
	.user = "nobody",
	/* dnsmasq reads hosts.d as nobody; everything else it opens as root.
	 * The directory stays root's so nobody cannot rewrite the config. */
	.dir_mode = 0711,
	.dirs = (const struct svc_dir[]){ { .path = SVC_DNSMASQ_HOSTS_DIR }, { .path = NULL } },
	.run_argv = run_argv,
	.check_argv = check_argv,
	.reload = SVC_RELOAD_RESTART,
	.host_network = true,
	.enabled = svc_dnsmasq_enabled,
	.render = svc_dnsmasq_render,
};
