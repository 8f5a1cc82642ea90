/* DKIM signing keys: RSA 2048 (what every verifier takes; RFC 8463's
 * Ed25519 is not yet), the private key as PEM for opendkim and the
 * public key as the base64 of its SubjectPublicKeyInfo for the DNS. */
#pragma once

#include <stddef.h>

#include "common/buf.h"

#define PKI_DKIM_BITS 2048

/* A new key's PEM (PKCS#8) into `pem`. Takes ~0.1 s. */
int pki_dkim_generate(struct buf *pem, char *err, size_t errlen);
/* The public half of the key in `pem`, base64, NUL-terminated. */
int pki_dkim_public(const char *pem, size_t pem_len, char *out, size_t outlen, char *err, size_t errlen);
