/* Certificate revocation lists signed by the cell's root. The list is a
 * pure function of its input (the store keeps which serials are revoked);
 * its CRL number is the build time in unix seconds, which grows from one
 * build to the next without a counter to keep. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "pki/pki_ca.h"
#include "pki/pki_serial.h"

struct buf;

#define PKI_CRL_MAX_ENTRIES 100000
#define PKI_CRL_MAX_DAYS 366

struct pki_revoked {
	char serial[PKI_SERIAL_HEX_MAX]; /* as pki_serial_to_hex writes it */
	int64_t revoked_at;
};

/* Builds a v2 CRL of `revoked` (0..PKI_CRL_MAX_ENTRIES), thisUpdate `now`,
 * nextUpdate `next_update_days` (1..PKI_CRL_MAX_DAYS) later, with
 * authorityKeyIdentifier and cRLNumber, and appends it in PEM to `out_pem`
 * and in DER to `out_der` (either may be NULL). -EINVAL for a bad serial
 * or argument; on failure both buffers are as they were. */
int pki_crl_build(const struct pki_ca *ca, const struct pki_revoked *revoked, size_t n, int64_t now,
		  unsigned next_update_days, struct buf *out_pem, struct buf *out_der);
