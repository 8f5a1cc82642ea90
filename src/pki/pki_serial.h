/* Certificate serial numbers: 128 random bits, positive and non-zero, so
 * that no two certificates the cell issues share one and none can be
 * predicted. Their text form is lowercase hex as OpenSSL prints it (two
 * digits per byte, no leading zero byte): the same string in listings, the
 * store and a revocation request. */
#pragma once

#include <openssl/asn1.h>

/* RFC 5280 caps serials at 20 octets: 40 hex digits plus NUL. */
#define PKI_SERIAL_HEX_MAX 41

/* A fresh random serial; the caller frees it with ASN1_INTEGER_free. */
int pki_serial_random(ASN1_INTEGER **ret_serial);
/* The text form of `s`; -EINVAL for a negative or zero serial, -E2BIG for
 * one longer than 20 octets. */
int pki_serial_to_hex(const ASN1_INTEGER *s, char out[PKI_SERIAL_HEX_MAX]);
/* Parses 1..40 hex digits (either case, nothing else) into a positive
 * serial; -EINVAL otherwise. */
int pki_serial_from_hex(const char *hex, ASN1_INTEGER **ret_serial);
