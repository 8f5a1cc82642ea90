/* picd on the cell bridge: the proxy reaches the API and UI at the host's
 * bridge address (port DAEMON_CELL_PORT). Opened after the network is up
 * and again after a re-addressing; unnecessary (and skipped) when the main
 * listener already covers that address (0.0.0.0 on the same port). */
#pragma once

struct daemon;

int cell_listener_reopen(struct daemon *d);

/* The same, a moment later: for a request that may itself have come
 * through the current listener (its answer must get out first). */
void cell_listener_reopen_later(struct daemon *d);
