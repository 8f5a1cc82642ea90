/* Building and reading the X.509v3 extensions the cell's certificates
 * carry. Names and addresses go into extensions as ASN.1 structures, never
 * through OpenSSL's text syntax, so no user value is ever parsed as
 * extension configuration; text values are only this module's constants. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "model/cidr.h"
#include "pki/pki_names.h"

/* Adds extension `nid` with OpenSSL configuration text `value` (a
 * constant such as "critical,CA:TRUE,pathlen:0") to `subject`, signed by
 * `issuer` (the same certificate when self-signed). */
int pki_ext_add(X509 *subject, X509 *issuer, int nid, const char *value);

/* Adds subjectAltName with `dns` names (as given: the caller has checked
 * and lower-cased them) and IPv4 `ips` (host order). */
int pki_ext_add_san(X509 *x, const char *const *dns, size_t n_dns, const uint32_t *ips, size_t n_ips,
		    bool critical);

/* Adds a critical nameConstraints extension permitting only the DNS
 * subtrees `zone` and then `names` (each covers its subdomains) and the
 * IPv4 networks `nets`. */
int pki_ext_add_name_constraints(X509 *x, const char *zone, const char *const *names, size_t n_names,
				 const struct ipv4_net *nets, size_t n_nets);

/* Reads back what pki_ext_add_name_constraints wrote: permitted DNS
 * subtrees, the first of them the zone and then up to `max_names` more
 * (into `names`), 1..`max_nets` IPv4 subtrees with contiguous masks, no
 * excluded subtrees, marked critical. -ENOENT if the certificate has no
 * name constraints, -EBADMSG if they are not of that shape, -E2BIG if the
 * names or the networks do not fit. */
int pki_ext_get_name_constraints(const X509 *x, char *zone, size_t zonelen, char (*names)[PKI_NAME_MAX + 1],
				 size_t max_names, size_t *ret_n_names, struct ipv4_net *nets, size_t max_nets,
				 size_t *ret_n_nets);
