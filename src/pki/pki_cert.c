/* Certificate facts for listings, and the renewal rule. */
#include "pki_cert.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "pki/pki_ossl.h"
#include "pki/pki_pem.h"
#include "common/banned.h"

/* Copies `len` bytes as text, control characters and DEL as '?'. */
static void copy_text(char *out, const unsigned char *in, size_t len)
{
	for (size_t i = 0; i < len; i++)
		out[i] = (in[i] < 0x20 || in[i] == 0x7f) ? '?' : (char)in[i];
	out[len] = '\0';
}

static int read_cn(X509 *x, struct pki_cert_info *info)
{
	const X509_NAME *name = X509_get_subject_name(x);
	int idx = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
	info->cn[0] = '\0';
	if (idx < 0)
		return 0;
	const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
	unsigned char *utf8 = NULL;
	int len = ASN1_STRING_to_UTF8(&utf8, s);
	if (len < 0) {
		ERR_clear_error();
		return -EBADMSG;
	}
	int r = (size_t)len > PKI_CN_MAX ? -E2BIG : 0;
	if (r == 0)
		copy_text(info->cn, utf8, (size_t)len);
	OPENSSL_free(utf8);
	return r;
}

static int read_sans(X509 *x, struct pki_cert_info *info)
{
	int crit = -1;
	_cleanup_(GENERAL_NAMES_freep) GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, &crit, NULL);
	ERR_clear_error();
	if (!gens)
		return crit == -1 ? 0 : -EBADMSG;
	for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *gn = sk_GENERAL_NAME_value(gens, i);
		if (gn->type == GEN_DNS) {
			int len = ASN1_STRING_length(gn->d.dNSName);
			if (info->n_dns >= PKI_MAX_DNS_NAMES || len < 0 || len > PKI_NAME_MAX)
				return -E2BIG;
			copy_text(info->dns[info->n_dns++], ASN1_STRING_get0_data(gn->d.dNSName), (size_t)len);
		} else if (gn->type == GEN_IPADD) {
			int len = ASN1_STRING_length(gn->d.iPAddress);
			int af = len == 4 ? AF_INET : len == 16 ? AF_INET6 : -1;
			if (af < 0)
				return -EBADMSG;
			if (info->n_ips >= PKI_MAX_IPS)
				return -E2BIG;
			if (!inet_ntop(af, ASN1_STRING_get0_data(gn->d.iPAddress), info->ips[info->n_ips],
				       INET6_ADDRSTRLEN))
				return -EBADMSG;
			info->n_ips++;
		}
	}
	return 0;
}

int pki_cert_info(const char *pem, struct pki_cert_info *ret_info)
{
	size_t len = strnlen(pem, PKI_PEM_FILE_MAX + 1);
	_cleanup_(X509_freep) X509 *x = NULL;
	int r = pki_pem_parse_cert(pem, len, &x);
	if (r < 0)
		return r;

	struct pki_cert_info info = { 0 };
	if ((r = read_cn(x, &info)) < 0 || (r = read_sans(x, &info)) < 0 ||
	    (r = pki_serial_to_hex(X509_get0_serialNumber(x), info.serial)) < 0)
		return r == -EINVAL ? -EBADMSG : r;
	if (pki_ossl_time_get(X509_get0_notBefore(x), &info.not_before) < 0 ||
	    pki_ossl_time_get(X509_get0_notAfter(x), &info.not_after) < 0)
		return -EBADMSG;

	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (!X509_digest(x, EVP_sha256(), md, &mdlen) || mdlen * 2 != PKI_SHA256_HEX_LEN) {
		ERR_clear_error();
		return -EIO;
	}
	static const char hex[] = "0123456789abcdef";
	for (unsigned int i = 0; i < mdlen; i++) {
		info.sha256[2 * i] = hex[md[i] >> 4];
		info.sha256[2 * i + 1] = hex[md[i] & 0xf];
	}
	info.sha256[PKI_SHA256_HEX_LEN] = '\0';
	info.is_ca = X509_check_ca(x) == 1;
	ERR_clear_error();
	*ret_info = info;
	return 0;
}

bool pki_needs_renewal(int64_t not_after, int64_t lifetime_s, int64_t now)
{
	if (lifetime_s <= 0 || not_after <= now)
		return true;
	/* remaining < lifetime / 3, without rounding or overflow */
	if (now < 0 && not_after > INT64_MAX + now)
		return false;
	int64_t remaining = not_after - now;
	if (remaining > INT64_MAX / 3)
		return false;
	return remaining * 3 < lifetime_s;
}
