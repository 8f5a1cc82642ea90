/* DKIM keys with libcrypto (see pki_dkim.h). */
#include "pki_dkim.h"

#include <errno.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "pki_ossl.h"
#include "common/banned.h"

int pki_dkim_generate(struct buf *pem, char *err, size_t errlen)
{
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = EVP_RSA_gen(PKI_DKIM_BITS);
	_cleanup_(BIO_free_allp) BIO *bio = key ? BIO_new(BIO_s_secmem()) : NULL;
	if (!bio || PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) != 1) {
		pki_ossl_err(err, errlen, "cannot make a DKIM key");
		return -EIO;
	}
	char *data;
	long len = BIO_get_mem_data(bio, &data);
	return len > 0 ? buf_append(pem, data, (size_t)len) : -EIO;
}

int pki_dkim_public(const char *pem, size_t pem_len, char *out, size_t outlen, char *err, size_t errlen)
{
	_cleanup_(BIO_free_allp) BIO *bio = BIO_new_mem_buf(pem, (int)pem_len);
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
	if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
		pki_ossl_err(err, errlen, "not an RSA private key");
		return -EINVAL;
	}
	unsigned char *der = NULL;
	int len = i2d_PUBKEY(key, &der);
	if (len <= 0) {
		pki_ossl_err(err, errlen, "cannot encode the DKIM public key");
		return -EIO;
	}
	int r = (size_t)(4 * ((len + 2) / 3)) < outlen ? 0 : -ENOBUFS;
	if (r == 0)
		EVP_EncodeBlock((unsigned char *)out, der, len);
	OPENSSL_free(der);
	return r;
}
