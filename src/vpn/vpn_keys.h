/* Making WireGuard keys: X25519 pairs with libsodium (the same public key
 * `wg pubkey` derives; encoding in wg_key.h), preshared keys, and the
 * server's private key kept in a file of its own (0600, never in an API
 * answer). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "model/vpn_peer.h"
#include "vpn/wg_key.h"

#define VPN_KEY_LEN WG_KEY_LEN

/* A new private key (clamped as `wg genkey` does) and its public key. */
void vpn_keypair(uint8_t priv[VPN_KEY_LEN], uint8_t pub[VPN_KEY_LEN]);
/* A random preshared key. */
void vpn_psk(uint8_t psk[VPN_KEY_LEN]);

/* Loads the server's private key from `path`, or creates it (0600, the
 * directory 0700) when missing; *ret_created says which. -EPERM for a
 * file group or others may read, -EBADMSG for one that holds no key. */
int vpn_server_key(const char *path, uint8_t priv[VPN_KEY_LEN], bool *ret_created);
