/* Loading a renderer's input. */
#include "apply_input.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "daemon.h"
#include "net/lan.h"
#include "store/store_dhcp.h"
#include "store/store_email.h"
#include "store/store_ntp.h"
#include "store/store_proxy.h"
#include "store/store_vpn.h"
#include "common/banned.h"

#define DNSSEC_ROOT_ANCHOR "/usr/share/dns/root.key" /* Debian's dns-root-data */

static int load_live(struct daemon *d, const char *name, struct apply_input *a)
{
	return strcmp(name, "dns") == 0 ? store_vpn_peer_list(d->store, &a->peers, &a->n_peers) : 0;
}

int apply_input_load(struct daemon *d, const char *name, struct apply_input *a)
{
	*a = (struct apply_input){ 0 };
	int n = 0;
	int r = store_ntp_load(d->store, &a->ntp);
	if (r == 0)
		r = store_dns_settings_load(d->store, &a->dns);
	if (r == 0)
		r = n = store_dns_forward_list(d->store, a->forwards, DNS_FORWARDS_MAX);
	if (r >= 0)
		r = store_dhcp_settings_load(d->store, &a->dhcp);
	if (r == 0 && a->dhcp.enabled)
		r = lan_lookup(a->dhcp.interface, &a->lan);
	if (r == 0)
		r = store_proxy_load(d->store, &a->proxy);
	if (r == 0)
		r = store_email_load(d->store, &a->email);
	if (r == 0)
		r = store_email_domains_load(d->store, &a->email_domains);
	if (r == 0)
		r = load_live(d, name, a);
	if (r < 0)
		return r;
	if (d->sup.n > APPLY_INPUT_SERVICES_MAX)
		return -E2BIG;
	for (size_t i = 0; i < d->sup.n; i++)
		a->serving[i] = d->sup.svcs[i].state == SVC_RUNNING && d->sup.svcs[i].healthy;
	char host[IPV4_STR_MAX];
	ipv4_format(d->net.host_addr, host);
	snprintf(a->ui_upstream, sizeof(a->ui_upstream), "%s:%d", host, DAEMON_CELL_PORT);
	a->host = d->host_access;
	a->dkim = d->dkim;
	a->in = (struct svc_input){
		.cell = &d->config,
		.plan = &d->net,
		.net = netplan_find(&d->net, svc_netns_of(name)),
		.ntp = &a->ntp,
		.dns = &a->dns,
		.forwards = a->forwards,
		.n_forwards = (size_t)n,
		.dhcp = &a->dhcp,
		.lan = &a->lan,
		.dnssec_anchor = access(DNSSEC_ROOT_ANCHOR, R_OK) == 0,
		.faults = d->opt.test_faults,
		.ui_upstream = a->ui_upstream,
		.serving = a->serving,
		.proxy = &a->proxy,
		.host = &a->host,
		.dkim = a->dkim.selector[0] ? &a->dkim : NULL,
		.email = &a->email,
		.email_domains = &a->email_domains,
		.peers = a->peers,
		.n_peers = a->n_peers,
		.now = time(NULL),
	};
	return 0;
}

int apply_input_load_live(struct daemon *d, const char *name, struct apply_input *a)
{
	apply_input_free(a);
	int r = load_live(d, name, a);
	a->in.peers = a->peers;
	a->in.n_peers = a->n_peers;
	a->in.now = time(NULL);
	return r;
}

void apply_input_free(struct apply_input *a)
{
	sodium_memzero(a->email.relay_password, sizeof(a->email.relay_password));
	store_vpn_peers_free(a->peers, a->n_peers);
	a->peers = NULL;
	a->n_peers = 0;
}
