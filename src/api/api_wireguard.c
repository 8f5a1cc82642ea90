/* /api/wireguard: the VPN interface as it is now, read from the device
 * itself (the kernel's over netlink, or wireguard-go's UAPI), with the
 * store's names beside the keys. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "apply/apply_vpn.h"
#include "daemon.h"
#include "handlers.h"
#include "model/ipplan.h"
#include "store/store_vpn.h"
#include "svc/svc_wireguard.h"
#include "common/strparse.h"
#include "vpn/wg_device.h"
#include "vpn/wg_traffic.h"
#include "common/banned.h"

#define TRAFFIC_PEERS_DEFAULT 8

/* The device's state; -ENODEV when wireguard-go does not run. */
static int device(struct daemon *d, struct wg_device_state *st, char *err, size_t errlen)
{
	struct wg_device dev;
	if (apply_vpn_device(d, &dev) < 0) {
		snprintf(err, errlen, "the VPN daemon is not running");
		return -ENODEV;
	}
	return wg_device_get(&dev, st, err, errlen);
}

HANDLER(api_wireguard_status)
{
	char pub[45], err[256] = "", addr[IPV4_STR_MAX];
	int r = apply_vpn_public_key(d, pub, err, sizeof(err));
	if (r < 0)
		return http_error(res, 500, "no_server_key", NULL, "%s", err);
	ipv4_format(ipplan_vpn_server(&d->config.vpn_subnet), addr);
	struct wg_device_state st = { 0 };
	r = device(d, &st, err, sizeof(err));
	json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:b}", "interface", SVC_WG_IFNAME, "backend",
				wg_backend_name(d->vpn_backend), "public_key", pub, "address", addr, "prefix",
				d->config.vpn_subnet.prefix, "listen_port", d->config.wireguard_port, "running", r == 0);
	if (r == 0)
		json_object_set_new(doc, "peers", json_integer((json_int_t)st.n_peers));
	else
		json_object_set_new(doc, "error", json_string(err));
	wg_device_state_free(&st);
	return http_reply(res, 200, doc);
}

HANDLER(api_wireguard_peers)
{
	char err[256] = "";
	struct wg_device_state st = { 0 };
	int r = device(d, &st, err, sizeof(err));
	if (r == -ENODEV)
		return http_error(res, 503, "vpn_not_running", NULL, "%s", err);
	if (r < 0)
		return http_error(res, 502, "vpn_unreachable", NULL, "%s", err);
	struct vpn_peer *peers = NULL;
	size_t n = 0;
	r = store_vpn_peer_list(d->store, &peers, &n);
	if (r < 0) {
		wg_device_state_free(&st);
		return r;
	}
	int64_t now = time(NULL);
	json_t *list = json_array();
	for (size_t i = 0; list && i < st.n_peers; i++) {
		const struct wg_peer_state *ps = &st.peers[i];
		char key[WG_KEY_B64_LEN + 1];
		wg_key_to_base64(ps->public_key, key);
		const char *name = NULL;
		for (size_t j = 0; j < n && !name; j++)
			if (strcmp(peers[j].public_key, key) == 0)
				name = peers[j].name;
		bool online = ps->last_handshake > 0 && now - ps->last_handshake <= WG_ONLINE_WITHIN_S;
		json_array_append_new(list, json_pack("{s:s?, s:s, s:s?, s:o, s:I, s:I, s:b}", "name", name, "public_key",
						      key, "endpoint", ps->endpoint[0] ? ps->endpoint : NULL,
						      "last_handshake", ps->last_handshake ? json_integer(ps->last_handshake)
											   : json_null(),
						      "rx_bytes", (json_int_t)ps->rx_bytes, "tx_bytes",
						      (json_int_t)ps->tx_bytes, "online", online));
	}
	store_vpn_peers_free(peers, n);
	wg_device_state_free(&st);
	return http_reply(res, 200, json_pack("{s:o}", "peers", list));
}

static json_t *series_json(const struct wg_traffic_series *s)
{
	json_t *t = json_array(), *rx = json_array(), *tx = json_array();
	for (size_t i = 0; t && rx && tx && i < s->n; i++) {
		json_array_append_new(t, json_integer(s->t[i]));
		json_array_append_new(rx, json_integer((json_int_t)s->rx[i]));
		json_array_append_new(tx, json_integer((json_int_t)s->tx[i]));
	}
	return json_pack("{s:o, s:o, s:o}", "t", t, "rx", rx, "tx", tx);
}

static const char *peer_name(const struct vpn_peer *peers, size_t n, const char *key)
{
	for (size_t j = 0; j < n; j++)
		if (strcmp(peers[j].public_key, key) == 0)
			return peers[j].name;
	return NULL;
}

/* The history picd keeps (apply_traffic.h): the interface's total and the
 * busiest peers, rates in bytes/s, with the store's names. */
HANDLER(api_wireguard_traffic)
{
	uint32_t limit = TRAFFIC_PEERS_DEFAULT;
	const char *q = http_request_query(req, "limit");
	if (q && parse_u32(q, 0, WG_TRAFFIC_PEERS_MAX, &limit) < 0)
		return http_error(res, 400, "invalid_field", "limit", "limit must be a number from 0 to %d",
				  WG_TRAFFIC_PEERS_MAX);
	const struct wg_traffic *t = d->traffic;
	size_t idx[WG_TRAFFIC_PEERS_MAX];
	size_t shown = wg_traffic_busiest(t, idx, limit);
	struct vpn_peer *peers = NULL;
	size_t n = 0;
	int r = shown ? store_vpn_peer_list(d->store, &peers, &n) : 0;
	if (r < 0)
		return r;
	json_t *list = json_array();
	for (size_t i = 0; list && i < shown; i++) {
		const struct wg_traffic_peer *p = &t->peers[idx[i]];
		char key[WG_KEY_B64_LEN + 1];
		wg_key_to_base64(p->public_key, key);
		json_t *s = series_json(&p->s);
		json_object_set_new(s, "public_key", json_string(key));
		const char *name = peer_name(peers, n, key);
		json_object_set_new(s, "name", name ? json_string(name) : json_null());
		json_object_set_new(s, "bytes", json_integer((json_int_t)wg_traffic_series_bytes(&p->s)));
		json_array_append_new(list, s);
	}
	store_vpn_peers_free(peers, n);
	json_t *doc = json_pack("{s:i, s:i, s:o, s:I, s:I, s:o, s:o}", "interval_s", WG_TRAFFIC_INTERVAL_S, "points",
				WG_TRAFFIC_POINTS, "read_at", t->last_at ? json_integer(t->last_at) : json_null(),
				"peers_total", (json_int_t)t->peers_total, "peers_online", (json_int_t)t->peers_online,
				"total", series_json(&t->total), "peers", list);
	return http_reply(res, 200, doc);
}
