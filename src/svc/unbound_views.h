/* The DNS service's views (model/vpn_dns.h) in unbound.conf, all with
 * `view-first: yes`, so what a view does not say comes from the global
 * zones:
 *   cell-clients  attached to every network allowed to query: the
 *                 clients that are not VPN peers. It holds the zone
 *                 apex's A record (svc_unbound_apex_a);
 *   vpn-a-b-c-d   one per possible VPN peer address (a /32, more
 *                 specific, so a peer is never a cell client). In the
 *                 view of an active peer: the names it may not resolve as
 *                 `always_nxdomain` local zones, and the apex's A record
 *                 if it may use the web interface.
 * The apex's A sits in a `typetransparent` zone at the apex: unbound
 * answers from the view only a query for that name AND type, anything
 * else at or below the apex from the global zone.
 *
 * unbound cannot add views or access-control lines at run time, but it
 * can change what is inside an existing view: picd does that live for
 * each peer change (unbound_views_change), and the rendered file makes a
 * restart start right. */
#pragma once

#include "common/buf.h"
#include "svc_ops.h"

#define UNBOUND_VIEWS_CLIENTS "cell-clients"

/* The access-control-view lines (inside server:): cell-clients for each
 * of the `n` networks in `allowed` — exactly those of the
 * `access-control: ... allow` lines, as a view line for another netblock
 * would allow it — and a view for each peer address. */
int unbound_views_access(const struct svc_input *in, const struct ipv4_net *allowed, size_t n, struct buf *out);
/* The view: clauses (top level). */
int unbound_views_render(const struct svc_input *in, struct buf *out);

/* Live, through the control socket `sock`: makes the views of `before`
 * (NULL: new peer) and `after` (NULL: gone) say what `after` may
 * resolve in the zone of `cell`; a view of an address no active peer
 * holds is emptied. */
int unbound_views_change(const char *sock, const struct cell_config *cell, const struct vpn_peer *before,
			 const struct vpn_peer *after, int64_t now, char *err, size_t errlen);
