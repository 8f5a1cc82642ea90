/* The cell's certificate authority: one ECDSA P-256 root per cell, kept
 * as `ca.key` (PEM, 0600) and `ca.crt` (PEM) in a directory of its own.
 *
 * The root is name-constrained (critical nameConstraints): it can vouch
 * only for DNS names in the cell zone ("<cell_name>.<domain>" and its
 * subdomains), for the names the host has on its LAN (its own host name at
 * creation and the private-use domains of PKI_CA_LAN_DOMAINS), and for
 * addresses in the cell's ip_range and vpn_subnet and the private ranges
 * of RFC 1918 (the host's LAN address, so the web interface can be
 * reached at https://<LAN IP>/). A device that trusts it therefore trusts
 * it for nothing on the public internet, even if the key leaks. Roots
 * made before the LAN scope existed carry the zone and the two cell
 * networks only, and stay valid. The constraints are read back from the
 * certificate when it is loaded and are what pki_issue checks requests
 * against, so the issuer refuses exactly what TLS clients would reject. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "common/cleanup.h"
#include "model/cidr.h"
#include "model/config.h"
#include "pki/pki_names.h"
#include "pki/pki_serial.h"

struct buf;

#define PKI_CA_KEY_FILE "ca.key"
#define PKI_CA_CERT_FILE "ca.crt"
/* Ten years, counting the leap days they contain. */
#define PKI_CA_DAYS 3653
/* notBefore lies this far before creation, for clocks running behind. */
#define PKI_CA_BACKDATE_S 300
#define PKI_CA_MAX_NETS 8
/* DNS subtrees besides the zone: the host name (and its first label) and
 * the private-use domains. */
#define PKI_CA_MAX_LAN_NAMES 8
/* Domains only a local network answers: multicast DNS (RFC 6762), home
 * networks (RFC 8375), and the top-level domain ICANN reserved for
 * private use (2024). */
#define PKI_CA_LAN_DOMAINS "local", "home.arpa", "internal"

struct pki_ca {
	EVP_PKEY *key;
	X509 *cert;
	/* From the certificate's name constraints. */
	char zone[CONFIG_ZONE_MAX + 1];
	char lan_names[PKI_CA_MAX_LAN_NAMES][PKI_NAME_MAX + 1]; /* lower case */
	size_t n_lan_names;
	struct ipv4_net nets[PKI_CA_MAX_NETS];
	size_t n_nets;
	int64_t not_before;
	int64_t not_after;
};

/* Creates a new root for `c` in `dir` (created 0700 if missing), valid
 * from now − PKI_CA_BACKDATE_S until now + PKI_CA_DAYS days. `host_name`
 * (the host's, or NULL) joins the LAN scope when it is a valid DNS name
 * not already covered; its first label too. The key is written before the
 * certificate; an existing `ca.crt` is never replaced (-EEXIST), a `ca.key`
 * without one is (it cannot have signed anything anyone trusts). On
 * failure `err` says what went wrong. */
int pki_ca_create(const char *dir, const struct cell_config *c, const char *host_name, int64_t now, char *err,
		  size_t errlen);
/* pki_ca_create into other file names in `dir` (a replacement's new root
 * is written beside the current one, see pki_ca_replace.h). */
int pki_ca_create_files(const char *dir, const char *key_file, const char *cert_file, const struct cell_config *c,
			const char *host_name, int64_t now, char *err, size_t errlen);

/* Loads the root from `dir`: -ENOENT if either file is missing, -EPERM
 * for a key file accessible by group or others, -EKEYREJECTED if the key
 * does not belong to the certificate, -EBADMSG for a certificate that is
 * not a CA of this shape. */
int pki_ca_load(const char *dir, struct pki_ca **ret_ca);

/* Loads the root, or creates it first when `dir` has no `ca.crt`.
 * Returns 1 if it created one, 0 if it loaded the existing one. An
 * existing root is never replaced here, even if it no longer matches `c`
 * (see pki_ca_matches_config): replacing a root makes every device that
 * trusts it stop trusting the cell, which only the user may decide. */
int pki_ca_ensure(const char *dir, const struct cell_config *c, const char *host_name, int64_t now,
		  struct pki_ca **ret_ca, char *err, size_t errlen);

void pki_ca_free(struct pki_ca *ca);
DEFINE_PTR_CLEANUP(struct pki_ca, pki_ca_free)

/* The root's constraints name the zone and the two networks of `c`. False after a change of cell_name, domain, ip_range or vpn_subnet:
 * certificates for the new names cannot be issued until the root is
 * replaced. */
bool pki_ca_matches_config(const struct pki_ca *ca, const struct cell_config *c);

/* The private ranges of RFC 1918 a new root covers (the LAN scope). */
#define PKI_CA_N_PRIVATE_NETS 3
extern const struct ipv4_net pki_ca_private_nets[PKI_CA_N_PRIVATE_NETS];
/* `ip` lies in one of them. */
bool pki_ca_ip_private(uint32_t ip);

/* Whether TLS clients accept this root vouching for `name` (a valid host
 * name, lower case: in the zone or the LAN scope) or for `ip`. */
bool pki_ca_covers_name(const struct pki_ca *ca, const char *name);
bool pki_ca_covers_ip(const struct pki_ca *ca, uint32_t ip);

/* Whether the first certificate in the NUL-terminated `pem` bears this
 * root's signature (false for anything that does not parse). */
bool pki_ca_issued(const struct pki_ca *ca, const char *pem);

/* The root's serial number in the text form of pki_serial.h. */
int pki_ca_serial(const struct pki_ca *ca, char out[PKI_SERIAL_HEX_MAX]);

/* Appends the root certificate in PEM (what devices import) to `out`. */
int pki_ca_cert_pem(const struct pki_ca *ca, struct buf *out);
/* What the root certificate says (subject, serial, SHA-256, validity). */
struct pki_cert_info;
int pki_ca_cert_info(const struct pki_ca *ca, struct pki_cert_info *ret_info);
/* The root certificate in DER, for devices that import that form. */
int pki_ca_cert_der(const struct pki_ca *ca, struct buf *out);
