/* GET /api/access: where the web interface answers over HTTPS, and the
 * CA to trust for it. Public, because the login page needs it before
 * anyone logs in: reached over plain HTTP from another machine, it points
 * the user at these addresses instead. What it reveals (the host's LAN
 * addresses and names, the root's fingerprint) is what a machine on the
 * LAN can learn anyway. */
#include <errno.h>
#include <stdio.h>

#include "daemon.h"
#include "handlers.h"
#include "pki/pki_ca.h"
#include "pki/pki_cert.h"
#include "svc/svc_caddy.h"
#include "common/banned.h"

static int add_url(json_t *list, const char *host, const char *kind)
{
	char url[PKI_NAME_MAX + 16];
	snprintf(url, sizeof(url), "https://%.253s/", host); /* PKI_NAME_MAX */
	return json_array_append_new(list, json_pack("{s:s, s:s}", "url", url, "kind", kind));
}

static json_t *https_json(const struct daemon *d)
{
	char hosts[HOST_ACCESS_MAX_HOSTS][PKI_NAME_MAX + 1];
	size_t n = host_access_hosts(&d->host_access, hosts);
	json_t *list = json_array();
	for (size_t i = 0; list && i < n; i++)
		add_url(list, hosts[i], i < d->host_access.n_ips ? "lan_address" : "host_name");
	char zone[CONFIG_ZONE_MAX + 1];
	if (list && config_zone(&d->config, zone, sizeof(zone)) == 0)
		add_url(list, zone, "cell_zone");
	return list;
}

static json_t *uncovered_json(const struct host_access *h)
{
	json_t *list = json_array();
	for (size_t i = 0; list && i < h->n_uncovered; i++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "host", h->uncovered[i].host, "reason",
						      h->uncovered[i].reason));
	return list;
}

static json_t *ca_json(struct daemon *d)
{
	struct pki_cert_info info;
	if (!daemon_ca(d) || pki_ca_cert_info(d->ca, &info) < 0)
		return json_null();
	return json_pack("{s:s, s:s}", "url", SVC_CADDY_CA_UPSTREAM_PATH, "sha256", info.sha256);
}

HANDLER(api_access_get)
{
	json_t *doc = json_pack("{s:o, s:o, s:o}", "https", https_json(d), "ca", ca_json(d), "uncovered",
				uncovered_json(&d->host_access));
	return doc ? http_reply(res, 200, doc) : -ENOMEM;
}
