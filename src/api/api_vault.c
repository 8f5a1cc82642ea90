/* /api/vault: the cell's certificate authority (the old "vault").
 *
 * GET ca.crt (no auth: a device must be able to fetch the root to trust
 * the cell) in PEM or DER; a list of issued certificates; issuing one for
 * names inside the cell zone (the key is returned once and never kept);
 * revocation; and the CRL, built from the store on each request. The
 * root itself, described and replaced, is api_vault_root.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_body.h"
#include "common/buf.h"
#include "common/log.h"
#include "daemon.h"
#include "handlers.h"
#include "pki/pki_cert.h"
#include "pki/pki_crl.h"
#include "pki/pki_issue.h"
#include "store/store_cert.h"
#include "common/banned.h"

#define ISSUE_DAYS_DEFAULT 365
#define CRL_NEXT_UPDATE_DAYS 7
#define PEM_TYPE "application/x-pem-file"

static int no_ca(struct daemon *d, struct http_response *res)
{
	return http_error(res, 503, "ca_unavailable", NULL, "the cell's certificate authority could not be loaded; see the log");
}

/* ?format=pem (default) or der; -EINVAL with the error set otherwise. */
static int wants_der(struct http_request *req, struct http_response *res, bool *ret)
{
	const char *f = http_request_query(req, "format");
	*ret = f && strcmp(f, "der") == 0;
	if (f && !*ret && strcmp(f, "pem") != 0)
		return http_error(res, 400, "invalid_field", "format", "format must be pem or der"), -EINVAL;
	return 0;
}

HANDLER(api_vault_ca_get)
{
	bool der;
	if (!daemon_ca(d))
		return no_ca(d, res);
	if (wants_der(req, res, &der) < 0)
		return 0;
	struct buf out;
	buf_init(&out, 64 * 1024);
	int r = der ? pki_ca_cert_der(d->ca, &out) : pki_ca_cert_pem(d->ca, &out);
	if (r == 0)
		r = http_reply_raw(res, 200, der ? "application/pkix-cert" : PEM_TYPE, out.data, out.len);
	buf_free(&out);
	return r;
}

static json_t *strings(char (*list)[PKI_NAME_MAX + 1], size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(list[i]));
	return a;
}

static json_t *cert_json(const struct cert_row *row, int64_t now)
{
	struct pki_cert_info info;
	if (pki_cert_info(row->cert_pem, &info) < 0)
		return json_pack("{s:s, s:s}", "serial", row->serial, "status", "unreadable");
	json_t *ips = json_array();
	for (size_t i = 0; ips && i < info.n_ips; i++)
		json_array_append_new(ips, json_string(info.ips[i]));
	const char *status = row->revoked_at ? "revoked" : row->superseded_at ? "superseded" :
			     info.not_after <= now ? "expired" : "valid";
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:s, s:o}", "serial", row->serial, "kind", row->kind,
			 "subject", info.cn, "names", strings(info.dns, info.n_dns), "ips", ips, "not_before",
			 (json_int_t)info.not_before, "not_after", (json_int_t)info.not_after, "status", status,
			 "revoked_at", row->revoked_at ? json_integer(row->revoked_at) : json_null());
}

HANDLER(api_vault_certs_list)
{
	struct cert_row *rows = NULL;
	size_t n = 0;
	int r = store_cert_list(d->store, &rows, &n);
	if (r < 0)
		return r;
	int64_t now = time(NULL);
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, cert_json(&rows[i], now));
	store_cert_rows_free(rows, n);
	return http_reply(res, 200, json_pack("{s:o}", "certs", a));
}

/* Reads a list of strings (`key`, up to `max`) into `out` pointers into
 * the request's JSON. */
static int string_list(struct http_request *req, struct http_response *res, const char *key, size_t max,
		       bool required, const char **out, size_t *ret_n)
{
	json_t *v = json_object_get(req->json, key);
	*ret_n = 0;
	if (!v) {
		if (required)
			return http_error(res, 400, "missing_field", key, "%s is required", key), -EINVAL;
		return 0;
	}
	if (!json_is_array(v) || json_array_size(v) > max || (required && json_array_size(v) == 0))
		return http_error(res, 400, "invalid_field", key, "%s must be a list of 1 to %zu strings", key, max),
		       -EINVAL;
	size_t i;
	json_t *item;
	json_array_foreach(v, i, item) {
		if (!json_is_string(item)) {
			char field[32];
			snprintf(field, sizeof(field), "%s[%zu]", key, i);
			return http_error(res, 400, "invalid_field", field, "%s must be a string", field), -EINVAL;
		}
		out[i] = json_string_value(item);
	}
	*ret_n = json_array_size(v);
	return 0;
}

/* The CA's field names in the API's words: "dns_names" is "names", and
 * where its message names the element ("dns_names[1] 'x' is outside ...")
 * the field is that element. */
static int issue_error(struct http_response *res, const struct field_error *e)
{
	const char *msg = e->message, *field = e->field;
	size_t flen = strlen(field), idx = 0;
	if (strncmp(msg, field, flen) == 0 && msg[flen] == '[')
		idx = strcspn(msg + flen, " "); /* "[1]" */
	bool dns = strcmp(field, "dns_names") == 0;
	char api_field[64];
	if (idx > 16)
		idx = 0; /* not an index after all */
	int n = snprintf(api_field, sizeof(api_field), "%s%.*s", dns ? "names" : field, (int)idx, msg + flen);
	if (n < 0 || (size_t)n >= sizeof(api_field))
		snprintf(api_field, sizeof(api_field), "%s", dns ? "names" : "invalid");
	const char *rest = idx ? msg + flen + idx : NULL;
	if (rest)
		return http_error(res, 400, "invalid_field", api_field, "%s%s", api_field, rest);
	return http_error(res, 400, "invalid_field", api_field, "%s", msg);
}

HANDLER(api_vault_certs_issue)
{
	static const char *const allowed[] = { "names", "ips", "days", NULL };
	const char *names[PKI_MAX_DNS_NAMES], *ip_text[PKI_MAX_IPS];
	size_t n_names, n_ips;
	if (!daemon_ca(d))
		return no_ca(d, res);
	if (api_body_object(req, res, allowed) < 0 ||
	    string_list(req, res, "names", PKI_MAX_DNS_NAMES, true, names, &n_names) < 0 ||
	    string_list(req, res, "ips", PKI_MAX_IPS, false, ip_text, &n_ips) < 0)
		return 0;
	uint32_t ips[PKI_MAX_IPS];
	for (size_t i = 0; i < n_ips; i++) {
		if (ipv4_parse(ip_text[i], &ips[i]) < 0)
			return http_error(res, 400, "invalid_field", "ips", "ips[%zu] must be an IPv4 address", i);
	}
	json_t *days_v = json_object_get(req->json, "days");
	unsigned days = ISSUE_DAYS_DEFAULT;
	if (days_v) {
		if (!json_is_integer(days_v) || json_integer_value(days_v) < 1 ||
		    json_integer_value(days_v) > PKI_LEAF_MAX_DAYS)
			return http_error(res, 400, "invalid_field", "days", "days must be from 1 to %d", PKI_LEAF_MAX_DAYS);
		days = (unsigned)json_integer_value(days_v);
	}

	struct pki_leaf leaf = { 0 };
	struct field_error e = { 0 };
	int64_t now = time(NULL);
	int r = pki_issue(d->ca, names, n_names, ips, n_ips, days, now, &leaf, &e);
	if (r == -EINVAL) {
		pki_leaf_free(&leaf);
		return issue_error(res, &e);
	}
	if (r == 0)
		r = store_cert_insert(d->store, leaf.serial, "issued", leaf.cert_pem.data, leaf.not_after, now);
	if (r < 0) {
		pki_leaf_free(&leaf);
		return r;
	}
	log_info("ca: certificate %s for '%s' issued by '%s'", leaf.serial, names[0], req->auth.username);
	json_t *doc = json_pack("{s:s, s:s, s:s, s:I}", "serial", leaf.serial, "cert", leaf.cert_pem.data, "key",
				leaf.key_pem.data, "not_after", (json_int_t)leaf.not_after);
	pki_leaf_free(&leaf);
	return http_reply(res, 201, doc);
}

HANDLER(api_vault_certs_revoke)
{
	const char *serial = req->params[0];
	size_t len = strlen(serial);
	if (len == 0 || len >= PKI_SERIAL_HEX_MAX || strspn(serial, "0123456789abcdef") != len)
		return http_error(res, 400, "invalid_field", "serial", "serial must be lowercase hex as listed");
	int64_t now = time(NULL);
	int r = store_cert_revoke(d->store, serial, now);
	if (r == -ENOENT)
		return http_error(res, 404, "not_found", "serial", "no certificate with serial %s", serial);
	if (r == -EALREADY)
		return http_error(res, 409, "already_revoked", "serial", "certificate %s is already revoked", serial);
	if (r < 0)
		return r;
	log_info("ca: certificate %s revoked by '%s'", serial, req->auth.username);
	return http_reply(res, 200, json_pack("{s:s, s:I}", "serial", serial, "revoked_at", (json_int_t)now));
}

HANDLER(api_vault_crl)
{
	bool der;
	if (!daemon_ca(d))
		return no_ca(d, res);
	if (wants_der(req, res, &der) < 0)
		return 0;
	struct cert_row *rows = NULL;
	size_t n = 0;
	int r = store_cert_list(d->store, &rows, &n);
	if (r < 0)
		return r;
	struct pki_revoked *revoked = calloc(n ? n : 1, sizeof(*revoked));
	size_t n_revoked = 0;
	for (size_t i = 0; revoked && i < n; i++) {
		/* A superseded certificate is the old root's to revoke; the
		 * new root's CRL does not speak for it. */
		if (!rows[i].revoked_at || rows[i].superseded_at)
			continue;
		snprintf(revoked[n_revoked].serial, sizeof(revoked[0].serial), "%s", rows[i].serial);
		revoked[n_revoked++].revoked_at = rows[i].revoked_at;
	}
	store_cert_rows_free(rows, n);
	if (!revoked)
		return -ENOMEM;
	struct buf pem, der_out;
	buf_init(&pem, 4 * 1024 * 1024);
	buf_init(&der_out, 4 * 1024 * 1024);
	r = pki_crl_build(d->ca, revoked, n_revoked, time(NULL), CRL_NEXT_UPDATE_DAYS, &pem, &der_out);
	free(revoked);
	if (r == 0)
		r = der ? http_reply_raw(res, 200, "application/pkix-crl", der_out.data, der_out.len)
			: http_reply_raw(res, 200, PEM_TYPE, pem.data, pem.len);
	buf_free(&pem);
	buf_free(&der_out);
	return r;
}
