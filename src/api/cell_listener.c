/* The listener on the bridge's host address (see cell_listener.h). */
#include "cell_listener.h"

#include <errno.h>
#include <string.h>

#include "common/log.h"
#include "common/loop.h"
#include "daemon.h"
#include "http_server.h"
#include "priv/priv.h"
#include "common/banned.h"

int cell_listener_reopen(struct daemon *d)
{
	http_server_free(d->cell);
	d->cell = NULL;
	const struct netplan_service *proxy = netplan_find(&d->net, "proxy");
	uint32_t proxy_addr = proxy ? proxy->addrs[0] : 0;
	http_server_trust_proxy(d->http, proxy_addr);
	if (!d->net.host_addr)
		return 0;
	char host[IPV4_STR_MAX];
	ipv4_format(d->net.host_addr, host);
	int fd, r = priv_tcp_listen(host, DAEMON_CELL_PORT, &fd);
	if (r == -EADDRINUSE) {
		log_debug("the main listener serves %s:%d too", host, DAEMON_CELL_PORT);
		return 0;
	}
	if (r < 0) {
		log_err("cannot listen on %s:%d for the proxy: %s", host, DAEMON_CELL_PORT, strerror(-r));
		return r;
	}
	r = http_server_start(d, fd, false, &d->cell);
	if (r < 0)
		return r;
	http_server_trust_proxy(d->cell, proxy_addr);
	return 0;
}

#define REOPEN_DELAY_MS 1000

static void on_reopen_timer(struct loop *l, int fd, uint32_t events, void *data)
{
	struct daemon *d = data;
	loop_remove(l, d->cell_reopen_timer);
	d->cell_reopen_timer = NULL;
	cell_listener_reopen(d);
}

void cell_listener_reopen_later(struct daemon *d)
{
	if (d->cell_reopen_timer)
		return;
	if (loop_add_timer(d->loop, REOPEN_DELAY_MS, on_reopen_timer, d, &d->cell_reopen_timer) < 0)
		log_err("cannot schedule reopening the proxy's listener");
}
