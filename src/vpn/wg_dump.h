/* The state of a WireGuard device (struct wg_device_state, which the
 * kernel client wg_netlink.h fills too), and the answer of a WireGuard
 * UAPI daemon (wireguard-go) parsed into it as it streams in. Every answer is "key=value" lines ending with
 * "errno=N\n" and an empty line; N is 0 or a negative errno (wireguard-go
 * writes -22 for EINVAL; a positive N is taken the same way). The answer
 * to "set=1" is that errno line alone. The answer to "get=1" first lists
 * the device, then each peer from its public_key= line on:
 *
 *   private_key=<hex>   (absent when the device has none)
 *   listen_port=N
 *   fwmark=N            (absent when 0)
 *   public_key=<hex>
 *   preshared_key=<hex> (64 zeros: none)
 *   protocol_version=1
 *   endpoint=IP:port | [IPv6]:port    (absent until known)
 *   last_handshake_time_sec=N
 *   last_handshake_time_nsec=N
 *   tx_bytes=N
 *   rx_bytes=N
 *   persistent_keepalive_interval=N
 *   allowed_ip=a.b.c.d/n | IPv6/n     (one line each, any number)
 *   errno=0
 *
 * Parsing is strict: known keys must carry well-formed values, device keys
 * come before the first peer, peer keys after a public_key line, and
 * nothing follows the final empty line. Unknown keys (made of a-z and _)
 * are skipped, so a newer daemon's additions do not break picd. Bytes are
 * fed in chunks of any size; no more than one line is held at a time, and
 * that line is wiped once read (the answer carries the private key). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wg_config.h"

#define WG_ENDPOINT_MAX 64          /* "[IPv6%scope]:port" and its NUL */
#define WG_DUMP_LINE_MAX 256        /* bytes of one answer line, without "\n" */
#define WG_DUMP_MAX (16u << 20)     /* bytes of one whole answer */

struct wg_peer_state {
	uint8_t public_key[WG_KEY_LEN];
	bool has_psk;
	uint8_t psk[WG_KEY_LEN]; /* a secret: wiped by wg_device_state_free() */
	char endpoint[WG_ENDPOINT_MAX]; /* as the daemon wrote it; "" if none yet */
	int64_t last_handshake; /* unix seconds; 0: never */
	uint64_t rx_bytes, tx_bytes;
	unsigned keepalive_s; /* 0: off */
	struct ipv4_net allowed[WG_ALLOWED_MAX]; /* in the daemon's order */
	size_t n_allowed;
	/* Allowed IPs not in `allowed`: IPv6 ones, and IPv4 ones past
	 * WG_ALLOWED_MAX. Non-zero means this peer differs from anything a
	 * struct wg_peer_config can say. */
	size_t n_allowed_unlisted;
};

struct wg_device_state {
	bool has_private_key;
	uint8_t public_key[WG_KEY_LEN]; /* derived from the private key, if any */
	uint16_t listen_port;
	uint32_t fwmark;
	struct wg_peer_state *peers; /* in the daemon's order */
	size_t n_peers;
	size_t cap_peers; /* the parser's: allocated entries */
};

/* Wipes the preshared keys, frees the peers and zeroes *st. NULL is a
 * no-op. */
void wg_device_state_free(struct wg_device_state *st);
/* Appends a peer with `key` and nothing else known yet (*ret, if not
 * NULL, points at it until the next append): 0, -ENOMEM, or -E2BIG past
 * any sensible number of peers. */
int wg_device_state_add_peer(struct wg_device_state *st, const uint8_t key[WG_KEY_LEN], struct wg_peer_state **ret);
/* Records one allowed IP of the peer: an IPv4 `net` in `allowed` while it
 * has room; NULL (an IPv6 one) or one past the room as unlisted. */
void wg_peer_state_add_allowed(struct wg_peer_state *peer, const struct ipv4_net *net);

struct wg_dump {
	struct wg_device_state *state; /* NULL: the answer to a set */
	char line[WG_DUMP_LINE_MAX + 1];
	size_t line_len;
	size_t total;
	bool in_peer;
	bool have_errno;
	bool done;
	int daemon_errno; /* positive: the N of "errno=-N"; 0 for success */
};

/* Ready to parse into `state` (zeroed by the caller; freed by the caller
 * with wg_device_state_free() whatever the outcome), or, with NULL, an
 * answer that must hold the errno line only. */
void wg_dump_init(struct wg_dump *d, struct wg_device_state *state);
/* Feeds the next `n` bytes. 0: more wanted; 1: the answer is complete (see
 * d->daemon_errno). -EPROTO malformed (also: bytes after the end), -E2BIG
 * over WG_DUMP_MAX, -ENOMEM. After an error the parser is spent. */
int wg_dump_feed(struct wg_dump *d, const char *data, size_t n);
/* Wipes the line buffer (the only copy of raw answer text kept). */
void wg_dump_wipe(struct wg_dump *d);

/* A whole answer in `text`: 0 and *ret_state (the caller frees it) when it
 * is complete and says errno=0; -N for errno=-N (*ret_state untouched); or
 * wg_dump_feed()'s errors, and -EPROTO when it stops before its end. */
int wg_dump_parse(const char *text, size_t len, struct wg_device_state *ret_state);
