/* Creating and loading the cell's root CA. */
#include "pki_ca.h"

#include "common/buf.h"
#include "pki_cert.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "common/buf.h"
#include "common/fsutil.h"
#include "pki/pki_ext.h"
#include "pki/pki_names.h"
#include "pki/pki_ossl.h"
#include "pki/pki_pem.h"
#include "pki/pki_serial.h"
#include "common/banned.h"

#define CN_MAX 64 /* ub-common-name */
#define ORGANIZATION "Personal Internet Cell"

static int join(char out[PATH_MAX], const char *dir, const char *file)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, file);
	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

/* The two networks of the cell, host bits cleared. */
static void config_nets(const struct cell_config *c, struct ipv4_net nets[2])
{
	nets[0] = (struct ipv4_net){ c->ip_range.addr & cidr_mask(c->ip_range.prefix), c->ip_range.prefix };
	nets[1] = (struct ipv4_net){ c->vpn_subnet.addr & cidr_mask(c->vpn_subnet.prefix),
				     c->vpn_subnet.prefix };
}

const struct ipv4_net pki_ca_private_nets[PKI_CA_N_PRIVATE_NETS] = {
	{ 0x0a000000, 8 },  /* 10.0.0.0/8 */
	{ 0xac100000, 12 }, /* 172.16.0.0/12 */
	{ 0xc0a80000, 16 }, /* 192.168.0.0/16 */
};

bool pki_ca_ip_private(uint32_t ip)
{
	return pki_names_ip_allowed(pki_ca_private_nets, PKI_CA_N_PRIVATE_NETS, ip);
}

/* What a new root vouches for: the cell's networks, then the private
 * ranges a LAN uses (RFC 1918). */
#define ROOT_NETS (2 + PKI_CA_N_PRIVATE_NETS)
static void root_nets(const struct cell_config *c, struct ipv4_net nets[ROOT_NETS])
{
	config_nets(c, nets);
	memcpy(nets + 2, pki_ca_private_nets, sizeof(pki_ca_private_nets));
}

static const char *const lan_domains[] = { PKI_CA_LAN_DOMAINS };
#define N_LAN_DOMAINS (sizeof(lan_domains) / sizeof(lan_domains[0]))

static bool under_any(const char *name, const char *zone, char (*names)[PKI_NAME_MAX + 1], size_t n)
{
	if (pki_names_in_zone(zone, name))
		return true;
	for (size_t i = 0; i < n; i++)
		if (pki_names_in_zone(names[i], name))
			return true;
	return false;
}

/* The DNS subtrees of a new root besides the zone: the private-use
 * domains, then the host's name and its first label where valid and not
 * already covered. */
static size_t root_lan_names(const char *zone, const char *host_name, char (*out)[PKI_NAME_MAX + 1])
{
	size_t n = 0;
	for (size_t i = 0; i < N_LAN_DOMAINS; i++)
		snprintf(out[n++], PKI_NAME_MAX + 1, "%s", lan_domains[i]);
	if (!host_name || pki_names_check_host(host_name, NULL) < 0)
		return n;
	char lower[PKI_NAME_MAX + 1];
	snprintf(lower, sizeof(lower), "%s", host_name);
	pki_names_lower(lower);
	char first[PKI_NAME_MAX + 1];
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(lower, "."), lower);
	const char *candidates[] = { lower, first };
	for (size_t i = 0; i < 2; i++)
		if (!under_any(candidates[i], zone, out, n))
			snprintf(out[n++], PKI_NAME_MAX + 1, "%s", candidates[i]);
	return n;
}

static int build_root(EVP_PKEY *key, const char *zone, const char *host_name, const struct ipv4_net *nets,
		      size_t n_nets, int64_t now, X509 **ret_x)
{
	_cleanup_(X509_freep) X509 *x = X509_new();
	_cleanup_(ASN1_INTEGER_freep) ASN1_INTEGER *serial = NULL;
	if (!x)
		return -ENOMEM;
	int r = pki_serial_random(&serial);
	if (r < 0)
		return r;
	if (!X509_set_version(x, X509_VERSION_3) || !X509_set_serialNumber(x, serial) ||
	    !X509_set_pubkey(x, key))
		return -ENOMEM;
	if ((r = pki_ossl_time_set(X509_getm_notBefore(x), now - PKI_CA_BACKDATE_S)) < 0 ||
	    (r = pki_ossl_time_set(X509_getm_notAfter(x), now + (int64_t)PKI_CA_DAYS * 86400)) < 0)
		return r;

	/* "PIC <zone> root CA" names the cell in trust stores; a zone too
	 * long for a common name leaves it to the name constraints. */
	char cn[CN_MAX + 1];
	const char *cn_text = cn;
	int n = snprintf(cn, sizeof(cn), "PIC %s root CA", zone);
	if (n < 0 || (size_t)n >= sizeof(cn))
		cn_text = "PIC root CA";
	X509_NAME *name = X509_get_subject_name(x);
	if (!X509_NAME_add_entry_by_NID(name, NID_organizationName, MBSTRING_ASC,
					(const unsigned char *)ORGANIZATION, -1, -1, 0) ||
	    !X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_ASC, (const unsigned char *)cn_text, -1, -1,
					0) ||
	    !X509_set_issuer_name(x, name))
		return -ENOMEM;

	char lan[PKI_CA_MAX_LAN_NAMES][PKI_NAME_MAX + 1];
	const char *lan_ptrs[PKI_CA_MAX_LAN_NAMES];
	size_t n_lan = root_lan_names(zone, host_name, lan);
	for (size_t i = 0; i < n_lan; i++)
		lan_ptrs[i] = lan[i];
	if ((r = pki_ext_add(x, x, NID_basic_constraints, "critical,CA:TRUE,pathlen:0")) < 0 ||
	    (r = pki_ext_add(x, x, NID_key_usage, "critical,keyCertSign,cRLSign")) < 0 ||
	    (r = pki_ext_add(x, x, NID_subject_key_identifier, "hash")) < 0 ||
	    (r = pki_ext_add_name_constraints(x, zone, lan_ptrs, n_lan, nets, n_nets)) < 0)
		return r;
	if (!X509_sign(x, key, EVP_sha256()))
		return -EIO;
	*ret_x = TAKE_PTR(x);
	return 0;
}

int pki_ca_create(const char *dir, const struct cell_config *c, const char *host_name, int64_t now, char *err,
		  size_t errlen)
{
	return pki_ca_create_files(dir, PKI_CA_KEY_FILE, PKI_CA_CERT_FILE, c, host_name, now, err, errlen);
}

int pki_ca_create_files(const char *dir, const char *key_file, const char *cert_file, const struct cell_config *c,
			const char *host_name, int64_t now, char *err, size_t errlen)
{
	char zone[CONFIG_ZONE_MAX + 1], key_path[PATH_MAX], cert_path[PATH_MAX];
	const char *why = NULL;
	if (config_zone(c, zone, sizeof(zone)) < 0 || pki_names_check_host(zone, &why) < 0) {
		pki_ossl_msg(err, errlen, "the cell zone is not a valid DNS name: %s",
			     why ? why : "it is too long");
		return -EINVAL;
	}
	if (join(key_path, dir, key_file) < 0 || join(cert_path, dir, cert_file) < 0) {
		pki_ossl_msg(err, errlen, "CA directory path '%s' is too long", dir);
		return -ENAMETOOLONG;
	}
	int r = fs_ensure_dir(dir, 0700);
	if (r < 0) {
		pki_ossl_msg(err, errlen, "cannot create CA directory '%s': %s", dir, strerror(-r));
		return r;
	}
	struct stat st;
	if (lstat(cert_path, &st) == 0) {
		pki_ossl_msg(err, errlen, "'%s' already exists", cert_path);
		return -EEXIST;
	}
	if (errno != ENOENT) {
		r = -errno;
		pki_ossl_msg(err, errlen, "cannot stat '%s': %s", cert_path, strerror(-r));
		return r;
	}

	struct ipv4_net nets[ROOT_NETS];
	root_nets(c, nets);
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = EVP_EC_gen("P-256");
	if (!key) {
		pki_ossl_err(err, errlen, "cannot generate the CA key");
		return -EIO;
	}
	_cleanup_(X509_freep) X509 *x = NULL;
	r = build_root(key, zone, host_name, nets, ROOT_NETS, now, &x);
	if (r < 0) {
		pki_ossl_err(err, errlen, "cannot build the CA certificate (%s)", strerror(-r));
		return r;
	}
	r = pki_pem_write_key_file(key_path, key);
	if (r < 0) {
		pki_ossl_msg(err, errlen, "cannot write '%s': %s", key_path, strerror(-r));
		return r;
	}
	r = pki_pem_write_cert_file(cert_path, x);
	if (r < 0) {
		pki_ossl_msg(err, errlen, "cannot write '%s': %s", cert_path, strerror(-r));
		return r;
	}
	return 0;
}

int pki_ca_load(const char *dir, struct pki_ca **ret_ca)
{
	char key_path[PATH_MAX], cert_path[PATH_MAX];
	if (join(key_path, dir, PKI_CA_KEY_FILE) < 0 || join(cert_path, dir, PKI_CA_CERT_FILE) < 0)
		return -ENAMETOOLONG;

	_cleanup_(pki_ca_freep) struct pki_ca *ca = calloc(1, sizeof(*ca));
	if (!ca)
		return -ENOMEM;
	int r = pki_pem_read_cert_file(cert_path, &ca->cert);
	if (r < 0)
		return r;
	r = pki_pem_read_key_file(key_path, &ca->key);
	if (r < 0)
		return r;
	if (X509_check_private_key(ca->cert, ca->key) != 1) {
		ERR_clear_error();
		return -EKEYREJECTED;
	}
	/* X509_check_ca also caches the extensions; 1 = a v3 CA. */
	if (X509_check_ca(ca->cert) != 1) {
		ERR_clear_error();
		return -EBADMSG;
	}
	r = pki_ext_get_name_constraints(ca->cert, ca->zone, sizeof(ca->zone), ca->lan_names, PKI_CA_MAX_LAN_NAMES,
					 &ca->n_lan_names, ca->nets, PKI_CA_MAX_NETS, &ca->n_nets);
	if (r < 0)
		return r == -ENOENT || r == -E2BIG ? -EBADMSG : r;
	if (pki_names_check_host(ca->zone, NULL) < 0)
		return -EBADMSG;
	pki_names_lower(ca->zone);
	for (size_t i = 0; i < ca->n_lan_names; i++) {
		if (pki_names_check_host(ca->lan_names[i], NULL) < 0)
			return -EBADMSG;
		pki_names_lower(ca->lan_names[i]);
	}
	if (pki_ossl_time_get(X509_get0_notBefore(ca->cert), &ca->not_before) < 0 ||
	    pki_ossl_time_get(X509_get0_notAfter(ca->cert), &ca->not_after) < 0)
		return -EBADMSG;
	*ret_ca = TAKE_PTR(ca);
	return 0;
}

int pki_ca_ensure(const char *dir, const struct cell_config *c, const char *host_name, int64_t now,
		  struct pki_ca **ret_ca, char *err, size_t errlen)
{
	char cert_path[PATH_MAX];
	if (join(cert_path, dir, PKI_CA_CERT_FILE) < 0) {
		pki_ossl_msg(err, errlen, "CA directory path '%s' is too long", dir);
		return -ENAMETOOLONG;
	}
	int created = 0;
	struct stat st;
	if (lstat(cert_path, &st) < 0) {
		if (errno != ENOENT) {
			int r = -errno;
			pki_ossl_msg(err, errlen, "cannot stat '%s': %s", cert_path, strerror(-r));
			return r;
		}
		int r = pki_ca_create(dir, c, host_name, now, err, errlen);
		if (r < 0)
			return r;
		created = 1;
	}
	int r = pki_ca_load(dir, ret_ca);
	if (r < 0) {
		pki_ossl_msg(err, errlen, "cannot load the CA from '%s': %s", dir,
			     r == -EKEYREJECTED ? "the key does not match the certificate" :
			     r == -EPERM       ? "the key file is accessible by group or others" :
			     r == -EBADMSG     ? "not a PIC root CA" :
						 strerror(-r));
		return r;
	}
	return created;
}

void pki_ca_free(struct pki_ca *ca)
{
	if (!ca)
		return;
	EVP_PKEY_free(ca->key);
	X509_free(ca->cert);
	free(ca);
}

bool pki_ca_matches_config(const struct pki_ca *ca, const struct cell_config *c)
{
	char zone[CONFIG_ZONE_MAX + 1];
	if (config_zone(c, zone, sizeof(zone)) < 0 || strcmp(zone, ca->zone) != 0)
		return false;
	struct ipv4_net want[2];
	config_nets(c, want);
	for (size_t i = 0; i < 2; i++) {
		bool found = false;
		for (size_t j = 0; j < ca->n_nets; j++)
			found = found || (ca->nets[j].addr == want[i].addr && ca->nets[j].prefix == want[i].prefix);
		if (!found)
			return false;
	}
	return true;
}

bool pki_ca_covers_name(const struct pki_ca *ca, const char *name)
{
	return under_any(name, ca->zone, (char (*)[PKI_NAME_MAX + 1])ca->lan_names, ca->n_lan_names);
}

bool pki_ca_covers_ip(const struct pki_ca *ca, uint32_t ip)
{
	return pki_names_ip_allowed(ca->nets, ca->n_nets, ip);
}

bool pki_ca_issued(const struct pki_ca *ca, const char *pem)
{
	_cleanup_(X509_freep) X509 *x = NULL;
	if (pki_pem_parse_cert(pem, strlen(pem), &x) < 0)
		return false;
	/* The signature, not the issuer name: a replacement for the same
	 * zone has the same name. */
	bool ok = X509_verify(x, X509_get0_pubkey(ca->cert)) == 1;
	ERR_clear_error();
	return ok;
}

int pki_ca_serial(const struct pki_ca *ca, char out[PKI_SERIAL_HEX_MAX])
{
	return pki_serial_to_hex(X509_get0_serialNumber(ca->cert), out);
}

int pki_ca_cert_pem(const struct pki_ca *ca, struct buf *out)
{
	return pki_pem_cert(ca->cert, out);
}

int pki_ca_cert_der(const struct pki_ca *ca, struct buf *out)
{
	unsigned char *der = NULL;
	int len = i2d_X509(ca->cert, &der);
	if (len <= 0)
		return -EIO;
	int r = buf_append(out, der, (size_t)len);
	OPENSSL_free(der);
	return r;
}

int pki_ca_cert_info(const struct pki_ca *ca, struct pki_cert_info *ret_info)
{
	struct buf pem;
	buf_init(&pem, 64 * 1024);
	int r = pki_ca_cert_pem(ca, &pem);
	if (r == 0)
		r = pki_cert_info(pem.data, ret_info);
	buf_free(&pem);
	return r;
}
