/* WireGuard key encodings (see wg_key.h), on libsodium's constant-time
 * codecs. */
#include "wg_key.h"

#include <errno.h>
#include <string.h>
#include <sodium.h>

#include "common/banned.h"

/* A decoded key in `key` (wiped here): copied to ret_key when `ok`. */
static int decoded(bool ok, uint8_t key[WG_KEY_LEN], uint8_t ret_key[WG_KEY_LEN])
{
	if (ok)
		memcpy(ret_key, key, WG_KEY_LEN);
	sodium_memzero(key, WG_KEY_LEN);
	return ok ? 0 : -EINVAL;
}

int wg_key_from_base64(const char *s, uint8_t ret_key[WG_KEY_LEN])
{
	uint8_t key[WG_KEY_LEN];
	size_t len = strnlen(s, WG_KEY_B64_LEN + 1), bin_len = 0;
	const char *end = NULL;
	if (len != WG_KEY_B64_LEN || s[WG_KEY_B64_LEN - 1] != '=' || s[WG_KEY_B64_LEN - 2] == '=')
		return -EINVAL;
	int r = sodium_base642bin(key, sizeof(key), s, len, NULL, &bin_len, &end, sodium_base64_VARIANT_ORIGINAL);
	return decoded(r == 0 && bin_len == WG_KEY_LEN && end == s + len, key, ret_key);
}

void wg_key_to_base64(const uint8_t key[WG_KEY_LEN], char out[WG_KEY_B64_LEN + 1])
{
	sodium_bin2base64(out, WG_KEY_B64_LEN + 1, key, WG_KEY_LEN, sodium_base64_VARIANT_ORIGINAL);
}

int wg_key_from_hex(const char *s, size_t len, uint8_t ret_key[WG_KEY_LEN])
{
	uint8_t key[WG_KEY_LEN];
	size_t bin_len = 0;
	const char *end = NULL;
	if (len != WG_KEY_HEX_LEN)
		return -EINVAL;
	int r = sodium_hex2bin(key, sizeof(key), s, len, NULL, &bin_len, &end);
	return decoded(r == 0 && bin_len == WG_KEY_LEN && end == s + len, key, ret_key);
}

void wg_key_to_hex(const uint8_t key[WG_KEY_LEN], char out[WG_KEY_HEX_LEN + 1])
{
	sodium_bin2hex(out, WG_KEY_HEX_LEN + 1, key, WG_KEY_LEN);
}

void wg_key_public(const uint8_t private_key[WG_KEY_LEN], uint8_t ret_public_key[WG_KEY_LEN])
{
	crypto_scalarmult_curve25519_base(ret_public_key, private_key);
}

bool wg_key_is_zero(const uint8_t key[WG_KEY_LEN])
{
	return sodium_is_zero(key, WG_KEY_LEN) == 1;
}
