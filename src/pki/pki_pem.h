/* PEM in and out of memory and files for certificates, keys and CRLs.
 *
 * Private keys are secrets: they are written 0600 and read only from a
 * regular file (not a symlink) that neither group nor others can access
 * (-EPERM otherwise); encrypted PEM is refused rather than prompting.
 * Every transient copy of key material is wiped before it is freed. */
#pragma once

#include <stddef.h>

#include <openssl/types.h>

struct buf;

/* Largest PEM file read: a certificate or key is a few kilobytes. */
#define PKI_PEM_FILE_MAX (64 * 1024)

/* Append the PEM form of the object to `out`. On failure `out` is as it
 * was. */
int pki_pem_cert(X509 *x, struct buf *out);
int pki_pem_crl(X509_CRL *crl, struct buf *out);
/* Unencrypted PKCS#8. Pass an empty `out`: the key then lands in a single
 * allocation, which pki_pem_wipe clears. */
int pki_pem_key(EVP_PKEY *key, struct buf *out);

/* Zeroes all of `b`'s allocation, then frees it (buf_free). */
void pki_pem_wipe(struct buf *b);

/* The first certificate in `len` bytes of PEM; -EBADMSG if none parses. */
int pki_pem_parse_cert(const char *pem, size_t len, X509 **ret_x);

int pki_pem_read_cert_file(const char *path, X509 **ret_x);
/* -EPERM for a key file accessible by group or others, -ELOOP for a
 * symlink, -EBADMSG for anything but an unencrypted private key. */
int pki_pem_read_key_file(const char *path, EVP_PKEY **ret_key);

/* Atomic installs (fs_write_atomic): certificates 0644, keys 0600. */
int pki_pem_write_cert_file(const char *path, X509 *x);
int pki_pem_write_key_file(const char *path, EVP_PKEY *key);
