/* Leaf certificate issuance. */
#include "pki_issue.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "pki/pki_ext.h"
#include "pki/pki_ossl.h"
#include "pki/pki_pem.h"
#include "common/banned.h"

#define CN_MAX 64 /* ub-common-name */

/* The lower-cased names, checked. */
struct names {
	char dns[PKI_MAX_DNS_NAMES][PKI_NAME_MAX + 1];
	const char *ptr[PKI_MAX_DNS_NAMES];
};

/* The lifetime is checked after the counts, in the unit the caller gave:
 * `in_days` for pki_issue(). */
static int check_request(const struct pki_ca *ca, const char *const *dns_names, size_t n_dns,
			 const uint32_t *ips, size_t n_ips, int64_t lifetime_s, bool in_days, struct names *out,
			 struct field_error *e)
{
	if (n_dns == 0) {
		field_error_set(e, "dns_names", "dns_names must contain at least one name");
		return -EINVAL;
	}
	if (n_dns > PKI_MAX_DNS_NAMES) {
		field_error_set(e, "dns_names", "dns_names may contain at most %d names", PKI_MAX_DNS_NAMES);
		return -EINVAL;
	}
	if (n_ips > PKI_MAX_IPS) {
		field_error_set(e, "ips", "ips may contain at most %d addresses", PKI_MAX_IPS);
		return -EINVAL;
	}
	if (lifetime_s < 1 || lifetime_s > PKI_LEAF_MAX_S) {
		if (in_days)
			field_error_set(e, "days", "days must be between 1 and %d", PKI_LEAF_MAX_DAYS);
		else
			field_error_set(e, "lifetime_s", "lifetime_s must be between 1 and %" PRId64 " seconds",
					PKI_LEAF_MAX_S);
		return -EINVAL;
	}

	for (size_t i = 0; i < n_dns; i++) {
		const char *why = NULL;
		const char *name = dns_names[i] ? dns_names[i] : "";
		int r = pki_names_check_dns(ca->zone, name, out->dns[i], &why);
		for (size_t k = 0; r == -ERANGE && k < ca->n_lan_names; k++)
			r = pki_names_check_dns(ca->lan_names[k], name, out->dns[i], &why);
		if (r == -ERANGE) {
			char scope[PKI_CA_MAX_LAN_NAMES * (PKI_NAME_MAX + 4)] = "";
			for (size_t k = 0, used = 0; k < ca->n_lan_names; k++) {
				int n = snprintf(scope + used, sizeof(scope) - used, ", '%s'", ca->lan_names[k]);
				if (n < 0 || (size_t)n >= sizeof(scope) - used)
					break;
				used += (size_t)n;
			}
			field_error_set(e, "dns_names", "dns_names[%zu] '%s' is outside the cell zone '%s'%s%s", i, name,
					ca->zone, scope[0] ? " and the LAN names the root covers" : "", scope);
			return -EINVAL;
		}
		if (r < 0) {
			if (pki_names_printable(name))
				field_error_set(e, "dns_names", "dns_names[%zu] '%s' is not a valid DNS name: %s", i,
						name, why);
			else
				field_error_set(e, "dns_names", "dns_names[%zu] is not a valid DNS name: %s", i, why);
			return -EINVAL;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(out->dns[j], out->dns[i]) == 0) {
				field_error_set(e, "dns_names", "dns_names[%zu] '%s' repeats dns_names[%zu]", i, name, j);
				return -EINVAL;
			}
		}
		out->ptr[i] = out->dns[i];
	}

	for (size_t i = 0; i < n_ips; i++) {
		char ip[IPV4_STR_MAX];
		ipv4_format(ips[i], ip);
		if (!pki_names_ip_allowed(ca->nets, ca->n_nets, ips[i])) {
			char nets[PKI_CA_MAX_NETS * (CIDR_STR_MAX + 2)] = "";
			size_t used = 0;
			for (size_t k = 0; k < ca->n_nets; k++) {
				char net[CIDR_STR_MAX];
				cidr_format(&ca->nets[k], net);
				int n = snprintf(nets + used, sizeof(nets) - used, "%s%s", k ? ", " : "", net);
				if (n < 0 || (size_t)n >= sizeof(nets) - used)
					break;
				used += (size_t)n;
			}
			field_error_set(e, "ips", "ips[%zu] %s is outside the networks the root covers (%s)", i, ip, nets);
			return -EINVAL;
		}
		for (size_t j = 0; j < i; j++) {
			if (ips[j] == ips[i]) {
				field_error_set(e, "ips", "ips[%zu] %s repeats ips[%zu]", i, ip, j);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int build_leaf(const struct pki_ca *ca, EVP_PKEY *key, const struct names *names, size_t n_dns,
		      const uint32_t *ips, size_t n_ips, int64_t not_before, int64_t not_after,
		      X509 **ret_x)
{
	_cleanup_(X509_freep) X509 *x = X509_new();
	_cleanup_(ASN1_INTEGER_freep) ASN1_INTEGER *serial = NULL;
	if (!x)
		return -ENOMEM;
	int r = pki_serial_random(&serial);
	if (r < 0)
		return r;
	if (!X509_set_version(x, X509_VERSION_3) || !X509_set_serialNumber(x, serial) ||
	    !X509_set_pubkey(x, key) || !X509_set_issuer_name(x, X509_get_subject_name(ca->cert)))
		return -ENOMEM;
	if ((r = pki_ossl_time_set(X509_getm_notBefore(x), not_before)) < 0 ||
	    (r = pki_ossl_time_set(X509_getm_notAfter(x), not_after)) < 0)
		return r;

	/* A first name too long for a common name leaves the subject empty,
	 * and RFC 5280 then wants the subjectAltName critical. */
	bool has_cn = strlen(names->ptr[0]) <= CN_MAX;
	if (has_cn && !X509_NAME_add_entry_by_NID(X509_get_subject_name(x), NID_commonName, MBSTRING_ASC,
						  (const unsigned char *)names->ptr[0], -1, -1, 0))
		return -ENOMEM;

	if ((r = pki_ext_add(x, ca->cert, NID_basic_constraints, "critical,CA:FALSE")) < 0 ||
	    (r = pki_ext_add(x, ca->cert, NID_key_usage, "critical,digitalSignature")) < 0 ||
	    (r = pki_ext_add(x, ca->cert, NID_ext_key_usage, "serverAuth")) < 0 ||
	    (r = pki_ext_add(x, ca->cert, NID_subject_key_identifier, "hash")) < 0 ||
	    (r = pki_ext_add(x, ca->cert, NID_authority_key_identifier, "keyid:always")) < 0 ||
	    (r = pki_ext_add_san(x, names->ptr, n_dns, ips, n_ips, !has_cn)) < 0)
		return r;
	if (!X509_sign(x, ca->key, EVP_sha256())) {
		ERR_clear_error();
		return -EIO;
	}
	*ret_x = TAKE_PTR(x);
	return 0;
}

static int issue(const struct pki_ca *ca, const char *const *dns_names, size_t n_dns, const uint32_t *ips,
		 size_t n_ips, int64_t lifetime_s, bool in_days, int64_t now, struct pki_leaf *ret_leaf,
		 struct field_error *e)
{
	struct names names;
	int r = check_request(ca, dns_names, n_dns, ips, n_ips, lifetime_s, in_days, &names, e);
	if (r < 0)
		return r;

	int64_t not_before = now - PKI_LEAF_BACKDATE_S;
	int64_t not_after = now + lifetime_s;
	if (not_before < ca->not_before)
		not_before = ca->not_before;
	if (not_after > ca->not_after)
		not_after = ca->not_after;
	if (now < ca->not_before || not_after <= now)
		return -EKEYEXPIRED; /* the root is not (or no longer) valid at `now` */

	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = EVP_EC_gen("P-256");
	if (!key) {
		ERR_clear_error();
		return -EIO;
	}
	_cleanup_(X509_freep) X509 *x = NULL;
	r = build_leaf(ca, key, &names, n_dns, ips, n_ips, not_before, not_after, &x);
	if (r < 0) {
		ERR_clear_error();
		return r;
	}

	struct pki_leaf leaf = { .not_before = not_before, .not_after = not_after };
	buf_init(&leaf.cert_pem, PKI_PEM_FILE_MAX);
	buf_init(&leaf.key_pem, PKI_PEM_FILE_MAX);
	if ((r = pki_serial_to_hex(X509_get0_serialNumber(x), leaf.serial)) < 0 ||
	    (r = pki_pem_cert(x, &leaf.cert_pem)) < 0 || (r = pki_pem_key(key, &leaf.key_pem)) < 0) {
		pki_leaf_free(&leaf);
		return r;
	}
	*ret_leaf = leaf;
	return 0;
}

int pki_issue(const struct pki_ca *ca, const char *const *dns_names, size_t n_dns, const uint32_t *ips,
	      size_t n_ips, unsigned days, int64_t now, struct pki_leaf *ret_leaf, struct field_error *e)
{
	/* 825 days fit int64_t many times over; any larger `days` is out of
	 * range after the product as before it. */
	return issue(ca, dns_names, n_dns, ips, n_ips, (int64_t)days * 86400, true, now, ret_leaf, e);
}

int pki_issue_lifetime(const struct pki_ca *ca, const char *const *dns_names, size_t n_dns,
		       const uint32_t *ips, size_t n_ips, int64_t lifetime_s, int64_t now,
		       struct pki_leaf *ret_leaf, struct field_error *e)
{
	return issue(ca, dns_names, n_dns, ips, n_ips, lifetime_s, false, now, ret_leaf, e);
}

void pki_leaf_free(struct pki_leaf *leaf)
{
	if (!leaf)
		return;
	buf_free(&leaf->cert_pem);
	pki_pem_wipe(&leaf->key_pem);
	*leaf = (struct pki_leaf){ .cert_pem = leaf->cert_pem, .key_pem = leaf->key_pem };
}
