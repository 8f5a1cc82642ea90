/* The cell's root CA: creation writes ca.key 0600 and ca.crt 0644 in a
 * 0700 directory; the root is a self-signed P-256 CA with the subject,
 * validity, serial and extensions the design names — above all a critical
 * nameConstraints extension permitting exactly the cell zone, the LAN
 * scope (the private-use domains, the host name given at creation, the
 * RFC 1918 ranges) and the two cell networks, parsed back here with
 * OpenSSL directly rather than with the module's own reader; a root made
 * before the LAN scope (zone and cell networks only) still loads. Loading refuses a key file that group or others
 * can read, a key that is not the certificate's, and missing files;
 * creation never replaces an existing root; ensure creates once and then
 * loads; a config change is detected by pki_ca_matches_config. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "common/buf.h"
#include "model/config.h"
#include "pki/pki_ca.h"
#include "pki/pki_ext.h"
#include "pki/pki_ossl.h"
#include "pki/pki_pem.h"
#include "common/banned.h"

#define NOW INT64_C(1750000000) /* 2025-06-15 */

struct fx {
	char dir[64];
	char key[96];
	char crt[96];
	struct cell_config c;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_pki_ca.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	if (snprintf(f->key, sizeof(f->key), "%s/ca.key", f->dir) >= (int)sizeof(f->key) ||
	    snprintf(f->crt, sizeof(f->crt), "%s/ca.crt", f->dir) >= (int)sizeof(f->crt))
		return -1;
	config_defaults(&f->c);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	unlink(f->key);
	unlink(f->crt);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void create(struct fx *f)
{
	char err[256] = "";
	int r = pki_ca_create(f->dir, &f->c, NULL, NOW, err, sizeof(err));
	if (r != 0)
		fail_msg("pki_ca_create: %d %s", r, err);
}

static X509 *read_root(const char *path)
{
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	X509 *x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	assert_non_null(x);
	return x;
}

static void test_files_and_modes(void **state)
{
	struct fx *f = *state;
	create(f);
	struct stat st;
	assert_int_equal(stat(f->key, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(f->crt, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(stat(f->dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);

	/* The key is an unencrypted P-256 PKCS#8 key. */
	FILE *fp = fopen(f->key, "r");
	assert_non_null(fp);
	char line[64] = "";
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_string_equal(line, "-----BEGIN PRIVATE KEY-----\n");
	rewind(fp);
	EVP_PKEY *k = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	assert_non_null(k);
	assert_true(EVP_PKEY_is_a(k, "EC"));
	char group[32] = "";
	assert_int_equal(EVP_PKEY_get_group_name(k, group, sizeof(group), NULL), 1);
	assert_string_equal(group, "prime256v1");
	X509 *x = read_root(f->crt);
	assert_int_equal(X509_check_private_key(x, k), 1);
	X509_free(x);
	EVP_PKEY_free(k);
}

static void test_subject_validity_serial(void **state)
{
	struct fx *f = *state;
	create(f);
	X509 *x = read_root(f->crt);

	char buf[256];
	X509_NAME *subj = X509_get_subject_name(x);
	assert_true(X509_NAME_get_text_by_NID(subj, NID_commonName, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "PIC mycell.cell root CA");
	assert_true(X509_NAME_get_text_by_NID(subj, NID_organizationName, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "Personal Internet Cell");
	assert_int_equal(X509_NAME_cmp(subj, X509_get_issuer_name(x)), 0);
	assert_int_equal(X509_get_version(x), X509_VERSION_3);

	/* Self-signed, by the key in the certificate. */
	EVP_PKEY *pub = X509_get0_pubkey(x);
	assert_int_equal(X509_verify(x, pub), 1);
	assert_true(X509_get_signature_nid(x) == NID_ecdsa_with_SHA256);

	int64_t nb, na;
	assert_int_equal(pki_ossl_time_get(X509_get0_notBefore(x), &nb), 0);
	assert_int_equal(pki_ossl_time_get(X509_get0_notAfter(x), &na), 0);
	assert_int_equal(nb, NOW - PKI_CA_BACKDATE_S);
	assert_int_equal(na, NOW + 3653 * INT64_C(86400));

	/* Positive, at most 128 bits, and different from another root's. */
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	assert_non_null(bn);
	assert_false(BN_is_negative(bn));
	assert_false(BN_is_zero(bn));
	assert_true(BN_num_bits(bn) <= 128);
	assert_true(BN_num_bits(bn) > 64); /* 2^-64 chance of a false failure */
	unlink(f->key);
	unlink(f->crt);
	create(f);
	X509 *y = read_root(f->crt);
	assert_int_not_equal(ASN1_INTEGER_cmp(X509_get0_serialNumber(x), X509_get0_serialNumber(y)), 0);
	BN_free(bn);
	X509_free(y);
	X509_free(x);
}

static int ext_critical(X509 *x, int nid)
{
	int idx = X509_get_ext_by_NID(x, nid, -1);
	assert_true(idx >= 0);
	assert_int_equal(X509_get_ext_by_NID(x, nid, idx), -1); /* only one */
	return X509_EXTENSION_get_critical(X509_get_ext(x, idx));
}

static void test_ca_extensions(void **state)
{
	struct fx *f = *state;
	create(f);
	X509 *x = read_root(f->crt);

	int crit = -1;
	BASIC_CONSTRAINTS *bc = X509_get_ext_d2i(x, NID_basic_constraints, &crit, NULL);
	assert_non_null(bc);
	assert_int_equal(crit, 1);
	assert_true(bc->ca);
	assert_non_null(bc->pathlen);
	assert_int_equal(ASN1_INTEGER_get(bc->pathlen), 0);
	BASIC_CONSTRAINTS_free(bc);

	assert_int_equal(ext_critical(x, NID_key_usage), 1);
	assert_int_equal(X509_get_key_usage(x), KU_KEY_CERT_SIGN | KU_CRL_SIGN);
	assert_int_equal(X509_get_extended_key_usage(x), UINT32_MAX); /* no EKU */

	assert_int_equal(ext_critical(x, NID_subject_key_identifier), 0);
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(x);
	assert_non_null(ski);
	assert_int_equal(ASN1_STRING_length(ski), 20);
	X509_free(x);
}

static void test_name_constraints(void **state)
{
	struct fx *f = *state;
	create(f);
	X509 *x = read_root(f->crt);

	assert_int_equal(ext_critical(x, NID_name_constraints), 1);
	int crit = -1;
	NAME_CONSTRAINTS *nc = X509_get_ext_d2i(x, NID_name_constraints, &crit, NULL);
	assert_non_null(nc);
	assert_int_equal(crit, 1);
	assert_true(sk_GENERAL_SUBTREE_num(nc->excludedSubtrees) <= 0); /* absent or empty */
	/* The zone and the three private-use domains, the two cell networks
	 * and the three RFC 1918 ranges. */
	assert_int_equal(sk_GENERAL_SUBTREE_num(nc->permittedSubtrees), 9);

	static const char *const dns[] = { "mycell.cell", "local", "home.arpa", "internal" };
	for (int i = 0; i < 4; i++) {
		const GENERAL_SUBTREE *st = sk_GENERAL_SUBTREE_value(nc->permittedSubtrees, i);
		assert_int_equal(st->base->type, GEN_DNS);
		assert_int_equal(ASN1_STRING_length(st->base->d.dNSName), (int)strlen(dns[i]));
		assert_memory_equal(ASN1_STRING_get0_data(st->base->d.dNSName), dns[i], strlen(dns[i]));
		assert_null(st->minimum);
		assert_null(st->maximum);
	}

	static const unsigned char nets[5][8] = {
		{ 172, 20, 0, 0, 255, 255, 0, 0 },  /* ip_range */
		{ 10, 0, 0, 0, 255, 255, 255, 0 },  /* vpn_subnet */
		{ 10, 0, 0, 0, 255, 0, 0, 0 },      /* RFC 1918 */
		{ 172, 16, 0, 0, 255, 240, 0, 0 },
		{ 192, 168, 0, 0, 255, 255, 0, 0 },
	};
	for (int i = 0; i < 5; i++) {
		const GENERAL_SUBTREE *st = sk_GENERAL_SUBTREE_value(nc->permittedSubtrees, 4 + i);
		assert_int_equal(st->base->type, GEN_IPADD);
		assert_int_equal(ASN1_STRING_length(st->base->d.iPAddress), 8);
		assert_memory_equal(ASN1_STRING_get0_data(st->base->d.iPAddress), nets[i], 8);
	}
	NAME_CONSTRAINTS_free(nc);
	X509_free(x);
}

/* The host's name at creation joins the LAN scope, lower-cased, with its
 * first label; what a LAN domain or the zone covers already does not. */
static void expect_lan_names(struct fx *f, const char *host, const char *const *want, size_t n_want)
{
	char err[256] = "";
	unlink(f->crt);
	unlink(f->key);
	assert_int_equal(pki_ca_create(f->dir, &f->c, host, NOW, err, sizeof(err)), 0);
	struct pki_ca *ca = NULL;
	assert_int_equal(pki_ca_load(f->dir, &ca), 0);
	if (ca->n_lan_names != 3 + n_want)
		fail_msg("host '%s': %zu LAN names, want %zu", host ? host : "(null)", ca->n_lan_names, 3 + n_want);
	assert_string_equal(ca->lan_names[0], "local");
	assert_string_equal(ca->lan_names[1], "home.arpa");
	assert_string_equal(ca->lan_names[2], "internal");
	for (size_t i = 0; i < n_want; i++)
		assert_string_equal(ca->lan_names[3 + i], want[i]);
	assert_true(pki_ca_matches_config(ca, &f->c));
	pki_ca_free(ca);
}

static void test_host_name_scope(void **state)
{
	struct fx *f = *state;
	expect_lan_names(f, "PicBox.Lan", (const char *const[]){ "picbox.lan", "picbox" }, 2);
	expect_lan_names(f, "picbox", (const char *const[]){ "picbox" }, 1);
	expect_lan_names(f, "picbox.local", (const char *const[]){ "picbox" }, 1);
	expect_lan_names(f, "box.mycell.cell", (const char *const[]){ "box" }, 1);
	expect_lan_names(f, "bad_name", NULL, 0);
	expect_lan_names(f, NULL, NULL, 0);
}

static void test_covers(void **state)
{
	struct fx *f = *state;
	char err[256] = "";
	assert_int_equal(pki_ca_create(f->dir, &f->c, "picbox", NOW, err, sizeof(err)), 0);
	struct pki_ca *ca = NULL;
	assert_int_equal(pki_ca_load(f->dir, &ca), 0);
	static const char *const yes[] = { "mycell.cell", "www.mycell.cell", "picbox", "picbox.local",
					   "nas.home.arpa", "printer.internal" };
	static const char *const no[] = { "example.org", "picbox2", "cell", "arpa", "mycell.cell.evil" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!pki_ca_covers_name(ca, yes[i]))
			fail_msg("%s not covered", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (pki_ca_covers_name(ca, no[i]))
			fail_msg("%s covered", no[i]);
	assert_true(pki_ca_covers_ip(ca, 0xc0a84d01u));  /* 192.168.77.1 */
	assert_true(pki_ca_covers_ip(ca, 0xac1f0001u));  /* 172.31.0.1 */
	assert_true(pki_ca_covers_ip(ca, 0x0a630001u));  /* 10.99.0.1 */
	assert_false(pki_ca_covers_ip(ca, 0xac200001u)); /* 172.32.0.1 */
	assert_false(pki_ca_covers_ip(ca, 0x08080808u)); /* 8.8.8.8 */
	assert_false(pki_ca_covers_ip(ca, 0x64400001u)); /* 100.64.0.1 */
	pki_ca_free(ca);
}

/* A root of the first releases: the zone and the two cell networks only.
 * It loads, covers no LAN name or address, and still matches the config. */
static void test_root_without_lan_scope(void **state)
{
	struct fx *f = *state;
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	assert_non_null(key);
	assert_non_null(x);
	const struct ipv4_net nets[2] = { { 0xac140000u, 16 }, { 0x0a000000u, 24 } };
	X509_NAME *name = X509_get_subject_name(x);
	assert_int_equal(X509_set_version(x, X509_VERSION_3), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 7), 1);
	assert_int_equal(X509_set_pubkey(x, key), 1);
	assert_int_equal(pki_ossl_time_set(X509_getm_notBefore(x), NOW), 0);
	assert_int_equal(pki_ossl_time_set(X509_getm_notAfter(x), NOW + 86400), 0);
	assert_int_equal(X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_ASC,
						    (const unsigned char *)"PIC mycell.cell root CA", -1, -1, 0), 1);
	assert_int_equal(X509_set_issuer_name(x, name), 1);
	assert_int_equal(pki_ext_add(x, x, NID_basic_constraints, "critical,CA:TRUE,pathlen:0"), 0);
	assert_int_equal(pki_ext_add(x, x, NID_key_usage, "critical,keyCertSign,cRLSign"), 0);
	assert_int_equal(pki_ext_add_name_constraints(x, "mycell.cell", NULL, 0, nets, 2), 0);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	assert_int_equal(pki_pem_write_key_file(f->key, key), 0);
	assert_int_equal(pki_pem_write_cert_file(f->crt, x), 0);
	X509_free(x);
	EVP_PKEY_free(key);

	struct pki_ca *ca = NULL;
	assert_int_equal(pki_ca_load(f->dir, &ca), 0);
	assert_string_equal(ca->zone, "mycell.cell");
	assert_int_equal(ca->n_lan_names, 0);
	assert_int_equal(ca->n_nets, 2);
	assert_true(pki_ca_matches_config(ca, &f->c));
	assert_true(pki_ca_covers_name(ca, "www.mycell.cell"));
	assert_false(pki_ca_covers_name(ca, "picbox.local"));
	assert_true(pki_ca_covers_ip(ca, 0xac140001u));
	assert_false(pki_ca_covers_ip(ca, 0xc0a84d01u));
	pki_ca_free(ca);
}

static void test_other_config(void **state)
{
	/* The zone is lower-cased; networks come from the config, host bits
	 * cleared. */
	struct fx *f = *state;
	snprintf(f->c.cell_name, sizeof(f->c.cell_name), "Home");
	snprintf(f->c.domain, sizeof(f->c.domain), "Example.NET");
	f->c.ip_range = (struct ipv4_net){ 0xc0a82a00u, 24 };   /* 192.168.42.0/24 */
	f->c.vpn_subnet = (struct ipv4_net){ 0x0a080801u, 28 }; /* 10.8.8.1/28 */
	create(f);
	struct pki_ca *ca = NULL;
	assert_int_equal(pki_ca_load(f->dir, &ca), 0);
	assert_string_equal(ca->zone, "home.example.net");
	assert_int_equal(ca->n_nets, 5);
	assert_int_equal(ca->nets[0].addr, 0xc0a82a00u);
	assert_int_equal(ca->nets[0].prefix, 24);
	assert_int_equal(ca->nets[1].addr, 0x0a080800u);
	assert_int_equal(ca->nets[1].prefix, 28);
	assert_true(pki_ca_matches_config(ca, &f->c));
	pki_ca_free(ca);
}

static void test_load(void **state)
{
	struct fx *f = *state;
	create(f);
	struct pki_ca *ca = NULL;
	assert_int_equal(pki_ca_load(f->dir, &ca), 0);
	assert_non_null(ca->key);
	assert_non_null(ca->cert);
	assert_string_equal(ca->zone, "mycell.cell");
	assert_int_equal(ca->n_nets, 5);
	assert_int_equal(ca->nets[0].addr, 0xac140000u);
	assert_int_equal(ca->nets[0].prefix, 16);
	assert_int_equal(ca->nets[1].addr, 0x0a000000u);
	assert_int_equal(ca->nets[1].prefix, 24);
	assert_int_equal(ca->not_before, NOW - PKI_CA_BACKDATE_S);
	assert_int_equal(ca->not_after, NOW + 3653 * INT64_C(86400));

	/* The PEM handed to devices is the file's content. */
	struct buf pem, file;
	buf_init(&pem, 65536);
	buf_init(&file, 65536);
	assert_int_equal(pki_ca_cert_pem(ca, &pem), 0);
	FILE *fp = fopen(f->crt, "r");
	assert_non_null(fp);
	char chunk[8192];
	size_t n = fread(chunk, 1, sizeof(chunk), fp);
	fclose(fp);
	assert_int_equal(buf_append(&file, chunk, n), 0);
	assert_string_equal(pem.data, file.data);
	buf_free(&pem);
	buf_free(&file);

	assert_true(pki_ca_matches_config(ca, &f->c));
	struct cell_config d = f->c;
	snprintf(d.cell_name, sizeof(d.cell_name), "other");
	assert_false(pki_ca_matches_config(ca, &d));
	d = f->c;
	d.vpn_subnet.prefix = 25;
	assert_false(pki_ca_matches_config(ca, &d));
	d = f->c;
	d.ip_range.addr = 0xac150000u;
	assert_false(pki_ca_matches_config(ca, &d));
	pki_ca_free(ca);
	pki_ca_free(NULL);
}

static void test_load_refuses_open_key(void **state)
{
	struct fx *f = *state;
	create(f);
	struct pki_ca *ca = NULL;
	static const mode_t bad[] = { 0644, 0640, 0604, 0660, 0610 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(chmod(f->key, bad[i]), 0);
		assert_int_equal(pki_ca_load(f->dir, &ca), -EPERM);
		assert_null(ca);
	}
	assert_int_equal(chmod(f->key, 0400), 0);
	assert_int_equal(pki_ca_load(f->dir, &ca), 0);
	pki_ca_free(ca);

	/* A symlinked key is refused too. */
	char moved[128];
	snprintf(moved, sizeof(moved), "%s/real.key", f->dir);
	assert_int_equal(rename(f->key, moved), 0);
	assert_int_equal(symlink(moved, f->key), 0);
	ca = NULL;
	assert_int_equal(pki_ca_load(f->dir, &ca), -ELOOP);
	assert_null(ca);
	unlink(moved);
}

static void test_load_refuses_foreign_key(void **state)
{
	struct fx *f = *state;
	create(f);
	/* A second root elsewhere; its key next to the first certificate. */
	char other[64] = "/tmp/test_pki_ca2.XXXXXX";
	assert_non_null(mkdtemp(other));
	char err[256];
	assert_int_equal(pki_ca_create(other, &f->c, NULL, NOW, err, sizeof(err)), 0);
	char other_key[96], other_crt[96];
	snprintf(other_key, sizeof(other_key), "%s/ca.key", other);
	snprintf(other_crt, sizeof(other_crt), "%s/ca.crt", other);
	assert_int_equal(rename(other_key, f->key), 0);
	unlink(other_crt);
	rmdir(other);

	struct pki_ca *ca = NULL;
	assert_int_equal(pki_ca_load(f->dir, &ca), -EKEYREJECTED);
	assert_null(ca);
	assert_int_equal(pki_ca_ensure(f->dir, &f->c, NULL, NOW, &ca, err, sizeof(err)), -EKEYREJECTED);
	assert_non_null(strstr(err, "does not match"));
}

static void test_load_missing_and_garbage(void **state)
{
	struct fx *f = *state;
	struct pki_ca *ca = NULL;
	assert_int_equal(pki_ca_load(f->dir, &ca), -ENOENT);
	create(f);
	unlink(f->key);
	assert_int_equal(pki_ca_load(f->dir, &ca), -ENOENT);

	/* ca.crt without its key: ensure does not replace the root. */
	char err[256] = "";
	assert_int_equal(pki_ca_ensure(f->dir, &f->c, NULL, NOW, &ca, err, sizeof(err)), -ENOENT);
	assert_null(ca);
	assert_true(err[0] != '\0');

	/* A key file that is not PEM. */
	FILE *fp = fopen(f->key, "w");
	assert_non_null(fp);
	fputs("not a key\n", fp);
	fclose(fp);
	assert_int_equal(chmod(f->key, 0600), 0);
	assert_int_equal(pki_ca_load(f->dir, &ca), -EBADMSG);
	assert_null(ca);
}

static void test_create_keeps_existing_root(void **state)
{
	struct fx *f = *state;
	create(f);
	struct stat before, after;
	assert_int_equal(stat(f->crt, &before), 0);
	char err[256] = "";
	assert_int_equal(pki_ca_create(f->dir, &f->c, NULL, NOW, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "ca.crt"));
	assert_int_equal(stat(f->crt, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);

	/* A key left without a certificate (a crash between the two writes)
	 * is replaced. */
	unlink(f->crt);
	create(f);
	struct pki_ca *ca = NULL;
	assert_int_equal(pki_ca_load(f->dir, &ca), 0);
	pki_ca_free(ca);
}

static void test_ensure(void **state)
{
	struct fx *f = *state;
	struct pki_ca *a = NULL, *b = NULL;
	char err[256] = "";
	assert_int_equal(pki_ca_ensure(f->dir, &f->c, NULL, NOW, &a, err, sizeof(err)), 1);
	assert_non_null(a);
	/* A later start loads the same root, even for another config. */
	struct cell_config d = f->c;
	snprintf(d.cell_name, sizeof(d.cell_name), "renamed");
	assert_int_equal(pki_ca_ensure(f->dir, &d, NULL, NOW + 100, &b, err, sizeof(err)), 0);
	assert_non_null(b);
	assert_int_equal(X509_cmp(a->cert, b->cert), 0);
	assert_true(pki_ca_matches_config(b, &f->c));
	assert_false(pki_ca_matches_config(b, &d));
	pki_ca_free(a);
	pki_ca_free(b);
}

static void test_ensure_creates_dir(void **state)
{
	struct fx *f = *state;
	char sub[96];
	snprintf(sub, sizeof(sub), "%s/pki", f->dir);
	struct pki_ca *ca = NULL;
	char err[256] = "";
	assert_int_equal(pki_ca_ensure(sub, &f->c, NULL, NOW, &ca, err, sizeof(err)), 1);
	struct stat st;
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	pki_ca_free(ca);
	char p[128];
	snprintf(p, sizeof(p), "%s/ca.key", sub);
	unlink(p);
	snprintf(p, sizeof(p), "%s/ca.crt", sub);
	unlink(p);
	rmdir(sub);
}

static void test_long_zone(void **state)
{
	/* A zone too long for "PIC <zone> root CA" in a common name. */
	struct fx *f = *state;
	snprintf(f->c.cell_name, sizeof(f->c.cell_name), "a-rather-long-cell-name");
	snprintf(f->c.domain, sizeof(f->c.domain), "with-a-long-domain.example.org");
	create(f);
	X509 *x = read_root(f->crt);
	char buf[128];
	assert_true(X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "PIC root CA");
	X509_free(x);
	struct pki_ca *ca = NULL;
	assert_int_equal(pki_ca_load(f->dir, &ca), 0);
	assert_string_equal(ca->zone, "a-rather-long-cell-name.with-a-long-domain.example.org");
	pki_ca_free(ca);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_files_and_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subject_validity_serial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ca_extensions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_constraints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_name_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_covers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_without_lan_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_refuses_open_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_refuses_foreign_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_missing_and_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_keeps_existing_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ensure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ensure_creates_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_zone, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
