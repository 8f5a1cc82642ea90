/* /api/dns/records: the cell zone's records. Every change is validated
 * whole (a 400 naming the field changes nothing) and written in one
 * transaction; the files unbound reads are rewritten and the transaction
 * committed; then the DNS pusher's thread makes it live through unbound's
 * control socket while the loop goes on, and the answer comes once the
 * data is served. If unbound does not take it even by a reload, the
 * change is undone (502). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_body.h"
#include "api_dns_json.h"
#include "apply/apply_dns.h"
#include "common/cleanup.h"
#include "common/log.h"
#include "common/strparse.h"
#include "daemon.h"
#include "deferred.h"
#include "handlers.h"
#include "store/store.h"
#include "store/store_dns.h"
#include "common/banned.h"

#define LIST_LIMIT_DEFAULT 100
#define LIST_LIMIT_MAX 1000
#define BATCH_MAX 10000

/* The configuration guarantees the zone fits (config_validate). */
static void cell_zone(const struct daemon *d, char *out, size_t len)
{
	if (config_zone(&d->config, out, len) < 0)
		out[0] = '\0';
}

/* The rules that need the store: reserved names, a CNAME alone at its
 * name, no duplicates. `exclude_id` is the record being replaced. */
static int check_against_store(struct daemon *d, const char *zone, const struct dns_record *r, int64_t exclude_id,
			       const char *prefix, struct http_response *res)
{
	struct field_error e;
	if (dns_record_reserved(zone, r)) {
		field_error_set(&e, "name", "%s is published by the cell itself and cannot be changed", r->name);
		return api_dns_field_error(res, prefix, &e), -EINVAL;
	}
	struct dns_record_filter f = { .name = r->name, .type = -1 };
	int total = store_dns_record_count(d->store, &f);
	if (total < 0)
		return total;
	_cleanup_free_ struct dns_record *at = calloc((size_t)total + 1, sizeof(*at));
	if (!at)
		return -ENOMEM;
	int n = store_dns_record_list(d->store, &f, 0, total, at);
	for (int i = 0; i < n; i++) {
		if (at[i].id == exclude_id)
			continue;
		if (r->type == DNS_CNAME || at[i].type == DNS_CNAME) {
			field_error_set(&e, "type", "%s already has %s data; a CNAME cannot stand beside other data",
					r->name, dns_type_name(at[i].type));
			return api_dns_field_error(res, prefix, &e), -EINVAL;
		}
		if (dns_record_same_data(r, &at[i])) {
			field_error_set(&e, "value", "the same %s record already exists (id %lld)",
					dns_type_name(r->type), (long long)at[i].id);
			return api_dns_field_error(res, prefix, &e), -EINVAL;
		}
	}
	return 0;
}

static int parse_record(struct daemon *d, json_t *obj, const char *prefix, struct dns_record *ret,
			struct http_response *res)
{
	char zone[DNS_NAME_MAX + 1];
	struct dns_record_input in;
	struct field_error e;
	cell_zone(d, zone, sizeof(zone));
	if (api_dns_record_input(obj, prefix, &in, res) < 0)
		return -EINVAL;
	if (dns_record_parse(zone, &in, ret, &e) < 0)
		return api_dns_field_error(res, prefix, &e), -EINVAL;
	return 0;
}

/* A change committed, on its way to unbound (the DNS pusher's thread):
 * the answer it gets once unbound serves it, and how to undo it if
 * unbound does not take it even by a reload. */
struct record_change {
	struct deferred *df;
	enum { UNDO_INSERTS, UNDO_UPDATE, UNDO_DELETE } undo;
	int64_t *ids; /* the records written */
	size_t n_ids;
	struct dns_record old; /* UNDO_UPDATE, UNDO_DELETE: as it was */
	int status;
	json_t *body;
	int64_t location; /* > 0: the Location of a created record */
	char log[DNS_NAME_MAX + 256];
};

static void change_free(struct record_change *c)
{
	json_decref(c->body);
	free(c->ids);
	free(c);
}

static struct record_change *change_new(int undo, const int64_t *ids, size_t n_ids)
{
	struct record_change *c = calloc(1, sizeof(*c));
	if (!c || !(c->ids = malloc((n_ids ? n_ids : 1) * sizeof(*ids)))) {
		free(c);
		return NULL;
	}
	c->undo = undo;
	memcpy(c->ids, ids, n_ids * sizeof(*ids));
	c->n_ids = n_ids;
	return c;
}

static void change_reply(struct record_change *c, struct http_response *res)
{
	log_info("%s", c->log);
	if (c->location > 0)
		http_response_header(res, "Location", "/api/dns/records/%lld", (long long)c->location);
	http_reply(res, c->status, TAKE_PTR(c->body));
}

/* unbound did not take it: the store as it was, and the files after it. */
static void change_undo(struct daemon *d, struct record_change *c)
{
	int r = store_begin(d->store);
	int64_t now = time(NULL);
	for (size_t i = 0; r == 0 && c->undo == UNDO_INSERTS && i < c->n_ids; i++)
		r = store_dns_record_delete(d->store, c->ids[i]);
	if (r == 0 && c->undo == UNDO_UPDATE)
		r = store_dns_record_update(d->store, &c->old, now);
	if (r == 0 && c->undo == UNDO_DELETE)
		r = store_dns_record_restore(d->store, &c->old, now);
	if (r == 0)
		r = store_commit(d->store);
	char err[256] = "";
	if (r < 0) {
		store_rollback(d->store);
		log_err("dns: a change unbound did not take could not be undone: %s", strerror(-r));
	} else if (apply_dns_names(d, NULL, 0, c->ids, c->n_ids, false, err, sizeof(err)) < 0) {
		log_err("dns: %s", err);
	}
}

static void change_done(struct daemon *d, int r, const char *err, void *cls)
{
	struct record_change *c = cls;
	struct http_response *res = deferred_response(c->df);
	if (r == 0) {
		change_reply(c, res);
	} else {
		change_undo(d, c);
		http_error(res, 502, "apply_failed", NULL, "%s", err[0] ? err : strerror(-r));
	}
	deferred_answer(c->df);
	change_free(c);
}

/* The end of every change, in its open transaction: the files rewritten
 * and unbound's change prepared, the store committed, and the answer
 * given once unbound serves the data; on any failure before the commit,
 * rolled back. Takes `c`. */
static int commit_live(struct daemon *d, struct http_request *req, const char *const *names, size_t n,
		       bool only_added, struct http_response *res, struct record_change *c)
{
	if (!c) {
		store_rollback(d->store);
		return -ENOMEM;
	}
	if (deferred_begin(d->deferred, req, res, &c->df) < 0) {
		store_rollback(d->store);
		change_free(c);
		return 0; /* res: 503 */
	}
	struct apply_dns_push *push = NULL;
	char err[512] = "";
	int r = apply_dns_names_begin(d, names, n, c->ids, c->n_ids, only_added, &push, err, sizeof(err));
	if (r == 0)
		r = store_commit(d->store);
	struct http_response *out = deferred_response(c->df);
	if (r < 0) {
		store_rollback(d->store);
		apply_dns_push_free(push);
		/* Put the files back in line with the store. */
		char ignored[128];
		apply_dns_records_file(d, ignored, sizeof(ignored));
		http_error(out, 502, "apply_failed", NULL, "%s", err[0] ? err : strerror(-r));
	} else if (push) {
		apply_dns_push_start(d, push, change_done, c);
		return 0;
	} else {
		change_reply(c, out); /* unbound reads the files when it starts */
	}
	deferred_answer(c->df);
	change_free(c);
	return 0;
}

HANDLER(api_dns_records_list)
{
	char zone[DNS_NAME_MAX + 1], name[DNS_NAME_MAX + 1];
	struct dns_record_filter f = { .type = -1 };
	struct field_error e;
	cell_zone(d, zone, sizeof(zone));
	const char *q = http_request_query(req, "name");
	if (q) {
		if (dns_name_qualify(zone, q, name, sizeof(name), &e) < 0)
			return http_error(res, 400, "invalid_field", "name", "%s", e.message);
		f.name = name;
	}
	q = http_request_query(req, "type");
	enum dns_type t;
	if (q) {
		if (dns_type_parse(q, &t) < 0)
			return http_error(res, 400, "invalid_field", "type", "type must be one of A, AAAA, CNAME, MX, TXT, SRV, CAA");
		f.type = (int)t;
	}
	uint32_t offset = 0, limit = LIST_LIMIT_DEFAULT;
	q = http_request_query(req, "offset");
	if (q && parse_u32(q, 0, DNS_RECORDS_MAX, &offset) < 0)
		return http_error(res, 400, "invalid_field", "offset", "offset must be a number from 0");
	q = http_request_query(req, "limit");
	if (q && parse_u32(q, 1, LIST_LIMIT_MAX, &limit) < 0)
		return http_error(res, 400, "invalid_field", "limit", "limit must be a number from 1 to %d", LIST_LIMIT_MAX);

	int total = store_dns_record_count(d->store, &f);
	if (total < 0)
		return total;
	_cleanup_free_ struct dns_record *list = calloc(limit, sizeof(*list));
	if (!list)
		return -ENOMEM;
	int n = store_dns_record_list(d->store, &f, (int)offset, (int)limit, list);
	if (n < 0)
		return n;
	json_t *a = json_array();
	for (int i = 0; a && i < n; i++)
		json_array_append_new(a, api_dns_record_json(&list[i]));
	return http_reply(res, 200, json_pack("{s:o, s:i, s:i, s:i}", "records", a, "total", total, "offset",
					      (int)offset, "limit", (int)limit));
}

static int record_id(struct http_request *req, struct http_response *res, int64_t *ret)
{
	uint64_t id;
	if (parse_u64(req->params[0], 1, INT64_MAX, &id) < 0)
		return http_error(res, 400, "invalid_field", "id", "id must be a positive integer"), -EINVAL;
	*ret = (int64_t)id;
	return 0;
}

HANDLER(api_dns_record_get)
{
	int64_t id;
	struct dns_record r;
	if (record_id(req, res, &id) < 0)
		return 0;
	int rc = store_dns_record_get(d->store, id, &r);
	if (rc == -ENOENT)
		return http_error(res, 404, "not_found", "id", "no record with id %lld", (long long)id);
	if (rc < 0)
		return rc;
	return http_reply(res, 200, api_dns_record_json(&r));
}

HANDLER(api_dns_record_create)
{
	char zone[DNS_NAME_MAX + 1];
	struct dns_record r;
	cell_zone(d, zone, sizeof(zone));
	if (parse_record(d, req->json, "", &r, res) < 0)
		return 0;
	int rc = store_begin(d->store);
	if (rc < 0)
		return rc;
	if (check_against_store(d, zone, &r, 0, "", res) < 0) {
		store_rollback(d->store);
		return res->status ? 0 : -EIO;
	}
	rc = store_dns_record_insert(d->store, &r, time(NULL));
	if (rc < 0) {
		store_rollback(d->store);
		return rc;
	}
	const char *names[] = { r.name };
	struct record_change *c = change_new(UNDO_INSERTS, &r.id, 1);
	if (c) {
		*c = (struct record_change){ .undo = c->undo, .ids = c->ids, .n_ids = 1, .status = 201,
					     .body = api_dns_record_json(&r), .location = r.id };
		snprintf(c->log, sizeof(c->log), "dns: %s %s added by '%s'", r.name, dns_type_name(r.type),
			 req->auth.username);
	}
	return commit_live(d, req, names, 1, true, res, c);
}

HANDLER(api_dns_record_put)
{
	char zone[DNS_NAME_MAX + 1];
	int64_t id;
	struct dns_record r, old;
	cell_zone(d, zone, sizeof(zone));
	if (record_id(req, res, &id) < 0 || parse_record(d, req->json, "", &r, res) < 0)
		return 0;
	r.id = id;
	int rc = store_begin(d->store);
	if (rc == 0)
		rc = store_dns_record_get(d->store, id, &old);
	if (rc == -ENOENT) {
		store_rollback(d->store);
		return http_error(res, 404, "not_found", "id", "no record with id %lld", (long long)id);
	}
	if (rc == 0 && check_against_store(d, zone, &r, id, "", res) < 0)
		rc = -EINVAL;
	if (rc == 0)
		rc = store_dns_record_update(d->store, &r, time(NULL));
	if (rc < 0) {
		store_rollback(d->store);
		return res->status ? 0 : rc;
	}
	const char *names[] = { old.name, r.name };
	struct record_change *c = change_new(UNDO_UPDATE, &id, 1);
	if (c) {
		c->old = old;
		c->status = 200;
		c->body = api_dns_record_json(&r);
		snprintf(c->log, sizeof(c->log), "dns: record %lld (%s %s) changed by '%s'", (long long)id, r.name,
			 dns_type_name(r.type), req->auth.username);
	}
	return commit_live(d, req, names, strcmp(old.name, r.name) ? 2 : 1, false, res, c);
}

HANDLER(api_dns_record_delete)
{
	int64_t id;
	struct dns_record old;
	if (record_id(req, res, &id) < 0)
		return 0;
	int rc = store_begin(d->store);
	if (rc == 0)
		rc = store_dns_record_get(d->store, id, &old);
	if (rc == 0)
		rc = store_dns_record_delete(d->store, id);
	if (rc < 0) {
		store_rollback(d->store);
		if (rc == -ENOENT)
			return http_error(res, 404, "not_found", "id", "no record with id %lld", (long long)id);
		return rc;
	}
	const char *names[] = { old.name };
	struct record_change *c = change_new(UNDO_DELETE, &id, 1);
	if (c) {
		c->old = old;
		c->status = 204;
		snprintf(c->log, sizeof(c->log), "dns: %s %s deleted by '%s'", old.name, dns_type_name(old.type),
			 req->auth.username);
	}
	return commit_live(d, req, names, 1, false, res, c);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

HANDLER(api_dns_records_batch)
{
	static const char *const allowed[] = { "records", NULL };
	if (api_body_object(req, res, allowed) < 0)
		return 0;
	json_t *list = json_object_get(req->json, "records");
	if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > BATCH_MAX)
		return http_error(res, 400, "invalid_field", "records", "records must be a list of 1 to %d records",
				  BATCH_MAX);
	size_t n = json_array_size(list);
	char zone[DNS_NAME_MAX + 1];
	cell_zone(d, zone, sizeof(zone));
	_cleanup_free_ struct dns_record *recs = calloc(n, sizeof(*recs));
	_cleanup_free_ const char **names = calloc(n, sizeof(*names));
	_cleanup_free_ int64_t *ids = calloc(n, sizeof(*ids));
	if (!recs || !names || !ids)
		return -ENOMEM;
	/* All or nothing: validate everything, insert one by one inside one
	 * transaction (each checked against what came before it). */
	for (size_t i = 0; i < n; i++) {
		char prefix[32];
		snprintf(prefix, sizeof(prefix), "records[%zu].", i);
		if (parse_record(d, json_array_get(list, i), prefix, &recs[i], res) < 0)
			return 0;
	}
	int rc = store_begin(d->store);
	if (rc < 0)
		return rc;
	int64_t now = time(NULL);
	for (size_t i = 0; i < n; i++) {
		char prefix[32];
		snprintf(prefix, sizeof(prefix), "records[%zu].", i);
		if (check_against_store(d, zone, &recs[i], 0, prefix, res) < 0 ||
		    (rc = store_dns_record_insert(d->store, &recs[i], now)) < 0) {
			store_rollback(d->store);
			return res->status ? 0 : rc;
		}
		names[i] = recs[i].name;
		ids[i] = recs[i].id;
	}
	qsort(names, n, sizeof(*names), cmp_str);
	size_t unique = 0;
	for (size_t i = 0; i < n; i++)
		if (unique == 0 || strcmp(names[unique - 1], names[i]) != 0)
			names[unique++] = names[i];
	struct record_change *c = change_new(UNDO_INSERTS, ids, n);
	if (c) {
		json_t *list_ids = json_array();
		for (size_t i = 0; list_ids && i < n; i++)
			json_array_append_new(list_ids, json_integer(recs[i].id));
		c->status = 201;
		c->body = json_pack("{s:i, s:o}", "created", (int)n, "ids", list_ids);
		snprintf(c->log, sizeof(c->log), "dns: %zu records added in one batch by '%s'", n, req->auth.username);
	}
	return commit_live(d, req, names, unique, true, res, c);
}
