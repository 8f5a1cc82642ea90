/* The VPN's traffic history: rates from successive readings, a counter
 * that went back counts as nothing, the interface's total, the busiest
 * peers followed within the bound, idle and departed peers dropped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vpn/wg_traffic.h"
#include "common/banned.h"

#define MAX_PEERS 64

struct reading {
	struct wg_device_state st;
	struct wg_peer_state peers[MAX_PEERS];
};

static void key_of(unsigned id, uint8_t key[WG_KEY_LEN])
{
	memset(key, 0, WG_KEY_LEN);
	key[0] = (uint8_t)(id >> 8);
	key[1] = (uint8_t)id;
	key[31] = 0x5a;
}

/* Peers 1..n with the given counters (rx, tx pairs). */
static struct reading *reading(size_t n, const uint64_t *counters, int64_t handshake)
{
	struct reading *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	r->st.peers = r->peers;
	r->st.n_peers = n;
	for (size_t i = 0; i < n; i++) {
		key_of((unsigned)i + 1, r->peers[i].public_key);
		r->peers[i].rx_bytes = counters[2 * i];
		r->peers[i].tx_bytes = counters[2 * i + 1];
		r->peers[i].last_handshake = handshake;
	}
	return r;
}

static void add(struct wg_traffic *t, size_t n, const uint64_t *counters, int64_t at)
{
	struct reading *r = reading(n, counters, at - 10);
	assert_int_equal(wg_traffic_add(t, &r->st, at), 0);
	free(r);
}

static ssize_t find(const struct wg_traffic *t, unsigned id)
{
	uint8_t key[WG_KEY_LEN];
	key_of(id, key);
	for (size_t i = 0; i < t->n_peers; i++)
		if (memcmp(t->peers[i].public_key, key, WG_KEY_LEN) == 0)
			return (ssize_t)i;
	return -1;
}

static void test_rates_between_readings(void **state)
{
	struct wg_traffic t = { 0 };
	add(&t, 2, (uint64_t[]){ 1000, 500, 7, 7 }, 100);
	assert_int_equal(t.total.n, 0); /* one reading: no rate yet */
	assert_int_equal(t.n_peers, 0);
	assert_int_equal(t.peers_total, 2);
	assert_int_equal(t.peers_online, 2);
	add(&t, 2, (uint64_t[]){ 6000, 1500, 7, 7 }, 105);
	assert_int_equal(t.total.n, 1);
	assert_int_equal(t.total.t[0], 105);
	assert_int_equal(t.total.rx[0], 1000);
	assert_int_equal(t.total.tx[0], 200);
	/* Peer 2 moved nothing: not followed. */
	assert_int_equal(t.n_peers, 1);
	ssize_t i = find(&t, 1);
	assert_true(i >= 0);
	assert_int_equal(t.peers[i].s.rx[0], 1000);
	assert_int_equal(wg_traffic_series_bytes(&t.peers[i].s), (1000 + 200) * WG_TRAFFIC_INTERVAL_S);
	wg_traffic_free(&t);
}

static void test_a_counter_that_went_back_is_no_traffic(void **state)
{
	struct wg_traffic t = { 0 };
	add(&t, 1, (uint64_t[]){ 5000, 5000 }, 100);
	add(&t, 1, (uint64_t[]){ 100, 6000 }, 110); /* rx reset: re-added peer */
	assert_int_equal(t.total.rx[0], 0);
	assert_int_equal(t.total.tx[0], 100);
	/* A reading not later than the last is ignored. */
	add(&t, 1, (uint64_t[]){ 900000, 900000 }, 110);
	assert_int_equal(t.total.n, 1);
	wg_traffic_free(&t);
}

static void test_a_new_peer_starts_from_its_first_reading(void **state)
{
	struct wg_traffic t = { 0 };
	add(&t, 1, (uint64_t[]){ 0, 0 }, 100);
	/* Peer 2 appears with counters already high: no baseline, no rate. */
	add(&t, 2, (uint64_t[]){ 0, 0, 1u << 30, 1u << 30 }, 105);
	assert_int_equal(t.total.rx[0], 0);
	assert_int_equal(t.n_peers, 0);
	add(&t, 2, (uint64_t[]){ 0, 0, (1u << 30) + 50, 1u << 30 }, 110);
	assert_int_equal(t.total.rx[1], 10);
	assert_true(find(&t, 2) >= 0);
	wg_traffic_free(&t);
}

static void test_the_busiest_are_followed_within_the_bound(void **state)
{
	struct wg_traffic t = { 0 };
	size_t n = WG_TRAFFIC_PEERS_MAX + 8;
	uint64_t c[2 * MAX_PEERS] = { 0 };
	add(&t, n, c, 100);
	/* Peer i+1 moves (i+1)*10 bytes per reading. */
	for (size_t i = 0; i < n; i++)
		c[2 * i] = (i + 1) * 10;
	add(&t, n, c, 101);
	assert_int_equal(t.n_peers, WG_TRAFFIC_PEERS_MAX);
	/* The first come were followed; the busier newcomers took the
	 * places of the quietest. */
	for (unsigned id = (unsigned)n; id > n - 8; id--)
		assert_true(find(&t, id) >= 0);
	for (unsigned id = 1; id <= 8; id++)
		assert_true(find(&t, id) < 0);
	size_t idx[WG_TRAFFIC_PEERS_MAX];
	assert_int_equal(wg_traffic_busiest(&t, idx, 3), 3);
	uint8_t key[WG_KEY_LEN];
	key_of((unsigned)n, key);
	assert_memory_equal(t.peers[idx[0]].public_key, key, WG_KEY_LEN);
	key_of((unsigned)n - 2, key);
	assert_memory_equal(t.peers[idx[2]].public_key, key, WG_KEY_LEN);
	assert_int_equal(wg_traffic_busiest(&t, idx, WG_TRAFFIC_PEERS_MAX), WG_TRAFFIC_PEERS_MAX);
	for (size_t i = 1; i < WG_TRAFFIC_PEERS_MAX; i++)
		assert_true(wg_traffic_series_bytes(&t.peers[idx[i - 1]].s) >=
			    wg_traffic_series_bytes(&t.peers[idx[i]].s));
	wg_traffic_free(&t);
}

static void test_idle_and_departed_peers_are_dropped(void **state)
{
	struct wg_traffic t = { 0 };
	add(&t, 2, (uint64_t[]){ 0, 0, 0, 0 }, 100);
	add(&t, 2, (uint64_t[]){ 100, 0, 100, 0 }, 105);
	assert_int_equal(t.n_peers, 2);
	/* Peer 2 leaves the interface. */
	add(&t, 1, (uint64_t[]){ 200, 0 }, 110);
	assert_int_equal(t.n_peers, 1);
	assert_true(find(&t, 1) >= 0);
	assert_int_equal(t.peers_total, 1);
	/* Peer 1 goes quiet: kept while its window holds traffic, dropped
	 * once a whole window moved nothing; the series stays bounded. */
	int64_t at = 110;
	for (size_t i = 0; i < WG_TRAFFIC_POINTS - 1; i++)
		add(&t, 1, (uint64_t[]){ 200, 0 }, at += 5);
	assert_int_equal(t.n_peers, 1);
	assert_int_equal(t.peers[0].s.n, WG_TRAFFIC_POINTS);
	add(&t, 1, (uint64_t[]){ 200, 0 }, at += 5);
	assert_int_equal(t.n_peers, 0);
	assert_int_equal(t.total.n, WG_TRAFFIC_POINTS);
	assert_int_equal(t.total.t[WG_TRAFFIC_POINTS - 1], at);
	wg_traffic_free(&t);
}

static void test_online_counts_recent_handshakes(void **state)
{
	struct wg_traffic t = { 0 };
	struct reading *r = reading(3, (uint64_t[]){ 0, 0, 0, 0, 0, 0 }, 0);
	r->peers[0].last_handshake = 1000 - WG_ONLINE_WITHIN_S;
	r->peers[1].last_handshake = 1000 - WG_ONLINE_WITHIN_S - 1;
	assert_int_equal(wg_traffic_add(&t, &r->st, 1000), 0);
	assert_int_equal(t.peers_online, 1);
	assert_int_equal(t.peers_total, 3);
	free(r);
	wg_traffic_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates_between_readings),
		cmocka_unit_test(test_a_counter_that_went_back_is_no_traffic),
		cmocka_unit_test(test_a_new_peer_starts_from_its_first_reading),
		cmocka_unit_test(test_the_busiest_are_followed_within_the_bound),
		cmocka_unit_test(test_idle_and_departed_peers_are_dropped),
		cmocka_unit_test(test_online_counts_recent_handshakes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
