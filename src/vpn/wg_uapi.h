/* picd's own client of the WireGuard cross-platform userspace API
 * (https://www.wireguard.com/xplatform/), spoken by wireguard-go on
 * /run/wireguard/<ifname>.sock; no `wg` process. One connection per
 * request, and one deadline for the whole exchange:
 *
 *   -> "set=1\n" key=value lines "\n"     <- "errno=N\n\n"
 *   -> "get=1\n\n"                        <- key=value lines "errno=N\n\n"
 *
 * Keys travel in lowercase hex. A set changes only what it names: device
 * settings, and each peer introduced by its public_key= line, so the
 * functions here never send replace_peers and never disturb the sessions
 * of peers they do not name (`wg setconf` would: ~13 s outage). The
 * daemon applies a set line by line under its configuration lock and
 * stops at the first bad line, so a set that fails, or whose answer times
 * out, may have applied a prefix of itself; every request built here is
 * idempotent, and sending it again is the way to recover.
 *
 * wireguard-go's quirks, seen with 0.0.20220316: the answer is followed by
 * nothing (the daemon waits for another request on the same connection,
 * so the end is the errno line, not EOF); errno is written negative
 * (errno=-22); an unknown request line closes the connection without an
 * answer; a peer whose public key is the device's own is silently
 * ignored (and a new private key removes the peer that has its public
 * key); allowed_ip values are masked to their prefix; an allowed IP owned
 * by another peer moves to the peer that names it last.
 *
 * Errors (negative errno; a message in `err`, which may be NULL):
 *   -EINVAL          a bad argument (named in `err`); nothing was sent
 *   -E2BIG           more than WG_BATCH_MAX peers, or an answer
 *                    larger than WG_DUMP_MAX
 *   -ENOENT, -ECONNREFUSED   no daemon at `sock`
 *   -ETIMEDOUT       no complete answer within `timeout_ms`
 *   -EPROTO          a malformed answer, or the connection closed before
 *                    the answer's end
 *   -N               the daemon answered errno=-N (e.g. -EADDRINUSE for a
 *                    listen port taken while the interface is up, -EINVAL
 *                    for a line it refused)
 * or another -errno from the socket calls. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wg_config.h"
#include "wg_dump.h"

#define WG_UAPI_SOCK_DIR "/run/wireguard"
#define WG_UAPI_TIMEOUT_MS 2000u   /* a sensible limit for one peer or a get */

/* "/run/wireguard/<ifname>.sock"; -EINVAL for a name that is not a valid
 * interface name (1..15 of [A-Za-z0-9_.-]), -ENAMETOOLONG if outlen is
 * too small. */
int wg_uapi_sock_path(const char *ifname, char *out, size_t outlen);

/* Sets the private key and listen port (0: the daemon picks one); sends
 * no peer line. Setting the key the device already has is a no-op for the
 * daemon; a new key ends every session. */
int wg_uapi_set_device(const char *sock, const uint8_t private_key[WG_KEY_LEN], uint16_t listen_port,
		       unsigned timeout_ms, char *err, size_t errlen);

/* Adds the peer, or updates it in place (its session survives). */
int wg_uapi_set_peer(const char *sock, const struct wg_peer_config *peer, unsigned timeout_ms, char *err,
		     size_t errlen);

/* Removes the peer; removing one the device does not have succeeds. */
int wg_uapi_remove_peer(const char *sock, const uint8_t public_key[WG_KEY_LEN], unsigned timeout_ms, char *err,
			size_t errlen);

/* One request: first removes `remove[0..n_remove)`, then sets
 * `set[0..n_set)` in order (a key set twice ends as its last config).
 * Other peers are untouched. Every config is checked before anything is
 * sent. For a re-apply after a restart, pass every peer picd knows. */
int wg_uapi_apply(const char *sock, const struct wg_peer_config *set, size_t n_set,
		  const uint8_t (*remove)[WG_KEY_LEN], size_t n_remove, unsigned timeout_ms, char *err,
		  size_t errlen);

/* The device as the daemon sees it now. *ret is written only on success
 * and freed by the caller with wg_device_state_free(). */
int wg_uapi_get(const char *sock, struct wg_device_state *ret, unsigned timeout_ms, char *err, size_t errlen);
