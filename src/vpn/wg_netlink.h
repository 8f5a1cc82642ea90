/* picd's own client of the kernel's WireGuard device: generic netlink,
 * family "wireguard" (linux/wireguard.h), the requests `wg` makes but
 * without spawning it. It does what wg_uapi.h does for wireguard-go, with
 * the same meaning (wg_config.h) and the same answer (wg_dump.h), so
 * everything above it is shared:
 *
 *   WG_CMD_SET_DEVICE  device: private key, listen port; peers: each
 *                      added or updated in place (REPLACE_ALLOWEDIPS,
 *                      the preshared key always sent, zero = none), or
 *                      removed (REMOVE_ME). Never REPLACE_PEERS: peers
 *                      a request does not name keep their sessions.
 *   WG_CMD_GET_DEVICE  a dump: the device's attributes in its first
 *                      message, its peers across as many messages as
 *                      they need (a peer's allowed IPs may continue in
 *                      the next message under the same public key).
 *
 * A request larger than WG_NL_MSG_MAX is sent as several, removals
 * first, each acknowledged before the next; the kernel applies each
 * whole, and every request is idempotent, so sending all again recovers
 * from one that failed halfway. Replies are read into a buffer of picd's
 * own that is wiped (the answer carries the private and preshared keys),
 * and acknowledgements do not echo requests (NETLINK_CAP_ACK).
 *
 * Errors (negative errno; a message in `err`, which may be NULL):
 *   -EOPNOTSUPP   this kernel has no WireGuard
 *   -ENODEV       no interface `ifname`
 *   -EINVAL, -E2BIG   as wg_config_check(); nothing was sent
 *   -EPROTO       a malformed answer
 * or the kernel's own -errno. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "wg_config.h"
#include "wg_dump.h"

#define WG_NL_MSG_MAX 16384u /* bytes of one request */

int wg_nl_get(const char *ifname, struct wg_device_state *ret, char *err, size_t errlen);
int wg_nl_set_device(const char *ifname, const uint8_t private_key[WG_KEY_LEN], uint16_t listen_port, char *err,
		     size_t errlen);
int wg_nl_apply(const char *ifname, const struct wg_peer_config *set, size_t n_set,
		const uint8_t (*remove)[WG_KEY_LEN], size_t n_remove, char *err, size_t errlen);

/* The pure halves, for tests. */
struct nl_msg;
struct nlmsghdr;
/* Builds the WG_CMD_SET_DEVICE requests for an apply (checked first) and
 * hands each to `emit`, which returns 0 or stops the build with its
 * -errno; the message is wiped and freed after it returns. */
int wg_nl_build_apply(int family, const char *ifname, const struct wg_peer_config *set, size_t n_set,
		      const uint8_t (*remove)[WG_KEY_LEN], size_t n_remove,
		      int (*emit)(struct nl_msg *msg, void *cls), void *cls, char *err, size_t errlen);
/* Adds one message of a WG_CMD_GET_DEVICE dump to `st`: 0, -EPROTO,
 * -ENOMEM or -E2BIG. */
int wg_nl_parse(const struct nlmsghdr *nlh, struct wg_device_state *st);
