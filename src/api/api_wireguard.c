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
#include "vpn/wg_device.h"
#include "common/banned.h"

#define ONLINE_WITHIN_S 180 /* a handshake this recent: online */

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
		bool online = ps->last_handshake > 0 && now - ps->last_handshake <= ONLINE_WITHIN_S;
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
