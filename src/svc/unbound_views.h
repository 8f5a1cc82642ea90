/* The DNS service's per-peer views (model/vpn_dns.h) in unbound.conf:
 * one view for every possible VPN peer address (`access-control-view`,
 * `view-first: yes`, so what a view does not say comes from the global
 * zone), and in the view of each active peer the names it may not
 * resolve as `always_nxdomain` local zones. unbound cannot add views or
 * access-control lines at run time, but it can change what is inside an
 * existing view: picd does that live for each peer change
 * (unbound_views_change), and the rendered file makes a restart start
 * right. */
#pragma once

#include "common/buf.h"
#include "svc_ops.h"

/* The access-control-view lines (inside server:). */
int unbound_views_access(const struct svc_input *in, struct buf *out);
/* The view: clauses (top level). */
int unbound_views_render(const struct svc_input *in, const char *zone, struct buf *out);

/* Live, through the control socket `sock`: makes the views of `before`
 * (NULL: new peer) and `after` (NULL: gone) say what `after` may
 * resolve; a view of an address no active peer holds is emptied. */
int unbound_views_change(const char *sock, const char *zone, const struct vpn_peer *before,
			 const struct vpn_peer *after, int64_t now, char *err, size_t errlen);
