/* Reading the VPN's counters for the traffic history (see apply_traffic.h). */
#include "apply_traffic.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apply_vpn.h"
#include "common/log.h"
#include "common/loop.h"
#include "common/worker.h"
#include "daemon.h"
#include "svc/svc_wireguard.h"
#include "vpn/wg_device.h"
#include "vpn/wg_traffic.h"
#include "common/banned.h"

struct reading_job {
	struct worker_job job;
	struct daemon *d;
	struct wg_device dev;
	struct wg_device_state st;
	int64_t at;
	int r;
	char err[256];
};

static void reading_run(struct worker_job *job)
{
	struct reading_job *j = (struct reading_job *)job;
	j->r = wg_device_get(&j->dev, &j->st, j->err, sizeof(j->err));
	j->at = time(NULL);
}

static void reading_done(struct worker_job *job)
{
	struct reading_job *j = (struct reading_job *)job;
	j->d->traffic_reading = false;
	if (j->r == 0 && wg_traffic_add(j->d->traffic, &j->st, j->at) < 0)
		log_warn("vpn: no memory for the traffic history");
	else if (j->r < 0)
		log_debug("vpn: no traffic reading: %s", j->err);
	wg_device_state_free(&j->st);
	free(j);
}

static bool device_up(struct daemon *d)
{
	if (d->vpn_backend == WG_BACKEND_KERNEL)
		return true;
	const struct svc *s = supervisor_find(&d->sup, svc_wireguard_ops.name);
	return s && s->state == SVC_RUNNING;
}

static void on_timer(struct loop *l, int fd, uint32_t events, void *data)
{
	struct daemon *d = data;
	uint64_t expirations;
	ssize_t ignored = read(fd, &expirations, sizeof(expirations));
	(void)ignored;
	if (d->traffic_reading || !device_up(d))
		return;
	struct reading_job *j = calloc(1, sizeof(*j));
	if (!j)
		return;
	j->job = (struct worker_job){ .run = reading_run, .done = reading_done };
	j->d = d;
	if (apply_vpn_device(d, &j->dev) < 0 || worker_submit(d->queries, &j->job) < 0) {
		free(j);
		return;
	}
	d->traffic_reading = true;
}

int apply_traffic_follow(struct daemon *d)
{
	d->traffic = calloc(1, sizeof(*d->traffic));
	if (!d->traffic)
		return -ENOMEM;
	return loop_add_timer(d->loop, WG_TRAFFIC_INTERVAL_S * 1000, on_timer, d, NULL);
}

void apply_traffic_free(struct daemon *d)
{
	if (!d->traffic)
		return;
	wg_traffic_free(d->traffic);
	free(d->traffic);
	d->traffic = NULL;
}
