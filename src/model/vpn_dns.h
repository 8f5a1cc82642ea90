/* The DNS side of a VPN peer's access (the firewall side is
 * vpn_access.h): every possible peer address has a view of its own in
 * unbound, and in it the names of the cell's services the peer was not
 * granted answer NXDOMAIN, and the zone's apex has no address unless the
 * peer was granted the web interface. Names are labels under the cell
 * zone, as the DNS service publishes them (svc_unbound.c). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vpn_peer.h"

#define VPN_VIEW_NAME_MAX 24 /* "vpn-255-255-255-255" */
#define VPN_HIDDEN_MAX 24

/* "vpn-10-0-0-2": the view of the peer address `addr`. */
void vpn_view_name(uint32_t addr, char out[VPN_VIEW_NAME_MAX]);

/* The labels `p` must not resolve: those of every service it was not
 * granted, and the cell's own plumbing (host, dhcp, vpn, proxy). Returns
 * the count; `out` points at static strings. */
size_t vpn_hidden_labels(const struct vpn_peer *p, const char *out[VPN_HIDDEN_MAX]);

/* Whether the zone's apex answers `p` with its address (the web
 * interface's): only if it was granted webui. The apex itself cannot
 * be hidden (that would hide the zone): without webui it is there with
 * its other records and no address. */
bool vpn_apex_visible(const struct vpn_peer *p);
