/* Issuing TLS server certificates from the cell's root: a fresh ECDSA
 * P-256 key per certificate, names and addresses checked against the
 * root's constraints first, so a request the root could not vouch for is
 * refused with a message instead of yielding a certificate that clients
 * reject. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "model/field_error.h"
#include "pki/pki_ca.h"
#include "pki/pki_names.h"
#include "pki/pki_serial.h"

/* Apple platforms reject TLS server certificates valid for longer, even
 * from a private root. */
#define PKI_LEAF_MAX_DAYS 825
#define PKI_LEAF_MAX_S ((int64_t)PKI_LEAF_MAX_DAYS * 86400)
/* notBefore lies this far before issuance, for clocks running behind. */
#define PKI_LEAF_BACKDATE_S 300

struct pki_leaf {
	struct buf cert_pem;
	struct buf key_pem; /* secret: PKCS#8, wiped by pki_leaf_free */
	char serial[PKI_SERIAL_HEX_MAX];
	int64_t not_before;
	int64_t not_after;
};

/* Issues a certificate for `dns_names` (1..PKI_MAX_DNS_NAMES; the first is
 * also the subject CN) and IPv4 `ips` (0..PKI_MAX_IPS, host order), valid
 * from now − PKI_LEAF_BACKDATE_S for `days` (1..PKI_LEAF_MAX_DAYS) days,
 * cut to the root's own expiry. Usage: digitalSignature, serverAuth.
 *
 * Every name must be the cell zone or below it, optionally "*."-prefixed,
 * and every address inside one of the root's networks; a refusal, a
 * duplicate or a count or lifetime out of range is -EINVAL with `e`
 * naming the field ("dns_names", "ips" or "days") and the offending
 * entry. -EKEYEXPIRED if the root itself is not valid at `now`. On
 * success fills `ret_leaf`, which the caller releases with pki_leaf_free. */
int pki_issue(const struct pki_ca *ca, const char *const *dns_names, size_t n_dns, const uint32_t *ips,
	      size_t n_ips, unsigned days, int64_t now, struct pki_leaf *ret_leaf, struct field_error *e);

/* pki_issue() with the lifetime in seconds, 1..PKI_LEAF_MAX_S (the same
 * 825 days), for callers that want less than a day (tests of renewal);
 * out of range is -EINVAL with `e` naming "lifetime_s". */
int pki_issue_lifetime(const struct pki_ca *ca, const char *const *dns_names, size_t n_dns,
		       const uint32_t *ips, size_t n_ips, int64_t lifetime_s, int64_t now,
		       struct pki_leaf *ret_leaf, struct field_error *e);

/* Wipes the key, frees both buffers; the struct is left empty. */
void pki_leaf_free(struct pki_leaf *leaf);
