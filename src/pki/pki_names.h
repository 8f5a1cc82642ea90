/* What a cell certificate may name. The root carries name constraints (the
 * cell zone and the cell's two networks) that every TLS client enforces;
 * these checks refuse the same names earlier, with a message, before a
 * certificate that clients would reject is ever signed.
 *
 * A DNS name is 1..253 characters of dot-separated labels, each 1..63
 * letters, digits or hyphens, neither starting nor ending with a hyphen;
 * no empty label and no trailing dot. A certificate name may start with
 * "*." (a wildcard for one label). Comparison is case-insensitive; names
 * are put in certificates in lower case. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/cidr.h"

#define PKI_NAME_MAX 253
/* Limits on one certificate's subject alternative names. */
#define PKI_MAX_DNS_NAMES 32
#define PKI_MAX_IPS 16

/* 0 if `name` is a host name by the rules above (no wildcard); otherwise
 * -EINVAL and `*ret_why` (may be NULL) says what is wrong, as a phrase
 * that completes "... is not a valid DNS name: ". */
int pki_names_check_host(const char *name, const char **ret_why);

/* Checks `name` for a certificate of the cell whose zone is `zone` (lower
 * case, itself valid): a valid name, optionally "*."-prefixed, equal to
 * the zone or below it. On success writes the lower-case form to
 * `ret_lower`. -EINVAL with `*ret_why` if the name is invalid, -ERANGE if it
 * is valid but outside the zone. */
int pki_names_check_dns(const char *zone, const char *name, char ret_lower[PKI_NAME_MAX + 1],
			const char **ret_why);

/* The zone itself or a subdomain of it; both arguments valid names
 * (pki_names_check_host) in lower case. */
bool pki_names_in_zone(const char *zone, const char *name);

/* `ip` lies inside one of `nets`. */
bool pki_names_ip_allowed(const struct ipv4_net *nets, size_t n_nets, uint32_t ip);

/* Lower-cases the ASCII letters of `s` in place (DNS names compare
 * case-insensitively and go into certificates in lower case). */
void pki_names_lower(char *s);

/* `s` is safe to quote in a message: printable ASCII, at most
 * PKI_NAME_MAX characters. */
bool pki_names_printable(const char *s);
