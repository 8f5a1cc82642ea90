/* Revocation lists: a CRL built from two revoked serials parses back (PEM
 * and DER, the same list), is signed by the root, names the root as
 * issuer with its key identifier, carries thisUpdate, nextUpdate and the
 * CRL number, and lists each serial with its revocation time; OpenSSL's
 * verification with CRL checking then rejects the revoked leaf and accepts
 * one that is not listed. An empty CRL is valid; a bad serial or argument
 * is -EINVAL and leaves the output buffers as they were. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "common/buf.h"
#include "model/config.h"
#include "pki/pki_ca.h"
#include "pki/pki_crl.h"
#include "pki/pki_issue.h"
#include "pki/pki_ossl.h"
#include "pki_fixture.h"
#include "common/banned.h"

static X509 *issue(struct pki_fixture *f, struct pki_leaf *leaf)
{
	const char *names[] = { "calendar.mycell.cell" };
	assert_int_equal(pki_issue(f->ca, names, 1, NULL, 0, 90, f->now, leaf, NULL), 0);
	BIO *bio = BIO_new_mem_buf(leaf->cert_pem.data, (int)leaf->cert_pem.len);
	X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	assert_non_null(x);
	return x;
}

static int verify_with_crl(X509 *root, X509 *leaf, X509_CRL *crl, int64_t at)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	assert_int_equal(X509_STORE_add_cert(store, root), 1);
	assert_int_equal(X509_STORE_add_crl(store, crl), 1);
	assert_int_equal(X509_STORE_CTX_init(ctx, store, leaf, NULL), 1);
	X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_time(param, (time_t)at);
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK);
	X509_verify_cert(ctx);
	int err = X509_STORE_CTX_get_error(ctx);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return err;
}

static void test_crl(void **state)
{
	struct pki_fixture *f = *state;
	struct pki_leaf revoked_leaf, good_leaf;
	X509 *bad = issue(f, &revoked_leaf);
	X509 *good = issue(f, &good_leaf);

	struct pki_revoked list[2] = { { .revoked_at = f->now - 7200 }, { .revoked_at = f->now - 60 } };
	snprintf(list[0].serial, sizeof(list[0].serial), "0aBc01");
	snprintf(list[1].serial, sizeof(list[1].serial), "%s", revoked_leaf.serial);

	struct buf pem, der;
	buf_init(&pem, 1 << 20);
	buf_init(&der, 1 << 20);
	assert_int_equal(pki_crl_build(f->ca, list, 2, f->now, 7, &pem, &der), 0);
	assert_non_null(strstr(pem.data, "-----BEGIN X509 CRL-----"));

	const unsigned char *p = (const unsigned char *)der.data;
	X509_CRL *crl = d2i_X509_CRL(NULL, &p, (long)der.len);
	assert_non_null(crl);
	assert_ptr_equal(p, (const unsigned char *)der.data + der.len);
	BIO *bio = BIO_new_mem_buf(pem.data, (int)pem.len);
	X509_CRL *crl_pem = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
	BIO_free(bio);
	assert_non_null(crl_pem);
	assert_int_equal(X509_CRL_cmp(crl, crl_pem), 0);
	unsigned char *der2 = NULL;
	int der2_len = i2d_X509_CRL(crl_pem, &der2);
	assert_int_equal(der2_len, (int)der.len);
	assert_memory_equal(der2, der.data, der.len);
	OPENSSL_free(der2);
	X509_CRL_free(crl_pem);

	assert_int_equal(X509_CRL_get_version(crl), X509_CRL_VERSION_2);
	assert_int_equal(X509_CRL_verify(crl, X509_get0_pubkey(f->ca->cert)), 1);
	assert_int_equal(X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(f->ca->cert)), 0);
	int64_t t;
	assert_int_equal(pki_ossl_time_get(X509_CRL_get0_lastUpdate(crl), &t), 0);
	assert_int_equal(t, f->now);
	assert_int_equal(pki_ossl_time_get(X509_CRL_get0_nextUpdate(crl), &t), 0);
	assert_int_equal(t, f->now + 7 * 86400);

	int crit = -1;
	ASN1_INTEGER *number = X509_CRL_get_ext_d2i(crl, NID_crl_number, &crit, NULL);
	assert_non_null(number);
	assert_int_equal(crit, 0);
	int64_t n = 0;
	assert_int_equal(ASN1_INTEGER_get_int64(&n, number), 1);
	assert_int_equal(n, f->now);
	ASN1_INTEGER_free(number);
	AUTHORITY_KEYID *akid = X509_CRL_get_ext_d2i(crl, NID_authority_key_identifier, &crit, NULL);
	assert_non_null(akid);
	assert_non_null(akid->keyid);
	assert_int_equal(ASN1_OCTET_STRING_cmp(akid->keyid, X509_get0_subject_key_id(f->ca->cert)), 0);
	AUTHORITY_KEYID_free(akid);

	/* Both serials are listed, with their times. */
	STACK_OF(X509_REVOKED) *entries = X509_CRL_get_REVOKED(crl);
	assert_int_equal(sk_X509_REVOKED_num(entries), 2);
	X509_REVOKED *entry = NULL;
	assert_int_equal(X509_CRL_get0_by_cert(crl, &entry, bad), 1);
	assert_non_null(entry);
	assert_int_equal(pki_ossl_time_get(X509_REVOKED_get0_revocationDate(entry), &t), 0);
	assert_int_equal(t, f->now - 60);
	ASN1_INTEGER *s = ASN1_INTEGER_new();
	assert_int_equal(ASN1_INTEGER_set(s, 0x0abc01), 1);
	entry = NULL;
	assert_int_equal(X509_CRL_get0_by_serial(crl, &entry, s), 1);
	assert_int_equal(pki_ossl_time_get(X509_REVOKED_get0_revocationDate(entry), &t), 0);
	assert_int_equal(t, f->now - 7200);
	ASN1_INTEGER_free(s);
	assert_int_equal(X509_CRL_get0_by_cert(crl, &entry, good), 0);

	/* OpenSSL's own CRL check. */
	assert_int_equal(verify_with_crl(f->ca->cert, bad, crl, f->now + 10), X509_V_ERR_CERT_REVOKED);
	assert_int_equal(verify_with_crl(f->ca->cert, good, crl, f->now + 10), X509_V_OK);
	assert_int_equal(verify_with_crl(f->ca->cert, good, crl, f->now + 8 * 86400), X509_V_ERR_CRL_HAS_EXPIRED);

	X509_CRL_free(crl);
	X509_free(bad);
	X509_free(good);
	pki_leaf_free(&revoked_leaf);
	pki_leaf_free(&good_leaf);
	buf_free(&pem);
	buf_free(&der);
}

static void test_empty_crl(void **state)
{
	struct pki_fixture *f = *state;
	struct buf der;
	buf_init(&der, 1 << 20);
	assert_int_equal(pki_crl_build(f->ca, NULL, 0, f->now, 1, NULL, &der), 0);
	const unsigned char *p = (const unsigned char *)der.data;
	X509_CRL *crl = d2i_X509_CRL(NULL, &p, (long)der.len);
	assert_non_null(crl);
	assert_true(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)) <= 0); /* absent or empty */
	assert_int_equal(X509_CRL_verify(crl, X509_get0_pubkey(f->ca->cert)), 1);
	X509_CRL_free(crl);
	buf_free(&der);
}

static void test_refusals(void **state)
{
	struct pki_fixture *f = *state;
	struct buf pem, der;
	buf_init(&pem, 1 << 20);
	buf_init(&der, 1 << 20);
	assert_int_equal(buf_append(&pem, "keep", 4), 0);

	static const char *bad[] = { "", "0", "00", "xyz", "-1", "+1", "12 34", "0x12",
				     "12345678901234567890123456789012345678901" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pki_revoked rv = { .revoked_at = f->now };
		snprintf(rv.serial, sizeof(rv.serial), "%s", bad[i]);
		if (strlen(bad[i]) >= sizeof(rv.serial)) /* too long: unterminated */
			memcpy(rv.serial, bad[i], sizeof(rv.serial));
		assert_int_equal(pki_crl_build(f->ca, &rv, 1, f->now, 7, &pem, &der), -EINVAL);
	}
	struct pki_revoked ok = { .serial = "01", .revoked_at = f->now };
	assert_int_equal(pki_crl_build(f->ca, &ok, 1, f->now, 0, &pem, &der), -EINVAL);
	assert_int_equal(pki_crl_build(f->ca, &ok, 1, f->now, PKI_CRL_MAX_DAYS + 1, &pem, &der), -EINVAL);
	assert_int_equal(pki_crl_build(f->ca, NULL, 1, f->now, 7, &pem, &der), -EINVAL);
	struct pki_revoked neg = { .serial = "01", .revoked_at = -1 };
	assert_int_equal(pki_crl_build(f->ca, &neg, 1, f->now, 7, &pem, &der), -EINVAL);
	assert_string_equal(pem.data, "keep");
	assert_int_equal(der.len, 0);

	/* A DER buffer too small leaves the PEM buffer as it was. */
	struct buf tiny;
	buf_init(&tiny, 16);
	assert_int_equal(pki_crl_build(f->ca, &ok, 1, f->now, 7, &pem, &tiny), -E2BIG);
	assert_string_equal(pem.data, "keep");
	assert_int_equal(pem.len, 4);
	buf_free(&tiny);
	buf_free(&pem);
	buf_free(&der);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_crl, pki_fixture_setup, pki_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_empty_crl, pki_fixture_setup, pki_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, pki_fixture_setup, pki_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
