/* /api/config: the cell's identity and address plan.
 *
 * GET returns the applied configuration, the address plan derived from it
 * and the pending changes, with an ETag (the store's revision). PUT is a
 * partial update honouring If-Match; network fields (ip_range, vpn_subnet)
 * become pending until POST /api/config/apply. A new vpn_subnet moves the
 * VPN peers with it (api_config_peers.c); one too small for them is
 * refused when it is set and again when it is applied. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api_config_doc.h"
#include "api_config_peers.h"
#include "cell_listener.h"
#include "apply/apply.h"
#include "apply/apply_cell.h"
#include "apply/apply_vpn.h"
#include "apply/apply_dns.h"
#include "store/store_dns.h"
#include "sse.h"
#include "common/log.h"
#include "daemon.h"
#include "handlers.h"
#include "store/store_config.h"
#include "common/banned.h"

#define PENDING_MAX 16

static void set_etag(struct http_response *res, uint64_t rev)
{
	http_response_header(res, "ETag", "\"%" PRIu64 "\"", rev);
}

/* RFC 9110 If-Match: "*" or a list of strong tags. */
static bool etag_matches(const char *header, uint64_t rev)
{
	char tag[32];
	snprintf(tag, sizeof(tag), "\"%" PRIu64 "\"", rev);
	size_t tlen = strlen(tag);
	for (const char *p = header; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		size_t len = strcspn(p, ", ");
		if (len == tlen && memcmp(p, tag, tlen) == 0)
			return true;
		p += len;
	}
	return false;
}

static json_t *doc_with_pending(struct daemon *d)
{
	struct pending_change pending[PENDING_MAX];
	int n = store_pending_list(d->store, pending, PENDING_MAX);
	return api_config_doc(&d->config, pending, n < 0 ? 0 : n);
}

/* The configuration document with its ETag. */
static int reply_config(struct daemon *d, struct http_response *res)
{
	json_t *doc = doc_with_pending(d);
	if (!doc)
		return -ENOMEM;
	set_etag(res, d->config_rev);
	return http_reply(res, 200, doc);
}

HANDLER(api_config_get)
{
	const char *inm = http_request_header(req, "If-None-Match");
	if (inm && etag_matches(inm, d->config_rev)) {
		set_etag(res, d->config_rev);
		return http_reply(res, 304, NULL);
	}
	return reply_config(d, res);
}

/* The text form of a JSON value for field `f`, with the type checked. */
static int field_text(const struct config_field *f, json_t *v, char *out, size_t outlen,
		      bool *ret_null, struct field_error *e)
{
	*ret_null = false;
	if (json_is_null(v)) {
		if (f->type != CONFIG_OPTIONAL_STRING) {
			field_error_set(e, f->name, "%s must not be null", f->name);
			return -EINVAL;
		}
		*ret_null = true;
		out[0] = '\0';
		return 0;
	}
	if (f->type == CONFIG_PORT) {
		if (!json_is_integer(v)) {
			field_error_set(e, f->name, "%s must be an integer", f->name);
			return -EINVAL;
		}
		json_int_t i = json_integer_value(v);
		if (i < 1 || i > 65535) {
			field_error_set(e, f->name, "%s must be a number from 1 to 65535", f->name);
			return -EINVAL;
		}
		snprintf(out, outlen, "%" JSON_INTEGER_FORMAT, i);
		return 0;
	}
	if (!json_is_string(v)) {
		field_error_set(e, f->name, "%s must be a string", f->name);
		return -EINVAL;
	}
	size_t len = json_string_length(v);
	if (len >= outlen || memchr(json_string_value(v), '\0', len)) {
		field_error_set(e, f->name, "%s is too long", f->name);
		return -EINVAL;
	}
	memcpy(out, json_string_value(v), len + 1);
	return 0;
}

/* The configuration as it will be once every pending change is applied. */
static int config_after_pending(struct daemon *d, struct cell_config *ret)
{
	struct pending_change pending[PENDING_MAX];
	int n = store_pending_list(d->store, pending, PENDING_MAX);
	if (n < 0)
		return n;
	struct cell_config c = d->config;
	for (int i = 0; i < n; i++) {
		const struct config_field *f = config_field_find(pending[i].field);
		struct field_error ignored;
		if (!f || config_field_set(&c, f, pending[i].is_null ? NULL : pending[i].value, &ignored) < 0)
			return -EIO;
	}
	*ret = c;
	return 0;
}

static bool vpn_subnet_moves(const struct cell_config *from, const struct cell_config *to)
{
	return from->vpn_subnet.addr != to->vpn_subnet.addr || from->vpn_subnet.prefix != to->vpn_subnet.prefix;
}

static int reply_field_error(struct http_response *res, const struct field_error *e)
{
	return http_error(res, 400, "invalid_field", e->field, "%s", e->message);
}

/* Writes one validated field: directly, or as a pending change. Returns 1
 * when something changed. */
static int store_field(struct daemon *d, const struct config_field *f, const char *text)
{
	char current[CONFIG_VALUE_MAX];
	int is_null = config_field_get(&d->config, f, current, sizeof(current));
	if (is_null < 0)
		return is_null;
	bool same = text ? (is_null == 0 && strcmp(current, text) == 0) : is_null == 1;
	if (f->needs_apply) {
		/* Setting a network back to its applied value cancels the
		 * pending change. */
		struct pending_change pending[PENDING_MAX];
		int n = store_pending_list(d->store, pending, PENDING_MAX);
		bool was_pending = false;
		for (int i = 0; i < n; i++)
			was_pending = was_pending || strcmp(pending[i].field, f->name) == 0;
		if (same) {
			int r = was_pending ? store_pending_delete(d->store, f->name) : 0;
			return r < 0 ? r : was_pending;
		}
		int r = store_pending_set(d->store, f->name, text, time(NULL));
		return r < 0 ? r : 1;
	}
	if (same)
		return 0;
	int r = store_config_set(d->store, f->name, text);
	return r < 0 ? r : 1;
}

HANDLER(api_config_put)
{
	const char *if_match = http_request_header(req, "If-Match");
	if (if_match && !etag_matches(if_match, d->config_rev))
		return http_error(res, 412, "precondition_failed", NULL,
				  "the configuration changed since it was read (ETag \"%" PRIu64 "\"); "
				  "read it again and retry", d->config_rev);
	if (!req->json || !json_is_object(req->json))
		return http_error(res, 400, "invalid_body", NULL, "the request body must be a JSON object");
	if (json_object_size(req->json) == 0)
		return http_error(res, 400, "invalid_body", NULL, "no fields to change");

	struct cell_config next;
	if (config_after_pending(d, &next) < 0)
		return -EIO;

	/* Validate everything before writing anything. */
	struct field_error e;
	const char *key;
	json_t *v;
	const char *blame = NULL;
	json_object_foreach(req->json, key, v) {
		const struct config_field *f = config_field_find(key);
		if (!f)
			return http_error(res, 400, "unknown_field", key, "unknown field '%s'", key);
		char text[CONFIG_VALUE_MAX];
		bool is_null;
		if (field_text(f, v, text, sizeof(text), &is_null, &e) < 0 ||
		    config_field_set(&next, f, is_null ? NULL : text, &e) < 0)
			return reply_field_error(res, &e);
		if (f->needs_apply)
			blame = f->name;
	}
	if (config_validate(&next, blame, &e) < 0)
		return reply_field_error(res, &e);
	if (json_object_get(req->json, "vpn_subnet") && vpn_subnet_moves(&d->config, &next)) {
		int r = api_config_peers_fit(d, &next.vpn_subnet, res);
		if (r < 0)
			return r;
	}

	int r = store_begin(d->store);
	if (r < 0)
		return r;
	int changed = 0;
	json_object_foreach(req->json, key, v) {
		const struct config_field *f = config_field_find(key);
		char text[CONFIG_VALUE_MAX];
		int is_null = config_field_get(&next, f, text, sizeof(text));
		r = is_null < 0 ? is_null : store_field(d, f, is_null ? NULL : text);
		if (r < 0)
			break;
		changed += r;
	}
	/* A new cell zone carries the user's records along. */
	char old_zone[CONFIG_ZONE_MAX + 1], new_zone[CONFIG_ZONE_MAX + 1];
	bool rezoned = config_zone(&d->config, old_zone, sizeof(old_zone)) == 0 &&
		       config_zone(&next, new_zone, sizeof(new_zone)) == 0 && strcmp(old_zone, new_zone) != 0;
	if (r >= 0 && rezoned)
		r = store_dns_records_rezone(d->store, old_zone, new_zone);
	uint64_t rev = d->config_rev;
	if (r >= 0 && changed)
		r = store_config_bump_revision(d->store, &rev);
	if (r >= 0)
		r = store_commit(d->store);
	if (r < 0) {
		store_rollback(d->store);
		log_err("config change not stored: %s", strerror(-r));
		return r;
	}
	if (changed) {
		uint16_t old_port = d->config.wireguard_port;
		r = daemon_reload_config(d);
		if (r < 0)
			return r;
		log_info("configuration changed (revision %" PRIu64 ")", d->config_rev);
		char err[512] = "";
		if (d->config.wireguard_port != old_port && apply_vpn_sync(d, err, sizeof(err)) < 0)
			log_err("vpn: the new port was not taken: %s", err);
	}
	if (rezoned) {
		/* The zone is in every service's config (DNS, DHCP's domain). */
		char err[512] = "";
		r = apply_dns_hosts(d, err, sizeof(err));
		if (r == 0)
			r = apply_dns_records_file(d, err, sizeof(err));
		if (r == 0)
			r = apply_all(d, false, err, sizeof(err));
		if (r < 0)
			log_err("the services did not all take the new zone %s: %s", new_zone, err);
		else
			log_info("services moved to the zone %s", new_zone);
	}
	/* Not api_config_get: its If-None-Match is a GET's, and a PUT that
	 * changed the configuration must not be answered 304. */
	return reply_config(d, res);
}

HANDLER(api_config_pending_get)
{
	struct pending_change pending[PENDING_MAX];
	int n = store_pending_list(d->store, pending, PENDING_MAX);
	if (n < 0)
		return n;
	json_t *doc = json_pack("{s:o}", "pending", api_config_pending_json(&d->config, pending, n));
	if (!doc)
		return -ENOMEM;
	set_etag(res, d->config_rev);
	return http_reply(res, 200, doc);
}

HANDLER(api_config_apply)
{
	struct pending_change pending[PENDING_MAX];
	int n = store_pending_list(d->store, pending, PENDING_MAX);
	if (n < 0)
		return n;
	json_t *applied = json_array();
	if (!applied)
		return -ENOMEM;

	struct cell_config next;
	struct field_error e;
	int r = config_after_pending(d, &next);
	if (r == 0 && config_validate(&next, NULL, &e) < 0) {
		json_decref(applied);
		return reply_field_error(res, &e);
	}
	/* The peers move in the transaction that moves their subnet. */
	bool moves_peers = r == 0 && vpn_subnet_moves(&d->config, &next);
	json_t *readdressed = NULL;
	if (r == 0 && n > 0)
		r = store_begin(d->store);
	for (int i = 0; r == 0 && i < n; i++) {
		const char *text = pending[i].is_null ? NULL : pending[i].value;
		r = store_config_set(d->store, pending[i].field, text);
		json_array_append_new(applied, json_pack("{s:s, s:s?}", "field", pending[i].field,
							 "value", text));
	}
	if (n > 0 && r == 0 && moves_peers)
		r = api_config_peers_move(d, &next.vpn_subnet, time(NULL), &readdressed, res);
	if (n > 0 && r == 0) {
		uint64_t rev;
		r = store_pending_clear(d->store);
		if (r == 0)
			r = store_config_bump_revision(d->store, &rev);
		if (r == 0)
			r = store_commit(d->store);
		if (r < 0)
			store_rollback(d->store);
		else
			r = daemon_reload_config(d);
	} else if (n > 0 && r < 0) {
		store_rollback(d->store);
	}
	if (r < 0) {
		json_decref(applied);
		json_decref(readdressed);
		return r;
	}
	if (!readdressed)
		readdressed = json_array();
	if (json_array_size(readdressed) > 0) {
		char net[CIDR_STR_MAX];
		cidr_format(&d->config.vpn_subnet, net);
		log_info("vpn: %zu peer(s) moved into %s; each device needs its new config", json_array_size(readdressed),
			 net);
	}
	json_t *result = json_pack("{s:b}", "ok", 1);
	if (n > 0) {
		log_info("applying %d pending change(s) (revision %" PRIu64 ")", n, d->config_rev);
		sse_publish(d->events, "apply", json_pack("{s:s, s:O}", "step", "network", "changes", applied));
		char err[512] = "";
		r = apply_cell_readdress(d, err, sizeof(err));
		if (r == 0)
			cell_listener_reopen_later(d);
		json_decref(result);
		result = r < 0 ? json_pack("{s:b, s:s}", "ok", 0, "error", err) : json_pack("{s:b}", "ok", 1);
		json_t *services = json_array();
		for (size_t i = 0; services && i < d->sup.n; i++)
			json_array_append_new(services, api_service_json(d, &d->sup.svcs[i]));
		json_object_set_new(result, "services", services);
		sse_publish(d->events, "apply", json_pack("{s:s, s:O}", "step", "done", "result", result));
		if (r < 0)
			log_err("applying the network change: %s", err);
		else
			log_info("network change applied");
	}
	json_t *doc = json_pack("{s:o, s:o, s:o, s:o}", "applied", applied, "result", result, "peers_readdressed",
				readdressed, "config", doc_with_pending(d));
	if (!doc)
		return -ENOMEM;
	set_etag(res, d->config_rev);
	return http_reply(res, 200, doc);
}
