/* Following the host's LAN addresses and name (see apply_host.h). */
#include "apply_host.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "apply/apply_routes.h"
#include "common/buf.h"
#include "common/log.h"
#include "common/loop.h"
#include "daemon.h"
#include "common/banned.h"

static void log_access(const struct daemon *d)
{
	const struct host_access *h = &d->host_access;
	char hosts[HOST_ACCESS_MAX_HOSTS][PKI_NAME_MAX + 1];
	size_t n = host_access_hosts(h, hosts);
	struct buf urls;
	buf_init(&urls, 4096);
	for (size_t i = 0; i < n; i++)
		buf_printf(&urls, " https://%s/", hosts[i]);
	if (urls.len)
		log_info("web UI over HTTPS on the LAN:%s", urls.data);
	else
		log_info("web UI over HTTPS on the LAN: none (the host has no address the cell's CA covers)");
	for (size_t i = 0; i < h->n_uncovered; i++)
		log_warn("web UI over HTTPS: %s is not in the certificate: %s", h->uncovered[i].host,
			 h->uncovered[i].reason);
	buf_free(&urls);
}

/* 1 if the set changed, 0 if not, -errno. */
static int look(struct daemon *d)
{
	struct ipv4_net cell[2] = { d->config.ip_range, d->config.vpn_subnet };
	struct host_access now;
	int r = host_access_lookup(cell, 2, daemon_ca(d), &now);
	if (r < 0)
		return r;
	if (d->host_access_known && host_access_equal(&now, &d->host_access))
		return 0;
	d->host_access = now;
	d->host_access_known = true;
	log_access(d);
	return 1;
}

void apply_host_refresh(struct daemon *d)
{
	int r = look(d);
	if (r < 0)
		log_warn("cannot list the host's addresses: %s", strerror(-r));
	else if (r == 1)
		apply_routes_refresh(d);
}

static void on_timer(struct loop *l, int fd, uint32_t events, void *data)
{
	uint64_t expirations;
	ssize_t ignored = read(fd, &expirations, sizeof(expirations));
	(void)ignored;
	apply_host_refresh(data);
}

int apply_host_follow(struct daemon *d)
{
	int r = look(d);
	if (r < 0)
		log_warn("cannot list the host's addresses: %s", strerror(-r));
	return loop_add_timer(d->loop, APPLY_HOST_CHECK_MS, on_timer, d, NULL);
}
