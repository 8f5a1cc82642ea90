/* /api/vault/ca: the cell's root CA described, and replaced on request.
 *
 * GET says what the root is (subject, serial, fingerprint, validity, its
 * name constraints) and whether it still covers the configuration; when
 * it does not, a warning says what that means and how to replace it.
 * POST .../replace makes a new root for the current configuration (see
 * daemon_ca_replace): 409 when the root already matches unless the body
 * says {"force": true}, for a key the user no longer trusts. The proxy is
 * then re-applied through the same path as a rename, which issues its
 * leaf from the new root. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api_body.h"
#include "apply/apply.h"
#include "common/log.h"
#include "daemon.h"
#include "handlers.h"
#include "pki/pki_ca.h"
#include "pki/pki_cert.h"
#include "common/banned.h"

#define WARNING_MAX 1024

static int no_ca(struct http_response *res)
{
	return http_error(res, 503, "ca_unavailable", NULL,
			  "the cell's certificate authority could not be loaded; see the log");
}

/* The sentence GET and `pic ca show` give when the root is stale. */
static void stale_warning(const struct daemon *d, char *out, size_t outlen)
{
	char zone[CONFIG_ZONE_MAX + 1];
	if (config_zone(&d->config, zone, sizeof(zone)) < 0)
		snprintf(zone, sizeof(zone), "?");
	snprintf(out, outlen,
		 "The root CA was made for '%s' and its networks, which no longer cover the cell's names "
		 "('%s') and networks, so no certificate can be issued for them. POST /api/vault/ca/replace "
		 "(or `pic ca replace`) creates a new root for the current configuration; every device must "
		 "then trust the new ca.crt again.",
		 d->ca->zone, zone);
}

static json_t *root_json(const struct daemon *d)
{
	struct pki_cert_info info;
	if (pki_ca_cert_info(d->ca, &info) < 0)
		return NULL;
	json_t *nets = json_array();
	for (size_t i = 0; nets && i < d->ca->n_nets; i++) {
		char text[CIDR_STR_MAX];
		cidr_format(&d->ca->nets[i], text);
		json_array_append_new(nets, json_string(text));
	}
	json_t *lan_names = json_array();
	for (size_t i = 0; lan_names && i < d->ca->n_lan_names; i++)
		json_array_append_new(lan_names, json_string(d->ca->lan_names[i]));
	bool matches = !daemon_ca_stale(d);
	json_t *doc = json_pack("{s:s, s:s, s:s, s:I, s:I, s:{s:s, s:o, s:o}, s:b}", "subject", info.cn, "serial",
				info.serial, "sha256", info.sha256, "not_before", (json_int_t)info.not_before,
				"not_after", (json_int_t)info.not_after, "constraints", "zone", d->ca->zone,
				"lan_names", lan_names, "networks", nets, "matches_config", matches);
	if (doc && !matches) {
		char warning[WARNING_MAX];
		stale_warning(d, warning, sizeof(warning));
		json_object_set_new(doc, "warning", json_string(warning));
	}
	return doc;
}

HANDLER(api_vault_root_get)
{
	if (!daemon_ca(d))
		return no_ca(res);
	json_t *doc = root_json(d);
	return doc ? http_reply(res, 200, doc) : -ENOMEM;
}

/* {"force": bool}, or no body: false. -EINVAL with the error set. */
static int parse_force(struct http_request *req, struct http_response *res, bool *ret_force)
{
	static const char *const allowed[] = { "force", NULL };
	*ret_force = false;
	if (!req->json)
		return 0;
	if (api_body_object(req, res, allowed) < 0)
		return -EINVAL;
	json_t *v = json_object_get(req->json, "force");
	if (v && !json_is_boolean(v)) {
		http_error(res, 400, "invalid_field", "force", "force must be true or false");
		return -EINVAL;
	}
	*ret_force = v && json_is_true(v);
	return 0;
}

HANDLER(api_vault_root_replace)
{
	bool force;
	if (parse_force(req, res, &force) < 0)
		return 0;
	if (!daemon_ca(d))
		return no_ca(res);
	if (!force && !daemon_ca_stale(d))
		return http_error(res, 409, "ca_matches_config", "force",
				  "the root CA already covers the cell's names and networks; send {\"force\": true} "
				  "to replace it all the same (every device must then trust the new root)");

	char old_serial[PKI_SERIAL_HEX_MAX], new_serial[PKI_SERIAL_HEX_MAX], err[512] = "";
	int r = daemon_ca_replace(d, time(NULL), old_serial, sizeof(old_serial), err, sizeof(err));
	if (r < 0) {
		log_err("ca: replacing the root CA failed: %s", err);
		return http_error(res, 500, "internal", NULL, "the root CA could not be replaced: %s", err);
	}
	if (pki_ca_serial(d->ca, new_serial) < 0)
		snprintf(new_serial, sizeof(new_serial), "?");
	log_warn("ca: root %s replaced by %s for '%s' by '%s'%s; the old root is in %s/archive/%s, and every device "
		 "must trust the new one", old_serial, new_serial, d->ca->zone, req->auth.username,
		 force ? " (forced)" : "", d->opt.ca_dir, old_serial);

	/* What a rename does to the services: the proxy's leaf no longer
	 * comes from the current root, so apply issues a new one. */
	r = apply_all(d, false, err, sizeof(err));
	if (r < 0)
		log_err("after the root CA was replaced, the services did not all take a new certificate: %s", err);
	json_t *doc = root_json(d);
	return doc ? http_reply(res, 200, doc) : -ENOMEM;
}
