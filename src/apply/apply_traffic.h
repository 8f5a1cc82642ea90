/* The VPN's recent traffic (vpn/wg_traffic.h), read every
 * WG_TRAFFIC_INTERVAL_S whether anyone looks or not, so the dashboard has
 * ten minutes of history the moment it opens. The interface is read in
 * the queries worker (a few hundred ms at 10,000 peers: never in the
 * loop); the loop adds the reading. One reading at a time: a slow one
 * makes the next tick skip. */
#pragma once

struct daemon;

/* Starts the timer (d->traffic is allocated here). */
int apply_traffic_follow(struct daemon *d);
void apply_traffic_free(struct daemon *d);
