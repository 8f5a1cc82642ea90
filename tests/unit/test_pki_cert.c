/* Reading certificates back for listings: an issued leaf reports its
 * common name, DNS and IP names as text, the serial pki_issue returned,
 * its validity and SHA-256 fingerprint (checked against OpenSSL's digest)
 * and is not a CA; the root reports itself as a CA; garbage is -EBADMSG.
 * The renewal rule fires when less than a third of the lifetime is left,
 * exactly at the boundary second. Serials round-trip through their hex
 * form and their parser is strict. */
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
#include <openssl/x509.h>

#include "common/buf.h"
#include "model/config.h"
#include "pki/pki_ca.h"
#include "pki/pki_cert.h"
#include "pki/pki_issue.h"
#include "pki/pki_serial.h"
#include "pki_fixture.h"
#include "common/banned.h"

static void test_leaf_info(void **state)
{
	struct pki_fixture *f = *state;
	const char *names[] = { "mycell.cell", "calendar.mycell.cell" };
	uint32_t ips[] = { 0xac14000au, 0x0a000002u };
	struct pki_leaf leaf;
	assert_int_equal(pki_issue(f->ca, names, 2, ips, 2, 90, f->now, &leaf, NULL), 0);

	struct pki_cert_info *info = malloc(sizeof(*info));
	assert_non_null(info);
	assert_int_equal(pki_cert_info(leaf.cert_pem.data, info), 0);
	assert_string_equal(info->cn, "mycell.cell");
	assert_int_equal(info->n_dns, 2);
	assert_string_equal(info->dns[0], "mycell.cell");
	assert_string_equal(info->dns[1], "calendar.mycell.cell");
	assert_int_equal(info->n_ips, 2);
	assert_string_equal(info->ips[0], "172.20.0.10");
	assert_string_equal(info->ips[1], "10.0.0.2");
	assert_string_equal(info->serial, leaf.serial);
	assert_int_equal(info->not_before, f->now - 300);
	assert_int_equal(info->not_after, f->now + 90 * 86400);
	assert_false(info->is_ca);

	BIO *bio = BIO_new_mem_buf(leaf.cert_pem.data, (int)leaf.cert_pem.len);
	X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	assert_non_null(x);
	unsigned char md[32];
	unsigned int mdlen = 0;
	assert_int_equal(X509_digest(x, EVP_sha256(), md, &mdlen), 1);
	char hex[65];
	for (unsigned int i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	assert_string_equal(info->sha256, hex);
	X509_free(x);

	/* Not a certificate. */
	assert_int_equal(pki_cert_info(leaf.key_pem.data, info), -EBADMSG);
	assert_int_equal(pki_cert_info("", info), -EBADMSG);
	assert_int_equal(pki_cert_info("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", info),
			 -EBADMSG);
	free(info);
	pki_leaf_free(&leaf);
}

static void test_root_info(void **state)
{
	struct pki_fixture *f = *state;
	struct buf pem;
	buf_init(&pem, 65536);
	assert_int_equal(pki_ca_cert_pem(f->ca, &pem), 0);
	struct pki_cert_info *info = malloc(sizeof(*info));
	assert_non_null(info);
	assert_int_equal(pki_cert_info(pem.data, info), 0);
	assert_string_equal(info->cn, "PIC mycell.cell root CA");
	assert_int_equal(info->n_dns, 0);
	assert_int_equal(info->n_ips, 0);
	assert_true(info->is_ca);
	assert_int_equal(info->not_after, f->ca->not_after);
	free(info);
	buf_free(&pem);
}

static void test_needs_renewal(void **state)
{
	const int64_t day = 86400, now = INT64_C(1750000000);
	/* 90 days: renew with less than 30 days left. */
	const int64_t life = 90 * day;
	assert_false(pki_needs_renewal(now + 90 * day, life, now));
	assert_false(pki_needs_renewal(now + 31 * day, life, now));
	assert_false(pki_needs_renewal(now + 30 * day, life, now)); /* exactly a third */
	assert_true(pki_needs_renewal(now + 30 * day - 1, life, now));
	assert_true(pki_needs_renewal(now + 1, life, now));
	assert_true(pki_needs_renewal(now, life, now));
	assert_true(pki_needs_renewal(now - day, life, now));
	/* A lifetime not divisible by three: 10 s, a third is 3.33 s. */
	assert_false(pki_needs_renewal(now + 4, 10, now));
	assert_true(pki_needs_renewal(now + 3, 10, now));
	/* Nonsense lifetimes renew; extremes do not overflow. */
	assert_true(pki_needs_renewal(now + day, 0, now));
	assert_true(pki_needs_renewal(now + day, -5, now));
	assert_false(pki_needs_renewal(INT64_MAX, life, now));
	assert_false(pki_needs_renewal(INT64_MAX, INT64_MAX, INT64_MIN + 1));
	assert_true(pki_needs_renewal(INT64_MIN, life, now));
}

static void test_serial_hex(void **state)
{
	ASN1_INTEGER *s = NULL;
	char hex[PKI_SERIAL_HEX_MAX];
	for (int i = 0; i < 32; i++) {
		assert_int_equal(pki_serial_random(&s), 0);
		assert_int_equal(pki_serial_to_hex(s, hex), 0);
		assert_true(strlen(hex) <= 32);
		assert_int_equal(strspn(hex, "0123456789abcdef"), strlen(hex));
		ASN1_INTEGER *back = NULL;
		assert_int_equal(pki_serial_from_hex(hex, &back), 0);
		assert_int_equal(ASN1_INTEGER_cmp(s, back), 0);
		ASN1_INTEGER_free(back);
		ASN1_INTEGER_free(s);
	}
	assert_int_equal(pki_serial_from_hex("0aBC01", &s), 0);
	assert_int_equal(ASN1_INTEGER_get(s), 0x0abc01);
	assert_int_equal(pki_serial_to_hex(s, hex), 0);
	assert_string_equal(hex, "0abc01");
	ASN1_INTEGER_free(s);
	assert_int_equal(pki_serial_from_hex("ffffffffffffffffffffffffffffffffffffffff", &s), 0);
	ASN1_INTEGER_free(s);

	static const char *bad[] = { "", "0", "000", "g", "-1", "+1", " 1", "1 ", "0x1",
				     "fffffffffffffffffffffffffffffffffffffffff" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = NULL;
		if (pki_serial_from_hex(bad[i], &s) != -EINVAL)
			fail_msg("serial '%s' accepted", bad[i]);
		assert_null(s);
	}
	s = ASN1_INTEGER_new();
	assert_int_equal(ASN1_INTEGER_set(s, -5), 1);
	assert_int_equal(pki_serial_to_hex(s, hex), -EINVAL);
	assert_int_equal(ASN1_INTEGER_set(s, 0), 1);
	assert_int_equal(pki_serial_to_hex(s, hex), -EINVAL);
	ASN1_INTEGER_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_leaf_info, pki_fixture_setup, pki_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_root_info, pki_fixture_setup, pki_fixture_teardown),
		cmocka_unit_test(test_needs_renewal),
		cmocka_unit_test(test_serial_hex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
