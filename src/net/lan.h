/* The host's side of the LAN: the IPv4 address and subnet of a network
 * interface in picd's namespace (the one DHCP serves). */
#pragma once

#include "svc/svc_ops.h"

/* Fills `ret` for `ifname`; ret->present is false (and 0 returned) when
 * the interface does not exist or has no IPv4 address. */
int lan_lookup(const char *ifname, struct lan_info *ret);
