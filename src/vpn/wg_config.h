/* What picd asks of a WireGuard device, whichever implements it (the
 * kernel over generic netlink, wg_netlink.h; wireguard-go over its UAPI
 * socket, wg_uapi.h): one peer's wanted state, and the checks every
 * request passes before anything is sent. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/cidr.h"
#include "wg_key.h"

#define WG_ALLOWED_MAX 8         /* IPv4 allowed IPs kept per peer */
#define WG_BATCH_MAX 65536u      /* peers set + removed in one request */

/* Everything picd decides about one peer. Applying it makes the device's
 * peer exactly this (allowed IPs replaced, preshared key cleared when
 * has_psk is false, keepalive 0 = off) and leaves the endpoint, the
 * session and the counters alone. */
struct wg_peer_config {
	uint8_t public_key[WG_KEY_LEN]; /* not all zero */
	bool has_psk;
	uint8_t psk[WG_KEY_LEN];
	struct ipv4_net allowed[WG_ALLOWED_MAX]; /* host order, host bits zero */
	size_t n_allowed;
	unsigned keepalive_s; /* 0..65535 */
};

/* A request to set `set[0..n_set)` and remove `remove[0..n_remove)`:
 * 0, -EINVAL (a NULL list with a count, an all-zero key, a bad allowed
 * IP or keepalive) or -E2BIG (over WG_BATCH_MAX), with a message in `err`
 * (may be NULL) naming the peer. */
int wg_config_check(const struct wg_peer_config *set, size_t n_set, const uint8_t (*remove)[WG_KEY_LEN],
		    size_t n_remove, char *err, size_t errlen);

/* snprintf into `err` when it is not NULL. */
void wg_set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
