/* WireGuard keys: 32 bytes (Curve25519), shown to people in standard
 * base64 with padding (44 characters, as `wg genkey`/`wg pubkey` print
 * them) and written on the UAPI socket in lowercase hex. Private keys and
 * preshared keys are secrets: callers keep them in fixed arrays and wipe
 * them with sodium_memzero. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WG_KEY_LEN 32
#define WG_KEY_B64_LEN 44 /* without the NUL */
#define WG_KEY_HEX_LEN 64 /* without the NUL */

/* Exactly 44 characters of standard base64 ending in one '=' that decode
 * to 32 bytes, with no whitespace and no stray bits in the last digit;
 * anything else is -EINVAL. */
int wg_key_from_base64(const char *s, uint8_t ret_key[WG_KEY_LEN]);
void wg_key_to_base64(const uint8_t key[WG_KEY_LEN], char out[WG_KEY_B64_LEN + 1]);

/* Exactly WG_KEY_HEX_LEN hex digits in `s[0..len)` (either case), else
 * -EINVAL. */
int wg_key_from_hex(const char *s, size_t len, uint8_t ret_key[WG_KEY_LEN]);
void wg_key_to_hex(const uint8_t key[WG_KEY_LEN], char out[WG_KEY_HEX_LEN + 1]);

/* The public key of a private key (clamped as X25519 does, so the same as
 * `wg pubkey`). */
void wg_key_public(const uint8_t private_key[WG_KEY_LEN], uint8_t ret_public_key[WG_KEY_LEN]);

/* All zero: the UAPI's "no key" (no private key, no preshared key). */
bool wg_key_is_zero(const uint8_t key[WG_KEY_LEN]);
