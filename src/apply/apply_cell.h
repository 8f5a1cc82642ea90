/* The cell as a whole: bringing up the network and the services at start
 * (adopting daemons that are still running), re-addressing everything when
 * a pending network change is applied, and tearing it all down. */
#pragma once

#include <stddef.h>

struct daemon;
struct daemon_options;

/* Builds d->net from d->config for the available services. */
int apply_cell_plan(struct daemon *d);
/* At start: network up (idempotent: running services are undisturbed),
 * then each service adopted or (re)configured and started. Problems with
 * one service are logged and leave the rest running. */
int apply_cell_start(struct daemon *d, char *err, size_t errlen);
/* After ip_range/vpn_subnet changed in d->config: the network is
 * re-addressed and every service re-rendered and restarted as needed. */
int apply_cell_readdress(struct daemon *d, char *err, size_t errlen);
/* Stops every service (picd need not be running), removes links,
 * namespaces, the nft table and runtime files. */
int apply_cell_teardown(const struct daemon_options *o, char *err, size_t errlen);
