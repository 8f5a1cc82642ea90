/* The VPN's recent traffic (see wg_traffic.h). */
#include "wg_traffic.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

static uint64_t key_prefix(const uint8_t key[WG_KEY_LEN])
{
	uint64_t p = 0;
	for (size_t i = 0; i < sizeof(p); i++)
		p = p << 8 | key[i];
	return p;
}

static int counter_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct wg_traffic_counter *)a)->key_prefix;
	uint64_t y = ((const struct wg_traffic_counter *)b)->key_prefix;
	return x < y ? -1 : x > y;
}

static void series_push(struct wg_traffic_series *s, int64_t at, uint64_t rx, uint64_t tx)
{
	if (s->n == WG_TRAFFIC_POINTS) {
		memmove(s->t, s->t + 1, (WG_TRAFFIC_POINTS - 1) * sizeof(s->t[0]));
		memmove(s->rx, s->rx + 1, (WG_TRAFFIC_POINTS - 1) * sizeof(s->rx[0]));
		memmove(s->tx, s->tx + 1, (WG_TRAFFIC_POINTS - 1) * sizeof(s->tx[0]));
		s->n--;
	}
	s->t[s->n] = at;
	s->rx[s->n] = rx;
	s->tx[s->n] = tx;
	s->n++;
}

uint64_t wg_traffic_series_bytes(const struct wg_traffic_series *s)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < s->n; i++) {
		int64_t dt = i ? s->t[i] - s->t[i - 1] : WG_TRAFFIC_INTERVAL_S;
		sum += (s->rx[i] + s->tx[i]) * (uint64_t)dt;
	}
	return sum;
}

static ssize_t followed(const struct wg_traffic *t, const uint8_t key[WG_KEY_LEN])
{
	for (size_t i = 0; i < t->n_peers; i++)
		if (memcmp(t->peers[i].public_key, key, WG_KEY_LEN) == 0)
			return (ssize_t)i;
	return -1;
}

/* The slot a newcomer takes whose first point weighs `bytes` (as
 * wg_traffic_series_bytes counts it): a free one, else the one that moved
 * least over the window if that is less; -1 when it is not busy enough. */
static ssize_t slot_for(const struct wg_traffic *t, uint64_t bytes)
{
	if (t->n_peers < WG_TRAFFIC_PEERS_MAX)
		return (ssize_t)t->n_peers;
	ssize_t least = -1;
	uint64_t least_bytes = bytes;
	for (size_t i = 0; i < t->n_peers; i++) {
		uint64_t b = wg_traffic_series_bytes(&t->peers[i].s);
		if (b < least_bytes) {
			least = (ssize_t)i;
			least_bytes = b;
		}
	}
	return least;
}

/* Drops the followed peers not in this reading, and those that moved
 * nothing for a whole window. */
static void forget(struct wg_traffic *t, const bool *seen)
{
	size_t kept = 0;
	for (size_t i = 0; i < t->n_peers; i++) {
		const struct wg_traffic_series *s = &t->peers[i].s;
		if (!seen[i] || (s->n == WG_TRAFFIC_POINTS && wg_traffic_series_bytes(s) == 0))
			continue;
		if (kept != i)
			t->peers[kept] = t->peers[i];
		kept++;
	}
	t->n_peers = kept;
}

static uint64_t grown(uint64_t now, uint64_t before)
{
	return now >= before ? now - before : 0;
}

int wg_traffic_add(struct wg_traffic *t, const struct wg_device_state *st, int64_t at)
{
	if (t->last_at && at <= t->last_at)
		return 0;
	struct wg_traffic_counter *now = NULL;
	if (st->n_peers) {
		now = calloc(st->n_peers, sizeof(*now));
		if (!now)
			return -ENOMEM;
	}
	for (size_t i = 0; i < st->n_peers; i++)
		now[i] = (struct wg_traffic_counter){ key_prefix(st->peers[i].public_key), st->peers[i].rx_bytes,
						      st->peers[i].tx_bytes };
	if (st->n_peers > 1)
		qsort(now, st->n_peers, sizeof(*now), counter_cmp);

	int64_t dt = t->last_at ? at - t->last_at : 0;
	uint64_t total_rx = 0, total_tx = 0;
	size_t online = 0;
	bool seen[WG_TRAFFIC_PEERS_MAX] = { false };
	for (size_t i = 0; i < st->n_peers; i++) {
		const struct wg_peer_state *ps = &st->peers[i];
		if (ps->last_handshake > 0 && at - ps->last_handshake <= WG_ONLINE_WITHIN_S)
			online++;
		if (!dt)
			continue;
		struct wg_traffic_counter key = { .key_prefix = key_prefix(ps->public_key) };
		const struct wg_traffic_counter *prev =
			t->n_last ? bsearch(&key, t->last, t->n_last, sizeof(key), counter_cmp) : NULL;
		uint64_t rx = prev ? grown(ps->rx_bytes, prev->rx) : 0;
		uint64_t tx = prev ? grown(ps->tx_bytes, prev->tx) : 0;
		total_rx += rx;
		total_tx += tx;
		ssize_t idx = followed(t, ps->public_key);
		uint64_t rx_rate = rx / (uint64_t)dt, tx_rate = tx / (uint64_t)dt;
		if (idx < 0 && rx_rate + tx_rate > 0 &&
		    (idx = slot_for(t, (rx_rate + tx_rate) * WG_TRAFFIC_INTERVAL_S)) >= 0) {
			if ((size_t)idx == t->n_peers)
				t->n_peers++;
			memset(&t->peers[idx], 0, sizeof(t->peers[idx]));
			memcpy(t->peers[idx].public_key, ps->public_key, WG_KEY_LEN);
		}
		if (idx >= 0) {
			series_push(&t->peers[idx].s, at, rx_rate, tx_rate);
			seen[idx] = true;
		}
	}
	if (dt) {
		series_push(&t->total, at, total_rx / (uint64_t)dt, total_tx / (uint64_t)dt);
		forget(t, seen);
	}
	free(t->last);
	t->last = now;
	t->n_last = st->n_peers;
	t->last_at = at;
	t->peers_total = st->n_peers;
	t->peers_online = online;
	return 0;
}

size_t wg_traffic_busiest(const struct wg_traffic *t, size_t *ret_idx, size_t max)
{
	uint64_t bytes[WG_TRAFFIC_PEERS_MAX];
	size_t n = 0;
	for (size_t i = 0; i < t->n_peers; i++)
		bytes[i] = wg_traffic_series_bytes(&t->peers[i].s);
	/* Selection by insertion: at most WG_TRAFFIC_PEERS_MAX of them. */
	for (size_t i = 0; i < t->n_peers; i++) {
		size_t j = n < max ? n++ : max;
		while (j > 0 && bytes[ret_idx[j - 1]] < bytes[i]) {
			if (j < max)
				ret_idx[j] = ret_idx[j - 1];
			j--;
		}
		if (j < max)
			ret_idx[j] = i;
	}
	return n;
}

void wg_traffic_free(struct wg_traffic *t)
{
	free(t->last);
	t->last = NULL;
	t->n_last = 0;
}
