/* Random secrets and their stored form. A secret (session id, API token,
 * CSRF token, password) is shown once; what is stored is its BLAKE2b-256
 * digest in hex. Comparisons are constant-time. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define SECRET_HASH_HEX_LEN 64

/* Writes `prefix` followed by `nbytes` random bytes in base64url (no
 * padding) into `out` of size `outlen`. -ENOBUFS if it does not fit. */
int secret_random_token(const char *prefix, size_t nbytes, char *out, size_t outlen);

/* BLAKE2b-256 of `s` as 64 lowercase hex characters plus NUL. */
void secret_hash_hex(const char *s, char out[SECRET_HASH_HEX_LEN + 1]);

/* Constant-time equality of two NUL-terminated strings of the same length;
 * strings of different lengths compare unequal (length is not secret). */
bool secret_equal(const char *a, const char *b);

/* Call once at start; -EIO if libsodium cannot initialise. */
int secret_init(void);
