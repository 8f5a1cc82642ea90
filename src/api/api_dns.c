/* /api/dns/config and /api/dns/forwards: the resolver's settings
 * (upstreams, recursion, DNSSEC, cache) and forward zones for other
 * domains. Both change unbound.conf through the apply engine (rendered,
 * checked by unbound-checkconf, installed, reloaded, verified); a refused
 * or failing config leaves the store untouched. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_apply.h"
#include "api_body.h"
#include "common/log.h"
#include "daemon.h"
#include "handlers.h"
#include "store/store_dns.h"
#include "svc/svc_unbound.h"
#include "common/banned.h"

static json_t *servers_json(const char (*list)[DNS_ADDR_MAX], size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(list[i]));
	return a;
}

static json_t *settings_json(const struct dns_settings *s)
{
	return json_pack("{s:o, s:b, s:b, s:i}", "upstreams", servers_json(s->upstreams, s->n_upstreams),
			 "recursion", s->recursion, "dnssec", s->dnssec, "cache_mb", (int)s->cache_mb);
}

/* Reads a JSON list of server addresses into `out`. */
static int read_servers(json_t *v, const char *field, char (*out)[DNS_ADDR_MAX], size_t max, size_t *ret_n,
			struct http_response *res)
{
	if (!json_is_array(v) || json_array_size(v) > max)
		return http_error(res, 400, "invalid_field", field, "%s must be a list of at most %zu addresses",
				  field, max), -EINVAL;
	size_t i;
	json_t *item;
	json_array_foreach(v, i, item) {
		if (!json_is_string(item) || json_string_length(item) >= DNS_ADDR_MAX) {
			char indexed[48];
			snprintf(indexed, sizeof(indexed), "%s[%zu]", field, i);
			return http_error(res, 400, "invalid_field", indexed, "%s must be an address", indexed), -EINVAL;
		}
		snprintf(out[i], DNS_ADDR_MAX, "%s", json_string_value(item));
	}
	*ret_n = json_array_size(v);
	return 0;
}

HANDLER(api_dns_config_get)
{
	struct dns_settings s;
	int r = store_dns_settings_load(d->store, &s);
	return r < 0 ? r : http_reply(res, 200, settings_json(&s));
}

/* A settings change: the fields the request gave, laid over the settings
 * as they are when it is written (changes wait for each other). */
struct settings_change {
	struct dns_settings given, result;
	bool has_upstreams, has_cache_mb, has[2]; /* has[]: recursion, dnssec */
	char user[sizeof(((struct auth_info *)0)->username)];
};

static int settings_write(struct daemon *d, void *cls, struct http_response *res)
{
	struct settings_change *c = cls;
	struct dns_settings s;
	int r = store_dns_settings_load(d->store, &s);
	if (r < 0)
		return r;
	if (c->has_upstreams) {
		memcpy(s.upstreams, c->given.upstreams, sizeof(s.upstreams));
		s.n_upstreams = c->given.n_upstreams;
	}
	if (c->has[0])
		s.recursion = c->given.recursion;
	if (c->has[1])
		s.dnssec = c->given.dnssec;
	if (c->has_cache_mb)
		s.cache_mb = c->given.cache_mb;
	struct field_error e;
	if (dns_settings_validate(&s, &e) < 0)
		return http_error(res, 400, "invalid_field", e.field, "%s", e.message), -EINVAL;
	c->result = s;
	return store_dns_settings_save(d->store, &s);
}

static void settings_answer(struct daemon *d, void *cls, struct http_response *res)
{
	(void)d;
	struct settings_change *c = cls;
	log_info("dns: settings changed by '%s'", c->user);
	http_reply(res, 200, settings_json(&c->result));
}

static const struct api_change_ops settings_change_ops = { .write = settings_write, .answer = settings_answer };

HANDLER(api_dns_config_put)
{
	static const char *const allowed[] = { "upstreams", "recursion", "dnssec", "cache_mb", NULL };
	if (api_body_object(req, res, allowed) < 0)
		return 0;
	struct settings_change *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	int r = store_dns_settings_load(d->store, &c->given);
	json_t *v;
	if (r == 0 && (v = json_object_get(req->json, "upstreams"))) {
		c->has_upstreams = true;
		if (read_servers(v, "upstreams", c->given.upstreams, DNS_MAX_UPSTREAMS, &c->given.n_upstreams, res) < 0)
			goto refuse;
	}
	const char *bools[] = { "recursion", "dnssec" };
	bool *targets[] = { &c->given.recursion, &c->given.dnssec };
	for (size_t i = 0; r == 0 && i < 2; i++) {
		if (!(v = json_object_get(req->json, bools[i])))
			continue;
		if (!json_is_boolean(v)) {
			http_error(res, 400, "invalid_field", bools[i], "%s must be true or false", bools[i]);
			goto refuse;
		}
		c->has[i] = true;
		*targets[i] = json_is_true(v);
	}
	if (r == 0 && (v = json_object_get(req->json, "cache_mb"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000) {
			http_error(res, 400, "invalid_field", "cache_mb", "cache_mb must be from 4 to 1024");
			goto refuse;
		}
		c->has_cache_mb = true;
		c->given.cache_mb = (uint32_t)json_integer_value(v);
	}
	struct field_error e;
	if (r == 0 && dns_settings_validate(&c->given, &e) < 0) {
		http_error(res, 400, "invalid_field", e.field, "%s", e.message);
		goto refuse;
	}
	if (r < 0) {
		free(c);
		return r;
	}
	snprintf(c->user, sizeof(c->user), "%s", req->auth.username);
	return api_apply_change(d, req, res, "dns", NULL, &settings_change_ops, c);
refuse:
	free(c);
	return 0;
}

static json_t *forward_json(const struct dns_forward *f)
{
	return json_pack("{s:s, s:o}", "zone", f->zone, "servers", servers_json(f->servers, f->n_servers));
}

HANDLER(api_dns_forwards_list)
{
	struct dns_forward list[DNS_FORWARDS_MAX];
	int n = store_dns_forward_list(d->store, list, DNS_FORWARDS_MAX);
	if (n < 0)
		return n;
	json_t *a = json_array();
	for (int i = 0; a && i < n; i++)
		json_array_append_new(a, forward_json(&list[i]));
	return http_reply(res, 200, json_pack("{s:o}", "forwards", a));
}

struct forward_change {
	struct dns_forward forward; /* put: the zone and servers; delete: the zone */
	bool replacing;
	char user[sizeof(((struct auth_info *)0)->username)];
};

static int forward_put(struct daemon *d, void *cls, struct http_response *res)
{
	struct forward_change *c = cls;
	struct dns_forward existing[DNS_FORWARDS_MAX];
	int n = store_dns_forward_list(d->store, existing, DNS_FORWARDS_MAX);
	if (n < 0)
		return n;
	c->replacing = false;
	for (int i = 0; i < n; i++)
		c->replacing = c->replacing || strcmp(existing[i].zone, c->forward.zone) == 0;
	if (!c->replacing && n >= DNS_FORWARDS_MAX)
		return http_error(res, 409, "limit_reached", NULL, "at most %d forward zones", DNS_FORWARDS_MAX), -ENOSPC;
	return store_dns_forward_put(d->store, &c->forward);
}

static void forward_put_answer(struct daemon *d, void *cls, struct http_response *res)
{
	(void)d;
	struct forward_change *c = cls;
	log_info("dns: forward zone %s set by '%s'", c->forward.zone, c->user);
	http_reply(res, c->replacing ? 200 : 201, forward_json(&c->forward));
}

static const struct api_change_ops forward_put_ops = { .write = forward_put, .answer = forward_put_answer };

static int forward_delete(struct daemon *d, void *cls, struct http_response *res)
{
	struct forward_change *c = cls;
	int r = store_dns_forward_delete(d->store, c->forward.zone);
	if (r == -ENOENT)
		http_error(res, 404, "not_found", "zone", "no forward zone %s", c->forward.zone);
	return r;
}

static void forward_delete_answer(struct daemon *d, void *cls, struct http_response *res)
{
	(void)d;
	struct forward_change *c = cls;
	log_info("dns: forward zone %s removed by '%s'", c->forward.zone, c->user);
	http_reply(res, 204, NULL);
}

static const struct api_change_ops forward_delete_ops = { .write = forward_delete, .answer = forward_delete_answer };

HANDLER(api_dns_forwards_create)
{
	static const char *const allowed[] = { "zone", "servers", NULL };
	const char *zone;
	if (api_body_object(req, res, allowed) < 0 ||
	    api_body_string(req, res, "zone", DNS_NAME_MAX, true, &zone) < 0)
		return 0;
	struct dns_forward f = { 0 };
	snprintf(f.zone, sizeof(f.zone), "%s", zone);
	json_t *v = json_object_get(req->json, "servers");
	if (!v)
		return http_error(res, 400, "missing_field", "servers", "servers is required");
	if (read_servers(v, "servers", f.servers, DNS_MAX_FORWARD_SERVERS, &f.n_servers, res) < 0)
		return 0;
	char cell[DNS_NAME_MAX + 1];
	if (config_zone(&d->config, cell, sizeof(cell)) < 0)
		return -ENAMETOOLONG;
	struct field_error e;
	if (dns_forward_validate(cell, &f, &e) < 0)
		return http_error(res, 400, "invalid_field", e.field, "%s", e.message);
	/* The cell's own reverse zones are static: a forward there would
	 * never be asked. */
	const struct ipv4_net *nets[] = { &d->config.ip_range, &d->config.vpn_subnet };
	for (size_t i = 0; i < 2; i++) {
		char rev[32];
		size_t zl = strlen(f.zone), rl;
		if (svc_unbound_reverse_zone(nets[i], rev) < 0)
			continue;
		rl = strlen(rev);
		if (strcmp(f.zone, rev) == 0 || (zl > rl && f.zone[zl - rl - 1] == '.' && strcmp(f.zone + zl - rl, rev) == 0))
			return http_error(res, 400, "invalid_field", "zone", "zone %s is the cell's own reverse zone", f.zone);
	}
	struct forward_change *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->forward = f;
	snprintf(c->user, sizeof(c->user), "%s", req->auth.username);
	/* The limit now, for an answer at once; again when written. */
	int r = store_begin(d->store);
	if (r == 0) {
		r = forward_put(d, c, res);
		store_rollback(d->store);
	}
	if (r < 0) {
		free(c);
		return res->status ? 0 : r;
	}
	return api_apply_change(d, req, res, "dns", NULL, &forward_put_ops, c);
}

HANDLER(api_dns_forwards_delete)
{
	char zone[DNS_NAME_MAX + 1];
	size_t len = strlen(req->params[0]);
	snprintf(zone, sizeof(zone), "%.*s", (int)(len && req->params[0][len - 1] == '.' ? len - 1 : len),
		 req->params[0]);
	for (char *p = zone; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	struct forward_change *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	snprintf(c->forward.zone, sizeof(c->forward.zone), "%s", zone);
	snprintf(c->user, sizeof(c->user), "%s", req->auth.username);
	/* An unknown zone is answered at once; it is looked up again when
	 * written. */
	int r = store_begin(d->store);
	if (r == 0) {
		r = forward_delete(d, c, res);
		store_rollback(d->store);
	}
	if (r < 0) {
		free(c);
		return res->status ? 0 : r;
	}
	return api_apply_change(d, req, res, "dns", NULL, &forward_delete_ops, c);
}
