/* Glue between OpenSSL and PIC's conventions: cleanup attributes for the
 * OpenSSL objects the pki module holds, a diagnostic from OpenSSL's error
 * queue (which is emptied so that no stale error leaks into the next
 * call), and conversion between ASN.1 times and unix seconds. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/cleanup.h"

DEFINE_PTR_CLEANUP(BIO, BIO_free_all)
DEFINE_PTR_CLEANUP(BIGNUM, BN_free)
DEFINE_PTR_CLEANUP(EVP_PKEY, EVP_PKEY_free)
DEFINE_PTR_CLEANUP(X509, X509_free)
DEFINE_PTR_CLEANUP(X509_CRL, X509_CRL_free)
DEFINE_PTR_CLEANUP(X509_REVOKED, X509_REVOKED_free)
DEFINE_PTR_CLEANUP(X509_NAME, X509_NAME_free)
DEFINE_PTR_CLEANUP(X509_EXTENSION, X509_EXTENSION_free)
DEFINE_PTR_CLEANUP(ASN1_INTEGER, ASN1_INTEGER_free)
DEFINE_PTR_CLEANUP(ASN1_TIME, ASN1_TIME_free)
DEFINE_PTR_CLEANUP(GENERAL_NAME, GENERAL_NAME_free)
DEFINE_PTR_CLEANUP(GENERAL_NAMES, GENERAL_NAMES_free)
DEFINE_PTR_CLEANUP(GENERAL_SUBTREE, GENERAL_SUBTREE_free)
DEFINE_PTR_CLEANUP(NAME_CONSTRAINTS, NAME_CONSTRAINTS_free)

/* The latest instant an X.509 time can name, 9999-12-31T23:59:59Z. */
#define PKI_TIME_MAX INT64_C(253402300799)

/* Writes "<formatted text>: <OpenSSL's reason>" into `err` (which may be
 * NULL) and clears the thread's OpenSSL error queue. A message longer than
 * `errlen` is cut: it is a diagnostic, never parsed. */
void pki_ossl_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Like pki_ossl_err without OpenSSL's reason; still clears the queue. */
void pki_ossl_msg(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Sets `t` to `when` (UTCTime through 2049, GeneralizedTime after, as RFC
 * 5280 requires); -ERANGE outside 0..PKI_TIME_MAX. */
int pki_ossl_time_set(ASN1_TIME *t, int64_t when);
/* Unix seconds of `t`; -EBADMSG if it does not parse. */
int pki_ossl_time_get(const ASN1_TIME *t, int64_t *ret_when);
