/* Secrets on top of libsodium. */
#include "secret.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>

#include "banned.h"

int secret_init(void)
{
	return sodium_init() < 0 ? -EIO : 0;
}

int secret_random_token(const char *prefix, size_t nbytes, char *out, size_t outlen)
{
	unsigned char raw[64];
	size_t plen = strlen(prefix);
	if (nbytes > sizeof(raw))
		return -EINVAL;
	size_t need = plen + sodium_base64_ENCODED_LEN(nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (need > outlen)
		return -ENOBUFS;
	randombytes_buf(raw, nbytes);
	memcpy(out, prefix, plen);
	sodium_bin2base64(out + plen, outlen - plen, raw, nbytes,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

void secret_hash_hex(const char *s, char out[SECRET_HASH_HEX_LEN + 1])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)s, strlen(s), NULL, 0);
	sodium_bin2hex(out, SECRET_HASH_HEX_LEN + 1, h, sizeof(h));
}

bool secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}
