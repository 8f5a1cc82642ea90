/* Reading a certificate back: what a listing shows (subject, names,
 * serial, validity, fingerprint) and when it is due for renewal. */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "pki/pki_names.h"
#include "pki/pki_serial.h"

#define PKI_CN_MAX 256 /* 64 characters, in UTF-8 */
#define PKI_SHA256_HEX_LEN 64

struct pki_cert_info {
	char cn[PKI_CN_MAX + 1]; /* "" when the subject has none */
	char dns[PKI_MAX_DNS_NAMES][PKI_NAME_MAX + 1];
	size_t n_dns;
	char ips[PKI_MAX_IPS][INET6_ADDRSTRLEN];
	size_t n_ips;
	char serial[PKI_SERIAL_HEX_MAX];
	char sha256[PKI_SHA256_HEX_LEN + 1]; /* of the DER, lowercase hex */
	int64_t not_before;
	int64_t not_after;
	bool is_ca;
};

/* Parses the first certificate in the NUL-terminated `pem`. Control
 * characters in the subject or names are shown as '?'. -EBADMSG if it
 * does not parse, -E2BIG if it has more names than the limits above or a
 * name longer than a DNS name can be. */
int pki_cert_info(const char *pem, struct pki_cert_info *ret_info);

/* True when less than a third of `lifetime_s` is left before `not_after`
 * (so a 90-day certificate is renewed with 30 days to go), when it has
 * expired, and for a lifetime that is not positive. */
bool pki_needs_renewal(int64_t not_after, int64_t lifetime_s, int64_t now);
