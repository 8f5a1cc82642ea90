/* Following the DHCP lease file: when dnsmasq hands out, renews or drops a
 * lease, the host names published in DNS follow (apply_dns_hosts); a timer
 * catches leases that simply run out. */
#include "apply_watch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "apply_dns.h"
#include "common/log.h"
#include "common/loop.h"
#include "daemon.h"
#include "svc/svc_dnsmasq.h"
#include "common/banned.h"

#define LEASE_EXPIRY_CHECK_MS 30000

static void on_lease_event(struct loop *l, int fd, uint32_t events, void *data)
{
	struct daemon *d = data;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool leases = false;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			if (ev->len && strcmp(ev->name, SVC_DNSMASQ_LEASE_FILE) == 0)
				leases = true;
			p += sizeof(*ev) + ev->len;
		}
	}
	if (!leases)
		return;
	char err[256] = "";
	if (apply_dns_hosts(d, err, sizeof(err)) < 0)
		log_warn("dns: LAN host names not updated: %s", err);
}

/* Leases also end without the file changing: look again now and then. */
static void on_expiry_timer(struct loop *l, int fd, uint32_t events, void *data)
{
	uint64_t expirations;
	ssize_t ignored = read(fd, &expirations, sizeof(expirations));
	(void)ignored;
	char err[256] = "";
	if (apply_dns_hosts(data, err, sizeof(err)) < 0)
		log_warn("dns: LAN host names not updated: %s", err);
}

int apply_watch_leases(struct daemon *d, int *ret_fd)
{
	struct svc *s = supervisor_find(&d->sup, "dhcp");
	if (!s)
		return 0;
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* The directory, not the file: dnsmasq may replace the file. */
	if (inotify_add_watch(fd, s->dir, IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_TO | IN_CREATE | IN_DELETE) < 0 ||
	    loop_add_fd(d->loop, fd, EPOLLIN, on_lease_event, d, NULL) < 0 ||
	    loop_add_timer(d->loop, LEASE_EXPIRY_CHECK_MS, on_expiry_timer, d, NULL) < 0) {
		int r = -errno;
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}
