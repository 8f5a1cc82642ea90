/* The VPN's recent traffic, kept in memory from successive readings of the
 * interface's counters (struct wg_device_state): a rate series for the
 * interface as a whole and for the busiest peers, each at most
 * WG_TRAFFIC_POINTS readings long.
 *
 * A rate is the counters' growth between two readings divided by the time
 * between them. A counter that went back (the peer was removed and added
 * again, the interface restarted) counts as no traffic for that reading.
 * Peers are followed from their first reading that carried traffic; when
 * WG_TRAFFIC_PEERS_MAX are followed, a busier newcomer takes the place of
 * the one that moved least over the window, and a followed peer that
 * moved nothing for a whole window, or left the interface, is dropped.
 *
 * Memory: the counters of every peer of the last reading (24 bytes each)
 * and WG_TRAFFIC_PEERS_MAX series; nothing grows with time. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wg_dump.h"

#define WG_TRAFFIC_INTERVAL_S 5
#define WG_TRAFFIC_POINTS 120 /* ten minutes of readings */
#define WG_TRAFFIC_PEERS_MAX 32
#define WG_ONLINE_WITHIN_S 180 /* a handshake this recent: online */

struct wg_traffic_series {
	/* Oldest first, n of them; t[] in unix seconds, rates in bytes/s. */
	int64_t t[WG_TRAFFIC_POINTS];
	uint64_t rx[WG_TRAFFIC_POINTS];
	uint64_t tx[WG_TRAFFIC_POINTS];
	size_t n;
};

struct wg_traffic_peer {
	uint8_t public_key[WG_KEY_LEN];
	struct wg_traffic_series s;
};

/* The counters of one peer at the last reading, sorted by key prefix. */
struct wg_traffic_counter {
	uint64_t key_prefix;
	uint64_t rx, tx;
};

struct wg_traffic {
	int64_t last_at; /* 0: no reading yet */
	size_t peers_total, peers_online;
	struct wg_traffic_series total;
	struct wg_traffic_peer peers[WG_TRAFFIC_PEERS_MAX];
	size_t n_peers;
	struct wg_traffic_counter *last;
	size_t n_last;
};

/* A reading of the interface taken at `at` (unix seconds). A reading not
 * later than the last one is ignored. -ENOMEM leaves the history as it
 * was. */
int wg_traffic_add(struct wg_traffic *t, const struct wg_device_state *st, int64_t at);
/* Bytes moved (rx + tx) over the series' window. */
uint64_t wg_traffic_series_bytes(const struct wg_traffic_series *s);
/* Indexes into t->peers, busiest over the window first, at most `max`;
 * returns how many. */
size_t wg_traffic_busiest(const struct wg_traffic *t, size_t *ret_idx, size_t max);
void wg_traffic_free(struct wg_traffic *t);
