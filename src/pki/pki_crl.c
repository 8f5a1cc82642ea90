/* CRL building. */
#include "pki_crl.h"

#include <errno.h>
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "common/buf.h"
#include "pki/pki_ossl.h"
#include "pki/pki_pem.h"
#include "common/banned.h"

static int add_entry(X509_CRL *crl, const struct pki_revoked *rv)
{
	_cleanup_(ASN1_INTEGER_freep) ASN1_INTEGER *serial = NULL;
	int r = pki_serial_from_hex(rv->serial, &serial);
	if (r < 0)
		return r;
	_cleanup_(ASN1_TIME_freep) ASN1_TIME *when = ASN1_TIME_new();
	_cleanup_(X509_REVOKED_freep) X509_REVOKED *entry = X509_REVOKED_new();
	if (!when || !entry)
		return -ENOMEM;
	if ((r = pki_ossl_time_set(when, rv->revoked_at)) < 0)
		return r == -ERANGE ? -EINVAL : r;
	if (!X509_REVOKED_set_serialNumber(entry, serial) || !X509_REVOKED_set_revocationDate(entry, when) ||
	    !X509_CRL_add0_revoked(crl, entry))
		return -ENOMEM;
	TAKE_PTR(entry);
	return 0;
}

static int build(const struct pki_ca *ca, const struct pki_revoked *revoked, size_t n, int64_t now,
		 unsigned next_update_days, X509_CRL **ret_crl)
{
	_cleanup_(X509_CRL_freep) X509_CRL *crl = X509_CRL_new();
	_cleanup_(ASN1_TIME_freep) ASN1_TIME *this_update = ASN1_TIME_new();
	_cleanup_(ASN1_TIME_freep) ASN1_TIME *next_update = ASN1_TIME_new();
	_cleanup_(ASN1_INTEGER_freep) ASN1_INTEGER *number = ASN1_INTEGER_new();
	if (!crl || !this_update || !next_update || !number)
		return -ENOMEM;
	int r;
	if ((r = pki_ossl_time_set(this_update, now)) < 0 ||
	    (r = pki_ossl_time_set(next_update, now + (int64_t)next_update_days * 86400)) < 0)
		return -EINVAL;
	if (!X509_CRL_set_version(crl, X509_CRL_VERSION_2) ||
	    !X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca->cert)) ||
	    !X509_CRL_set1_lastUpdate(crl, this_update) || !X509_CRL_set1_nextUpdate(crl, next_update))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if ((r = add_entry(crl, &revoked[i])) < 0)
			return r;
	if (!X509_CRL_sort(crl))
		return -ENOMEM;

	X509V3_CTX ctx;
	X509V3_set_ctx(&ctx, ca->cert, NULL, NULL, crl, 0);
	_cleanup_(X509_EXTENSION_freep) X509_EXTENSION *aki =
		X509V3_EXT_nconf_nid(NULL, &ctx, NID_authority_key_identifier, "keyid:always");
	if (!aki || !X509_CRL_add_ext(crl, aki, -1))
		return -EIO;
	if (!ASN1_INTEGER_set_int64(number, now) || X509_CRL_add1_ext_i2d(crl, NID_crl_number, number, 0, 0) != 1)
		return -ENOMEM;
	if (!X509_CRL_sign(crl, ca->key, EVP_sha256()))
		return -EIO;
	*ret_crl = TAKE_PTR(crl);
	return 0;
}

int pki_crl_build(const struct pki_ca *ca, const struct pki_revoked *revoked, size_t n, int64_t now,
		  unsigned next_update_days, struct buf *out_pem, struct buf *out_der)
{
	if (n > PKI_CRL_MAX_ENTRIES || (n > 0 && !revoked) || next_update_days < 1 ||
	    next_update_days > PKI_CRL_MAX_DAYS || now < 0)
		return -EINVAL;
	_cleanup_(X509_CRL_freep) X509_CRL *crl = NULL;
	int r = build(ca, revoked, n, now, next_update_days, &crl);
	if (r < 0) {
		ERR_clear_error();
		return r;
	}

	size_t pem_len = out_pem ? out_pem->len : 0;
	if (out_pem && (r = pki_pem_crl(crl, out_pem)) < 0)
		return r;
	if (out_der) {
		unsigned char *der = NULL;
		int len = i2d_X509_CRL(crl, &der);
		r = len > 0 ? buf_append(out_der, der, (size_t)len) : -ENOMEM;
		OPENSSL_free(der);
		if (r < 0) {
			ERR_clear_error();
			if (out_pem) {
				out_pem->len = pem_len;
				if (out_pem->data)
					out_pem->data[pem_len] = '\0';
			}
			return r;
		}
	}
	return 0;
}
