/* X.509v3 extensions: constants through OpenSSL's configuration syntax,
 * names and networks as ASN.1 structures. */
#include "pki_ext.h"

#include <errno.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "pki/pki_names.h"
#include "pki/pki_ossl.h"
#include "common/banned.h"

#define NETS_MAX 16

int pki_ext_add(X509 *subject, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx(&ctx, issuer, subject, NULL, NULL, 0);
	_cleanup_(X509_EXTENSION_freep) X509_EXTENSION *ext = X509V3_EXT_nconf_nid(NULL, &ctx, nid, value);
	if (!ext || !X509_add_ext(subject, ext, -1)) {
		ERR_clear_error();
		return -EIO;
	}
	return 0;
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static GENERAL_NAME *name_dns(const char *name)
{
	_cleanup_(GENERAL_NAME_freep) GENERAL_NAME *gn = GENERAL_NAME_new();
	ASN1_IA5STRING *s = ASN1_IA5STRING_new();
	if (!gn || !s || !ASN1_STRING_set(s, name, (int)strlen(name))) {
		ASN1_IA5STRING_free(s);
		return NULL;
	}
	GENERAL_NAME_set0_value(gn, GEN_DNS, s);
	return TAKE_PTR(gn);
}

/* An iPAddress name: 4 bytes for a host, 8 (address, mask) for a
 * constraint. */
static GENERAL_NAME *name_ip(const unsigned char *bytes, int len)
{
	_cleanup_(GENERAL_NAME_freep) GENERAL_NAME *gn = GENERAL_NAME_new();
	ASN1_OCTET_STRING *s = ASN1_OCTET_STRING_new();
	if (!gn || !s || !ASN1_OCTET_STRING_set(s, bytes, len)) {
		ASN1_OCTET_STRING_free(s);
		return NULL;
	}
	GENERAL_NAME_set0_value(gn, GEN_IPADD, s);
	return TAKE_PTR(gn);
}

int pki_ext_add_san(X509 *x, const char *const *dns, size_t n_dns, const uint32_t *ips, size_t n_ips,
		    bool critical)
{
	_cleanup_(GENERAL_NAMES_freep) GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	if (!gens)
		return -ENOMEM;
	for (size_t i = 0; i < n_dns + n_ips; i++) {
		unsigned char b[4];
		GENERAL_NAME *gn;
		if (i < n_dns) {
			gn = name_dns(dns[i]);
		} else {
			put_be32(b, ips[i - n_dns]);
			gn = name_ip(b, sizeof(b));
		}
		if (!gn || !sk_GENERAL_NAME_push(gens, gn)) {
			GENERAL_NAME_free(gn);
			ERR_clear_error();
			return -ENOMEM;
		}
	}
	if (X509_add1_ext_i2d(x, NID_subject_alt_name, gens, critical ? 1 : 0, X509V3_ADD_DEFAULT) != 1) {
		ERR_clear_error();
		return -EIO;
	}
	return 0;
}

static int push_subtree(STACK_OF(GENERAL_SUBTREE) *sk, GENERAL_NAME *gn)
{
	if (!gn)
		return -ENOMEM;
	_cleanup_(GENERAL_SUBTREE_freep) GENERAL_SUBTREE *st = GENERAL_SUBTREE_new();
	if (!st) {
		GENERAL_NAME_free(gn);
		return -ENOMEM;
	}
	GENERAL_NAME_free(st->base);
	st->base = gn;
	if (!sk_GENERAL_SUBTREE_push(sk, st))
		return -ENOMEM;
	TAKE_PTR(st);
	return 0;
}

int pki_ext_add_name_constraints(X509 *x, const char *zone, const char *const *names, size_t n_names,
				 const struct ipv4_net *nets, size_t n_nets)
{
	_cleanup_(NAME_CONSTRAINTS_freep) NAME_CONSTRAINTS *nc = NAME_CONSTRAINTS_new();
	if (!nc || !(nc->permittedSubtrees = sk_GENERAL_SUBTREE_new_null()))
		goto nomem;
	if (push_subtree(nc->permittedSubtrees, name_dns(zone)) < 0)
		goto nomem;
	for (size_t i = 0; i < n_names; i++)
		if (push_subtree(nc->permittedSubtrees, name_dns(names[i])) < 0)
			goto nomem;
	for (size_t i = 0; i < n_nets; i++) {
		unsigned char b[8];
		uint32_t mask = cidr_mask(nets[i].prefix);
		put_be32(b, nets[i].addr & mask);
		put_be32(b + 4, mask);
		if (push_subtree(nc->permittedSubtrees, name_ip(b, sizeof(b))) < 0)
			goto nomem;
	}
	if (X509_add1_ext_i2d(x, NID_name_constraints, nc, 1, X509V3_ADD_DEFAULT) != 1) {
		ERR_clear_error();
		return -EIO;
	}
	return 0;
nomem:
	ERR_clear_error();
	return -ENOMEM;
}

/* The prefix length of a contiguous netmask; -1 if it is not one. */
static int mask_prefix(uint32_t mask)
{
	for (int p = 0; p <= 32; p++)
		if (cidr_mask((uint8_t)p) == mask)
			return p;
	return -1;
}

/* A dNSName constraint's text, which must be a whole C string. */
static int dns_text(const GENERAL_NAME *gn, char out[PKI_NAME_MAX + 1])
{
	const ASN1_IA5STRING *s = gn->d.dNSName;
	int len = ASN1_STRING_length(s);
	if (len <= 0)
		return -EBADMSG;
	if (len > PKI_NAME_MAX)
		return -E2BIG;
	memcpy(out, ASN1_STRING_get0_data(s), (size_t)len);
	out[len] = '\0';
	return strlen(out) == (size_t)len ? 0 : -EBADMSG;
}

int pki_ext_get_name_constraints(const X509 *x, char *zone, size_t zonelen, char (*names)[PKI_NAME_MAX + 1],
				 size_t max_names, size_t *ret_n_names, struct ipv4_net *nets, size_t max_nets,
				 size_t *ret_n_nets)
{
	int crit = -1;
	_cleanup_(NAME_CONSTRAINTS_freep) NAME_CONSTRAINTS *nc = X509_get_ext_d2i(x, NID_name_constraints, &crit, NULL);
	ERR_clear_error();
	if (!nc)
		return crit == -1 ? -ENOENT : -EBADMSG;
	if (crit != 1 || sk_GENERAL_SUBTREE_num(nc->excludedSubtrees) > 0)
		return -EBADMSG;

	char z[PKI_NAME_MAX + 1];
	struct ipv4_net got[NETS_MAX];
	size_t n_dns = 0, n_nets = 0;
	for (int i = 0; i < sk_GENERAL_SUBTREE_num(nc->permittedSubtrees); i++) {
		const GENERAL_SUBTREE *st = sk_GENERAL_SUBTREE_value(nc->permittedSubtrees, i);
		if (st->minimum || st->maximum)
			return -EBADMSG;
		const GENERAL_NAME *gn = st->base;
		if (gn->type == GEN_DNS) {
			if (n_dns > max_names)
				return -E2BIG;
			int r = dns_text(gn, n_dns == 0 ? z : names[n_dns - 1]);
			if (r < 0)
				return r;
			n_dns++;
		} else if (gn->type == GEN_IPADD) {
			const ASN1_OCTET_STRING *s = gn->d.iPAddress;
			if (ASN1_STRING_length(s) != 8)
				return -EBADMSG;
			if (n_nets >= max_nets || n_nets >= NETS_MAX)
				return -E2BIG;
			const unsigned char *b = ASN1_STRING_get0_data(s);
			uint32_t addr = get_be32(b), mask = get_be32(b + 4);
			int prefix = mask_prefix(mask);
			if (prefix < 0 || (addr & ~mask) != 0)
				return -EBADMSG;
			got[n_nets++] = (struct ipv4_net){ .addr = addr, .prefix = (uint8_t)prefix };
		} else {
			return -EBADMSG;
		}
	}
	if (n_dns == 0 || n_nets == 0)
		return -EBADMSG;
	if (strlen(z) >= zonelen)
		return -E2BIG;
	memcpy(zone, z, strlen(z) + 1);
	memcpy(nets, got, n_nets * sizeof(got[0]));
	*ret_n_names = n_dns - 1;
	*ret_n_nets = n_nets;
	return 0;
}
