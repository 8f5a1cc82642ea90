/* NTP: chronyd, serving the cell's time on its plan address to ip_range
 * and vpn_subnet, following the configured upstreams and falling back to
 * its own clock at a local stratum. Run with -x: it never sets the host
 * clock, which every namespace shares. */
#pragma once

#include "svc_ops.h"

extern const struct svc_ops svc_chrony_ops;

int svc_chrony_render(const struct svc_input *in, struct buf *out);
