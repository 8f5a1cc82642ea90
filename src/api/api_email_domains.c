/* /api/email/domains: the cell's mail domains — the cell zone, and extra
 * ones whose addresses reach the same accounts (alice@example.org is
 * alice) — each with the DNS records it needs. The cell zone's DKIM and
 * DMARC records are in the cell's DNS already; an extra domain's are the
 * owner's to publish where the domain is hosted. postfix asks picd about
 * the domains at each message; opendkim, which signs for each, is
 * applied with the change. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_apply.h"
#include "api_body.h"
#include "common/log.h"
#include "daemon.h"
#include "handlers.h"
#include "model/dkim.h"
#include "store/store_email.h"
#include "svc/svc_opendkim.h"
#include "common/banned.h"

/* What the internet reaches this machine by: the endpoint's host, else
 * the cell's own name for the mail service. */
static void mx_host(const struct daemon *d, const char *zone, char *out, size_t len)
{
	if (d->config.has_endpoint) {
		snprintf(out, len, "%s", d->config.endpoint);
		out[strcspn(out, ":")] = '\0';
		return;
	}
	snprintf(out, len, EMAIL_MX_LABEL ".%s", zone);
}

static int add_record(json_t *list, const char *name, const char *type, const char *value, bool published)
{
	return json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b}", "name", name, "type", type, "value",
						     value, "published", published));
}

static json_t *domain_json(const struct daemon *d, const char *domain, const char *zone)
{
	bool cell = strcmp(domain, zone) == 0;
	bool published = cell && d->dkim.selector[0];
	json_t *records = json_array();
	char host[CONFIG_ENDPOINT_MAX + 1], value[DKIM_PUBLIC_MAX + 64], name[NAME_MAX_LEN + 64];
	if (cell)
		snprintf(value, sizeof(value), "10 " EMAIL_MX_LABEL ".%s.", zone);
	else {
		mx_host(d, zone, host, sizeof(host));
		snprintf(value, sizeof(value), "10 %s.", host);
	}
	add_record(records, domain, "MX", value, published);
	add_record(records, domain, "TXT", EMAIL_SPF_TXT, published);
	if (d->dkim.selector[0] && dkim_txt(&d->dkim, value, sizeof(value)) == 0) {
		snprintf(name, sizeof(name), "%s._domainkey.%s", d->dkim.selector, domain);
		add_record(records, name, "TXT", value, cell);
	}
	snprintf(name, sizeof(name), "_dmarc.%s", domain);
	add_record(records, name, "TXT", DKIM_DMARC_TXT, published);
	return json_pack("{s:s, s:b, s:o}", "domain", domain, "cell_zone", cell, "records", records);
}

static int zone_of(const struct daemon *d, char zone[CONFIG_ZONE_MAX + 1])
{
	return config_zone(&d->config, zone, CONFIG_ZONE_MAX + 1) < 0 ? -ENAMETOOLONG : 0;
}

HANDLER(api_email_domains_list)
{
	(void)req;
	char zone[CONFIG_ZONE_MAX + 1];
	struct email_domains list;
	int r = zone_of(d, zone);
	if (r == 0)
		r = store_email_domains_load(d->store, &list);
	if (r < 0)
		return r;
	json_t *domains = json_array();
	json_array_append_new(domains, domain_json(d, zone, zone));
	for (size_t i = 0; i < list.n; i++)
		json_array_append_new(domains, domain_json(d, list.names[i], zone));
	return http_reply(res, 200, json_pack("{s:o}", "domains", domains));
}

struct domain_change {
	bool add;
	char domain[NAME_MAX_LEN + 1];
	char user[sizeof(((struct auth_info *)0)->username)];
};

static int domain_write(struct daemon *d, void *cls, struct http_response *res)
{
	struct domain_change *c = cls;
	if (!c->add) {
		int r = store_email_domain_delete(d->store, c->domain);
		if (r == -ENOENT)
			http_error(res, 404, "not_found", NULL, "no mail domain '%s'", c->domain);
		return r;
	}
	struct email_domains list;
	int r = store_email_domains_load(d->store, &list);
	if (r == 0 && list.n >= EMAIL_DOMAINS_MAX) {
		http_error(res, 400, "invalid_field", "domain", "at most %d extra mail domains", EMAIL_DOMAINS_MAX);
		return -EINVAL;
	}
	if (r == 0)
		r = store_email_domain_add(d->store, c->domain, time(NULL));
	if (r == -EEXIST)
		http_error(res, 409, "conflict", "domain", "'%s' is a mail domain already", c->domain);
	return r;
}

static void domain_answer(struct daemon *d, void *cls, struct http_response *res)
{
	struct domain_change *c = cls;
	log_info("mail: domain %s %s by '%s'", c->domain, c->add ? "added" : "removed", c->user);
	char zone[CONFIG_ZONE_MAX + 1] = "";
	zone_of(d, zone);
	if (c->add)
		http_reply(res, 201, domain_json(d, c->domain, zone));
	else
		http_reply(res, 204, NULL);
}

static const struct api_change_ops domain_change_ops = { .write = domain_write, .answer = domain_answer };

static int change(struct daemon *d, struct http_request *req, struct http_response *res, bool add,
		  const char *domain)
{
	char zone[CONFIG_ZONE_MAX + 1];
	int r = zone_of(d, zone);
	if (r < 0)
		return r;
	struct domain_change *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->add = add;
	struct field_error e;
	if (email_domain_check(domain, zone, c->domain, &e) < 0) {
		free(c);
		if (!add)
			return http_error(res, 404, "not_found", NULL, "no mail domain '%s'", domain);
		return http_error(res, 400, "invalid_field", e.field, "%s", e.message);
	}
	snprintf(c->user, sizeof(c->user), "%s", req->auth.username);
	return api_apply_change(d, req, res, svc_opendkim_ops.name, "domain", &domain_change_ops, c);
}

HANDLER(api_email_domains_add)
{
	static const char *const allowed[] = { "domain", NULL };
	const char *domain;
	if (api_body_object(req, res, allowed) < 0 ||
	    api_body_string(req, res, "domain", NAME_MAX_LEN * 2, true, &domain) < 0)
		return 0;
	return change(d, req, res, true, domain);
}

HANDLER(api_email_domains_delete)
{
	return change(d, req, res, false, req->params[0]);
}
