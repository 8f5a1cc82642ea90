/* The proxy follows the host's LAN addresses and name (net/host_access.h):
 * picd looks every APPLY_HOST_CHECK_MS (a DHCP client may renumber the
 * host at any time) and when the set changed re-applies the proxy, whose
 * leaf then names the new set (apply_tls.c) and whose web interface
 * answers for it (svc_caddy.c). Each change is logged with the HTTPS
 * addresses, so `make run` shows where to point a browser. */
#pragma once

struct daemon;

#define APPLY_HOST_CHECK_MS 5000

/* Looks up the host's access now (d->host_access), logs it, and starts the
 * timer. */
int apply_host_follow(struct daemon *d);

/* Looks again now (after the root CA changed); re-applies the proxy if
 * the set changed. */
void apply_host_refresh(struct daemon *d);
