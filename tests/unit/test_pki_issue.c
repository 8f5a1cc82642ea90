/* Leaf issuance: a certificate for the zone, a subdomain and a cell
 * address verifies against the root with OpenSSL's own chain verification
 * (TLS server purpose, host name and IP checks) and carries the promised
 * extensions, validity and a key that matches it. OpenSSL enforces the
 * root's name constraints: leaves forged by hand with the CA key for a
 * name outside the zone or an address outside the networks fail with
 * X509_V_ERR_PERMITTED_VIOLATION while an otherwise identical forgery for
 * a name inside passes. pki_issue refuses out-of-zone names, bad labels,
 * foreign addresses, duplicates and out-of-range counts and lifetimes with
 * -EINVAL and a message naming the field and entry. */
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

#include "model/config.h"
#include "pki/pki_ca.h"
#include "pki/pki_issue.h"
#include "pki/pki_ossl.h"
#include "pki_fixture.h"
#include "common/banned.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static X509 *parse(const struct buf *pem)
{
	BIO *bio = BIO_new_mem_buf(pem->data, (int)pem->len);
	assert_non_null(bio);
	X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	assert_non_null(x);
	return x;
}

/* OpenSSL's verdict on `leaf` under `root` at time `at`, as a TLS server
 * certificate for `host` and/or `ip` (either may be NULL). */
static int verify(X509 *root, X509 *leaf, int64_t at, const char *host, const char *ip)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	assert_non_null(store);
	assert_non_null(ctx);
	assert_int_equal(X509_STORE_add_cert(store, root), 1);
	assert_int_equal(X509_STORE_CTX_init(ctx, store, leaf, NULL), 1);
	X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_time(param, (time_t)at);
	assert_int_equal(X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER), 1);
	if (host)
		assert_int_equal(X509_VERIFY_PARAM_set1_host(param, host, 0), 1);
	if (ip)
		assert_int_equal(X509_VERIFY_PARAM_set1_ip_asc(param, ip), 1);
	int ok = X509_verify_cert(ctx);
	int err = X509_STORE_CTX_get_error(ctx);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	if (ok == 1)
		assert_int_equal(err, X509_V_OK);
	else
		assert_int_not_equal(err, X509_V_OK);
	return err;
}

static void test_issue_and_verify(void **state)
{
	struct pki_fixture *f = *state;
	const char *names[] = { "mycell.cell", "calendar.mycell.cell" };
	uint32_t ips[] = { IP(172, 20, 0, 10) };
	struct pki_leaf leaf;
	struct field_error e = { 0 };
	assert_int_equal(pki_issue(f->ca, names, 2, ips, 1, 90, f->now, &leaf, &e), 0);

	X509 *x = parse(&leaf.cert_pem);
	assert_int_equal(verify(f->ca->cert, x, f->now, "calendar.mycell.cell", NULL), X509_V_OK);
	assert_int_equal(verify(f->ca->cert, x, f->now, "mycell.cell", NULL), X509_V_OK);
	assert_int_equal(verify(f->ca->cert, x, f->now, NULL, "172.20.0.10"), X509_V_OK);
	/* The checks above can fail: */
	assert_int_equal(verify(f->ca->cert, x, f->now, "files.mycell.cell", NULL), X509_V_ERR_HOSTNAME_MISMATCH);
	assert_int_equal(verify(f->ca->cert, x, f->now, NULL, "172.20.0.11"), X509_V_ERR_IP_ADDRESS_MISMATCH);
	assert_int_equal(verify(f->ca->cert, x, f->now + 91 * 86400, NULL, NULL), X509_V_ERR_CERT_HAS_EXPIRED);
	assert_int_equal(verify(f->ca->cert, x, f->now - 3600, NULL, NULL), X509_V_ERR_CERT_NOT_YET_VALID);
	/* ...and a root with the same name but another key does not vouch
	 * for it. */
	X509 *other = X509_dup(f->ca->cert);
	assert_non_null(other);
	EVP_PKEY *k = EVP_EC_gen("P-256");
	assert_non_null(k);
	assert_int_equal(X509_set_pubkey(other, k), 1);
	assert_true(X509_sign(other, k, EVP_sha256()) > 0);
	assert_int_equal(verify(other, x, f->now, NULL, NULL), X509_V_ERR_CERT_SIGNATURE_FAILURE);
	X509_free(other);
	EVP_PKEY_free(k);

	/* The key is the certificate's, in unencrypted PKCS#8. */
	assert_non_null(strstr(leaf.key_pem.data, "-----BEGIN PRIVATE KEY-----"));
	BIO *bio = BIO_new_mem_buf(leaf.key_pem.data, (int)leaf.key_pem.len);
	EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	assert_non_null(key);
	assert_true(EVP_PKEY_is_a(key, "EC"));
	assert_int_equal(X509_check_private_key(x, key), 1);
	assert_int_not_equal(X509_check_private_key(f->ca->cert, key), 1);
	EVP_PKEY_free(key);

	/* Serial and validity as returned. */
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	assert_non_null(bn);
	char *hex = BN_bn2hex(bn);
	BN_free(bn);
	assert_non_null(hex);
	assert_int_equal(strcasecmp(hex, leaf.serial), 0);
	assert_int_equal(strspn(leaf.serial, "0123456789abcdef"), strlen(leaf.serial));
	OPENSSL_free(hex);
	int64_t nb, na;
	assert_int_equal(pki_ossl_time_get(X509_get0_notBefore(x), &nb), 0);
	assert_int_equal(pki_ossl_time_get(X509_get0_notAfter(x), &na), 0);
	assert_int_equal(nb, f->now - 300);
	assert_int_equal(na, f->now + 90 * 86400);
	assert_int_equal(leaf.not_before, nb);
	assert_int_equal(leaf.not_after, na);
	X509_free(x);
	pki_leaf_free(&leaf);
	assert_null(leaf.key_pem.data);
	assert_null(leaf.cert_pem.data);
	pki_leaf_free(&leaf);
}

static void test_leaf_extensions(void **state)
{
	struct pki_fixture *f = *state;
	const char *names[] = { "Calendar.MyCell.cell", "*.mycell.cell" };
	uint32_t ips[] = { IP(10, 0, 0, 5), IP(172, 20, 255, 254) };
	struct pki_leaf leaf;
	assert_int_equal(pki_issue(f->ca, names, 2, ips, 2, 30, f->now, &leaf, NULL), 0);
	X509 *x = parse(&leaf.cert_pem);

	char cn[128];
	assert_true(X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof(cn)) > 0);
	assert_string_equal(cn, "calendar.mycell.cell");
	assert_int_equal(X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(f->ca->cert)), 0);

	int crit = -1;
	BASIC_CONSTRAINTS *bc = X509_get_ext_d2i(x, NID_basic_constraints, &crit, NULL);
	assert_non_null(bc);
	assert_false(bc->ca);
	BASIC_CONSTRAINTS_free(bc);
	assert_int_equal(X509_get_key_usage(x), KU_DIGITAL_SIGNATURE);
	assert_int_equal(X509_get_extended_key_usage(x), XKU_SSL_SERVER);
	assert_int_equal(X509_check_ca(x), 0);

	/* authorityKeyIdentifier = the root's subjectKeyIdentifier. */
	const ASN1_OCTET_STRING *akid = X509_get0_authority_key_id(x);
	assert_non_null(akid);
	assert_int_equal(ASN1_OCTET_STRING_cmp(akid, X509_get0_subject_key_id(f->ca->cert)), 0);
	assert_non_null(X509_get0_subject_key_id(x));

	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, &crit, NULL);
	assert_non_null(gens);
	assert_int_equal(crit, 0);
	assert_int_equal(sk_GENERAL_NAME_num(gens), 4);
	const GENERAL_NAME *gn = sk_GENERAL_NAME_value(gens, 0);
	assert_int_equal(gn->type, GEN_DNS);
	assert_string_equal((const char *)ASN1_STRING_get0_data(gn->d.dNSName), "calendar.mycell.cell");
	gn = sk_GENERAL_NAME_value(gens, 1);
	assert_int_equal(gn->type, GEN_DNS);
	assert_string_equal((const char *)ASN1_STRING_get0_data(gn->d.dNSName), "*.mycell.cell");
	static const unsigned char ip0[4] = { 10, 0, 0, 5 }, ip1[4] = { 172, 20, 255, 254 };
	gn = sk_GENERAL_NAME_value(gens, 2);
	assert_int_equal(gn->type, GEN_IPADD);
	assert_int_equal(ASN1_STRING_length(gn->d.iPAddress), 4);
	assert_memory_equal(ASN1_STRING_get0_data(gn->d.iPAddress), ip0, 4);
	gn = sk_GENERAL_NAME_value(gens, 3);
	assert_memory_equal(ASN1_STRING_get0_data(gn->d.iPAddress), ip1, 4);
	GENERAL_NAMES_free(gens);

	/* The wildcard covers one label under the zone. */
	assert_int_equal(verify(f->ca->cert, x, f->now, "files.mycell.cell", NULL), X509_V_OK);
	assert_int_equal(verify(f->ca->cert, x, f->now, NULL, "10.0.0.5"), X509_V_OK);
	assert_int_equal(verify(f->ca->cert, x, f->now, "a.b.mycell.cell", NULL), X509_V_ERR_HOSTNAME_MISMATCH);
	X509_free(x);
	pki_leaf_free(&leaf);
}

/* A leaf made by hand, signed with the CA key, carrying `san` (OpenSSL's
 * text form) — what a thief of the key could make. */
static X509 *forge(const struct pki_ca *ca, const char *cn, const char *san, int64_t now)
{
	X509 *x = X509_new();
	EVP_PKEY *k = EVP_EC_gen("P-256");
	ASN1_INTEGER *serial = ASN1_INTEGER_new();
	assert_non_null(x);
	assert_non_null(k);
	assert_non_null(serial);
	assert_int_equal(ASN1_INTEGER_set(serial, 4242), 1);
	assert_int_equal(X509_set_version(x, X509_VERSION_3), 1);
	assert_int_equal(X509_set_serialNumber(x, serial), 1);
	assert_int_equal(X509_set_pubkey(x, k), 1);
	assert_int_equal(X509_set_issuer_name(x, X509_get_subject_name(ca->cert)), 1);
	assert_int_equal(X509_NAME_add_entry_by_NID(X509_get_subject_name(x), NID_commonName, MBSTRING_ASC,
						    (const unsigned char *)cn, -1, -1, 0),
			 1);
	assert_int_equal(pki_ossl_time_set(X509_getm_notBefore(x), now - 60), 0);
	assert_int_equal(pki_ossl_time_set(X509_getm_notAfter(x), now + 86400), 0);
	X509V3_CTX ctx;
	X509V3_set_ctx(&ctx, ca->cert, x, NULL, NULL, 0);
	static const struct {
		int nid;
		const char *value;
	} exts[] = {
		{ NID_basic_constraints, "critical,CA:FALSE" },
		{ NID_key_usage, "critical,digitalSignature" },
		{ NID_ext_key_usage, "serverAuth" },
		{ NID_authority_key_identifier, "keyid:always" },
	};
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]) + 1; i++) {
		X509_EXTENSION *ext = i < sizeof(exts) / sizeof(exts[0]) ?
					      X509V3_EXT_nconf_nid(NULL, &ctx, exts[i].nid, exts[i].value) :
					      X509V3_EXT_nconf_nid(NULL, &ctx, NID_subject_alt_name, san);
		assert_non_null(ext);
		assert_int_equal(X509_add_ext(x, ext, -1), 1);
		X509_EXTENSION_free(ext);
	}
	assert_true(X509_sign(x, ca->key, EVP_sha256()) > 0);
	ASN1_INTEGER_free(serial);
	EVP_PKEY_free(k);
	return x;
}

static void test_name_constraints_enforced(void **state)
{
	struct pki_fixture *f = *state;
	static const struct {
		const char *cn;
		const char *san;
		int want;
	} cases[] = {
		/* The control: the forging itself yields valid certificates. */
		{ "www.mycell.cell", "DNS:www.mycell.cell", X509_V_OK },
		{ "mycell.cell", "DNS:mycell.cell,IP:10.0.0.200", X509_V_OK },
		{ "evil.example.org", "DNS:evil.example.org", X509_V_ERR_PERMITTED_VIOLATION },
		{ "www.mycell.cell", "DNS:www.mycell.cell,DNS:evil.example.org", X509_V_ERR_PERMITTED_VIOLATION },
		{ "notmycell.cell", "DNS:notmycell.cell", X509_V_ERR_PERMITTED_VIOLATION },
		{ "cell", "DNS:cell", X509_V_ERR_PERMITTED_VIOLATION },
		{ "www.mycell.cell", "DNS:www.mycell.cell,IP:8.8.8.8", X509_V_ERR_PERMITTED_VIOLATION },
		/* The LAN scope: private-use domains, RFC 1918 addresses. */
		{ "www.mycell.cell", "DNS:www.mycell.cell,IP:10.0.1.1", X509_V_OK },
		{ "picbox.local", "DNS:picbox.local,IP:192.168.1.10", X509_V_OK },
		{ "nas.home.arpa", "DNS:nas.home.arpa,DNS:printer.internal,IP:172.31.255.1", X509_V_OK },
		{ "www.mycell.cell", "DNS:www.mycell.cell,IP:172.32.0.1", X509_V_ERR_PERMITTED_VIOLATION },
		{ "www.mycell.cell", "DNS:www.mycell.cell,IP:100.64.0.1", X509_V_ERR_PERMITTED_VIOLATION },
		{ "arpa", "DNS:arpa", X509_V_ERR_PERMITTED_VIOLATION },
		{ "picbox", "DNS:picbox", X509_V_ERR_PERMITTED_VIOLATION },
		{ "www.mycell.cell", "DNS:www.mycell.cell,IP:fd00::1", X509_V_ERR_PERMITTED_VIOLATION },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		X509 *x = forge(f->ca, cases[i].cn, cases[i].san, f->now);
		int got = verify(f->ca->cert, x, f->now, NULL, NULL);
		if (got != cases[i].want)
			fail_msg("%s: verify gave %d (%s), want %d", cases[i].san, got,
				 X509_verify_cert_error_string(got), cases[i].want);
		X509_free(x);
	}
}

static void expect_refusal(struct pki_fixture *f, const char *const *names, size_t n_dns, const uint32_t *ips,
			   size_t n_ips, unsigned days, const char *field, const char *needle)
{
	struct pki_leaf leaf;
	memset(&leaf, 0x5a, sizeof(leaf));
	struct field_error e = { 0 };
	assert_int_equal(pki_issue(f->ca, names, n_dns, ips, n_ips, days, f->now, &leaf, &e), -EINVAL);
	assert_string_equal(e.field, field);
	if (!strstr(e.message, needle))
		fail_msg("message '%s' lacks '%s'", e.message, needle);
	/* ret_leaf is untouched. */
	assert_int_equal(((unsigned char *)&leaf)[0], 0x5a);
}

static void test_refusals(void **state)
{
	struct pki_fixture *f = *state;
	uint32_t good_ip[] = { IP(172, 20, 0, 10) };

	const char *outside[] = { "mycell.cell", "evil.example.org" };
	expect_refusal(f, outside, 2, NULL, 0, 90, "dns_names",
		       "dns_names[1] 'evil.example.org' is outside the cell zone 'mycell.cell'");
	const char *suffix[] = { "notmycell.cell" };
	expect_refusal(f, suffix, 1, NULL, 0, 90, "dns_names", "outside the cell zone");
	const char *parent[] = { "cell" };
	expect_refusal(f, parent, 1, NULL, 0, 90, "dns_names", "outside the cell zone");
	const char *wild_parent[] = { "*.cell" };
	expect_refusal(f, wild_parent, 1, NULL, 0, 90, "dns_names", "outside the cell zone");
	/* The message names the LAN scope too. */
	expect_refusal(f, parent, 1, NULL, 0, 90, "dns_names",
		       "and the LAN names the root covers, 'local', 'home.arpa', 'internal'");

	static const struct {
		const char *name;
		const char *why;
	} bad[] = {
		{ "bad_label.mycell.cell", "only letters, digits and hyphens" },
		{ "-x.mycell.cell", "starts with a hyphen" },
		{ "x-.mycell.cell", "ends with a hyphen" },
		{ "a..mycell.cell", "empty label" },
		{ "mycell.cell.", "empty label" },
		{ ".mycell.cell", "empty label" },
		{ "", "empty" },
		{ "*", "wildcard" },
		{ "a.*.mycell.cell", "wildcard" },
		{ "*x.mycell.cell", "wildcard" },
		{ "**.mycell.cell", "wildcard" },
		{ "*.*.mycell.cell", "wildcard" },
		{ "x y.mycell.cell", "only letters" },
		{ "1234567890123456789012345678901234567890123456789012345678901234.mycell.cell", "63" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *names[] = { "mycell.cell", bad[i].name };
		expect_refusal(f, names, 2, NULL, 0, 90, "dns_names", "dns_names[1]");
		expect_refusal(f, names, 2, NULL, 0, 90, "dns_names", bad[i].why);
	}
	/* A name that cannot be quoted is described, not echoed. */
	const char *ctl[] = { "a\x01.mycell.cell" };
	expect_refusal(f, ctl, 1, NULL, 0, 90, "dns_names", "dns_names[0] is not a valid DNS name");

	const char *ok[] = { "mycell.cell" };
	uint32_t foreign[] = { IP(172, 20, 0, 10), IP(8, 8, 8, 8) };
	expect_refusal(f, ok, 1, foreign, 2, 90, "ips",
		       "ips[1] 8.8.8.8 is outside the networks the root covers (172.20.0.0/16, 10.0.0.0/24, "
		       "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)");
	uint32_t shared[] = { IP(100, 64, 0, 1) };
	expect_refusal(f, ok, 1, shared, 1, 90, "ips", "100.64.0.1");
	uint32_t above_private[] = { IP(172, 32, 0, 0) };
	expect_refusal(f, ok, 1, above_private, 1, 90, "ips", "172.32.0.0");

	const char *dup[] = { "mycell.cell", "www.mycell.cell", "WWW.mycell.cell" };
	expect_refusal(f, dup, 3, NULL, 0, 90, "dns_names", "dns_names[2] 'WWW.mycell.cell' repeats dns_names[1]");
	uint32_t dup_ip[] = { IP(10, 0, 0, 2), IP(10, 0, 0, 2) };
	expect_refusal(f, ok, 1, dup_ip, 2, 90, "ips", "repeats");

	expect_refusal(f, NULL, 0, good_ip, 1, 90, "dns_names", "at least one");
	const char *many[PKI_MAX_DNS_NAMES + 1];
	char store[PKI_MAX_DNS_NAMES + 1][32];
	for (size_t i = 0; i <= PKI_MAX_DNS_NAMES; i++) {
		snprintf(store[i], sizeof(store[i]), "h%zu.mycell.cell", i);
		many[i] = store[i];
	}
	expect_refusal(f, many, PKI_MAX_DNS_NAMES + 1, NULL, 0, 90, "dns_names", "at most");
	uint32_t many_ips[PKI_MAX_IPS + 1];
	for (size_t i = 0; i <= PKI_MAX_IPS; i++)
		many_ips[i] = IP(172, 20, 1, i + 1);
	expect_refusal(f, ok, 1, many_ips, PKI_MAX_IPS + 1, 90, "ips", "at most");

	expect_refusal(f, ok, 1, NULL, 0, 0, "days", "between 1 and 825");
	expect_refusal(f, ok, 1, NULL, 0, PKI_LEAF_MAX_DAYS + 1, "days", "between 1 and 825");

	/* The limits themselves are accepted. */
	struct pki_leaf leaf;
	assert_int_equal(pki_issue(f->ca, many, PKI_MAX_DNS_NAMES, many_ips, PKI_MAX_IPS, PKI_LEAF_MAX_DAYS,
				   f->now, &leaf, NULL),
			 0);
	X509 *x = parse(&leaf.cert_pem);
	assert_int_equal(verify(f->ca->cert, x, f->now, "h31.mycell.cell", "172.20.1.16"), X509_V_OK);
	X509_free(x);
	pki_leaf_free(&leaf);
	assert_int_equal(pki_issue(f->ca, ok, 1, NULL, 0, 1, f->now, &leaf, NULL), 0);
	assert_int_equal(leaf.not_after, f->now + 86400);
	pki_leaf_free(&leaf);
}

/* The lifetime in seconds: 0 and one past 825 days refused with the field
 * named, 1 s and exactly 825 days issued and valid for just that long. */
static void test_lifetime_seconds(void **state)
{
	struct pki_fixture *f = *state;
	const char *names[] = { "mycell.cell" };
	static const int64_t bad[] = { 0, -1, PKI_LEAF_MAX_S + 1, INT64_MAX };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pki_leaf leaf;
		memset(&leaf, 0x5a, sizeof(leaf));
		struct field_error e = { 0 };
		assert_int_equal(pki_issue_lifetime(f->ca, names, 1, NULL, 0, bad[i], f->now, &leaf, &e), -EINVAL);
		assert_string_equal(e.field, "lifetime_s");
		assert_string_equal(e.message, "lifetime_s must be between 1 and 71280000 seconds");
		assert_int_equal(((unsigned char *)&leaf)[0], 0x5a);
	}
	/* The days field keeps its own name and message. */
	expect_refusal(f, names, 1, NULL, 0, 0, "days", "days must be between 1 and 825");

	static const int64_t good[] = { 1, 30, PKI_LEAF_MAX_S };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct pki_leaf leaf;
		struct field_error e = { 0 };
		assert_int_equal(pki_issue_lifetime(f->ca, names, 1, NULL, 0, good[i], f->now, &leaf, &e), 0);
		assert_int_equal(leaf.not_after, f->now + good[i]);
		X509 *x = parse(&leaf.cert_pem);
		int64_t nb, na;
		assert_int_equal(pki_ossl_time_get(X509_get0_notBefore(x), &nb), 0);
		assert_int_equal(pki_ossl_time_get(X509_get0_notAfter(x), &na), 0);
		assert_int_equal(na, f->now + good[i]);
		assert_int_equal(nb, leaf.not_before);
		assert_int_equal(verify(f->ca->cert, x, f->now, names[0], NULL), X509_V_OK);
		assert_int_equal(verify(f->ca->cert, x, f->now + good[i] + 1, names[0], NULL),
				 X509_V_ERR_CERT_HAS_EXPIRED);
		X509_free(x);
		pki_leaf_free(&leaf);
	}
	/* pki_issue's days are the same seconds. */
	struct pki_leaf leaf;
	assert_int_equal(pki_issue(f->ca, names, 1, NULL, 0, PKI_LEAF_MAX_DAYS, f->now, &leaf, NULL), 0);
	assert_int_equal(leaf.not_after, f->now + PKI_LEAF_MAX_S);
	pki_leaf_free(&leaf);
}

static void test_long_first_name(void **state)
{
	/* A first name longer than a common name may be: empty subject,
	 * critical subjectAltName (RFC 5280 4.2.1.6), still verifiable. */
	struct pki_fixture *f = *state;
	const char *names[] = { "a-very-long-host-name-label-that-goes-on-and-on.and-on.mycell.cell" };
	assert_true(strlen(names[0]) > 64);
	struct pki_leaf leaf;
	assert_int_equal(pki_issue(f->ca, names, 1, NULL, 0, 90, f->now, &leaf, NULL), 0);
	X509 *x = parse(&leaf.cert_pem);
	assert_int_equal(X509_NAME_entry_count(X509_get_subject_name(x)), 0);
	int idx = X509_get_ext_by_NID(x, NID_subject_alt_name, -1);
	assert_true(idx >= 0);
	assert_int_equal(X509_EXTENSION_get_critical(X509_get_ext(x, idx)), 1);
	assert_int_equal(verify(f->ca->cert, x, f->now, names[0], NULL), X509_V_OK);
	X509_free(x);
	pki_leaf_free(&leaf);
}

static void test_validity_bounded_by_root(void **state)
{
	struct pki_fixture *f = *state;
	const char *names[] = { "mycell.cell" };
	struct pki_leaf leaf;
	/* Near the root's end, a leaf ends with the root. */
	int64_t late = f->ca->not_after - 10 * 86400;
	assert_int_equal(pki_issue(f->ca, names, 1, NULL, 0, 90, late, &leaf, NULL), 0);
	assert_int_equal(leaf.not_after, f->ca->not_after);
	assert_int_equal(leaf.not_before, late - 300);
	pki_leaf_free(&leaf);
	/* Outside the root's validity nothing is issued. */
	assert_int_equal(pki_issue(f->ca, names, 1, NULL, 0, 90, f->ca->not_after, &leaf, NULL), -EKEYEXPIRED);
	assert_int_equal(pki_issue(f->ca, names, 1, NULL, 0, 90, f->ca->not_before - 1, &leaf, NULL), -EKEYEXPIRED);
}

static void test_serials_differ(void **state)
{
	struct pki_fixture *f = *state;
	const char *names[] = { "mycell.cell" };
	char seen[8][PKI_SERIAL_HEX_MAX];
	for (size_t i = 0; i < 8; i++) {
		struct pki_leaf leaf;
		assert_int_equal(pki_issue(f->ca, names, 1, NULL, 0, 90, f->now, &leaf, NULL), 0);
		memcpy(seen[i], leaf.serial, sizeof(seen[i]));
		assert_true(strlen(seen[i]) >= 16 && strlen(seen[i]) <= 32);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(seen[i], seen[j]);
		pki_leaf_free(&leaf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_issue_and_verify, pki_fixture_setup, pki_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_leaf_extensions, pki_fixture_setup, pki_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_name_constraints_enforced, pki_fixture_setup, pki_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, pki_fixture_setup, pki_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lifetime_seconds, pki_fixture_setup, pki_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_long_first_name, pki_fixture_setup, pki_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_validity_bounded_by_root, pki_fixture_setup, pki_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_serials_differ, pki_fixture_setup, pki_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
