/* Random serial numbers and their hex text form. */
#include "pki_serial.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/rand.h>

#include "pki/pki_ossl.h"
#include "common/banned.h"

#define SERIAL_BYTES 16

int pki_serial_random(ASN1_INTEGER **ret_serial)
{
	unsigned char raw[SERIAL_BYTES];
	bool zero;
	do {
		if (RAND_bytes(raw, sizeof(raw)) != 1) {
			ERR_clear_error();
			return -EIO;
		}
		zero = true;
		for (size_t i = 0; i < sizeof(raw); i++)
			zero = zero && raw[i] == 0;
	} while (zero);

	/* BN_bin2bn reads the bytes as an unsigned (so positive) integer. */
	_cleanup_(BN_freep) BIGNUM *bn = BN_bin2bn(raw, sizeof(raw), NULL);
	ASN1_INTEGER *s = bn ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
	if (!s) {
		ERR_clear_error();
		return -ENOMEM;
	}
	*ret_serial = s;
	return 0;
}

int pki_serial_to_hex(const ASN1_INTEGER *s, char out[PKI_SERIAL_HEX_MAX])
{
	_cleanup_(BN_freep) BIGNUM *bn = ASN1_INTEGER_to_BN(s, NULL);
	if (!bn) {
		ERR_clear_error();
		return -EINVAL;
	}
	if (BN_is_negative(bn) || BN_is_zero(bn))
		return -EINVAL;
	char *hex = BN_bn2hex(bn);
	if (!hex) {
		ERR_clear_error();
		return -ENOMEM;
	}
	size_t len = strlen(hex);
	int r = 0;
	if (len >= PKI_SERIAL_HEX_MAX) {
		r = -E2BIG;
	} else {
		for (size_t i = 0; i <= len; i++)
			out[i] = (hex[i] >= 'A' && hex[i] <= 'F') ? (char)(hex[i] - 'A' + 'a') : hex[i];
	}
	OPENSSL_free(hex);
	return r;
}

int pki_serial_from_hex(const char *hex, ASN1_INTEGER **ret_serial)
{
	size_t len = strnlen(hex, PKI_SERIAL_HEX_MAX);
	if (len == 0 || len >= PKI_SERIAL_HEX_MAX || strspn(hex, "0123456789abcdefABCDEF") != len)
		return -EINVAL;
	BIGNUM *raw = NULL;
	if (BN_hex2bn(&raw, hex) != (int)len) {
		BN_free(raw);
		ERR_clear_error();
		return -EINVAL;
	}
	_cleanup_(BN_freep) BIGNUM *bn = raw;
	if (BN_is_zero(bn))
		return -EINVAL;
	ASN1_INTEGER *s = BN_to_ASN1_INTEGER(bn, NULL);
	if (!s) {
		ERR_clear_error();
		return -ENOMEM;
	}
	*ret_serial = s;
	return 0;
}
