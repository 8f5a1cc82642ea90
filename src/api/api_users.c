/* /api/users: the cell's accounts, and /api/me: a cell account's own.
 *
 * An account is checked whole in the loop (every field, then whether its
 * name and aliases are free); its bcrypt hash (~50 ms) is made in the
 * worker thread; the store is written in the loop after, checking again
 * that nobody took the name or an alias meanwhile. Disabling an account,
 * or setting its password, ends its sessions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api_body.h"
#include "auth.h"
#include "common/log.h"
#include "daemon.h"
#include "apply/apply_mail.h"
#include "apply/mail_boxes.h"
#include "deferred.h"
#include "handlers.h"
#include "store/store_account.h"
#include "store/store_session.h"
#include "common/banned.h"

static json_t *account_json(struct daemon *d, const struct account *a)
{
	char zone[CONFIG_ZONE_MAX + 1] = "";
	config_zone(&d->config, zone, sizeof(zone));
	const char *names[ACCOUNT_SERVICES_N];
	size_t n = account_service_names(a->services, names);
	json_t *services = json_array(), *aliases = json_array(), *addresses = json_array();
	for (size_t i = 0; services && i < n; i++)
		json_array_append_new(services, json_string(names[i]));
	json_array_append_new(addresses, json_sprintf("%s@%s", a->name, zone));
	for (size_t i = 0; aliases && addresses && i < a->n_aliases; i++) {
		json_array_append_new(aliases, json_string(a->aliases[i]));
		json_array_append_new(addresses, json_sprintf("%s@%s", a->aliases[i], zone));
	}
	return json_pack("{s:s, s:s, s:o, s:I, s:I, s:o, s:o, s:b, s:I, s:I}", "name", a->name, "display_name",
			 a->display_name, "services", services, "mail_quota_mb", (json_int_t)a->mail_quota_mb,
			 "mail_used_bytes", (json_int_t)mail_box_used(d, a->name), "aliases", aliases, "addresses",
			 addresses, "disabled", a->disabled, "created_at", (json_int_t)a->created_at, "updated_at",
			 (json_int_t)a->updated_at);
}

static int invalid(struct http_response *res, const struct field_error *e)
{
	return http_error(res, 400, "invalid_field", e->field, "%s", e->message), -EINVAL;
}

static int read_services(json_t *v, struct account *a, struct http_response *res)
{
	if (!json_is_array(v))
		return http_error(res, 400, "invalid_field", "services",
				  "services must be a list of \"mail\", \"calendar\", \"files\""),
		       -EINVAL;
	a->services = 0;
	size_t i;
	json_t *s;
	json_array_foreach(v, i, s) {
		char field[32];
		unsigned bit;
		snprintf(field, sizeof(field), "services[%zu]", i);
		if (!json_is_string(s) || account_service_parse(json_string_value(s), &bit) < 0)
			return http_error(res, 400, "invalid_field", field,
					  "%s must be \"mail\", \"calendar\" or \"files\"", field),
			       -EINVAL;
		if (a->services & bit)
			return http_error(res, 400, "invalid_field", field, "%s repeats %s", field,
					  json_string_value(s)),
			       -EINVAL;
		a->services |= bit;
	}
	return 0;
}

static int read_aliases(json_t *v, struct account *a, struct http_response *res)
{
	if (!json_is_array(v))
		return http_error(res, 400, "invalid_field", "aliases", "aliases must be a list of local parts"),
		       -EINVAL;
	a->n_aliases = 0;
	size_t i;
	json_t *s;
	json_array_foreach(v, i, s) {
		char field[32];
		struct field_error e;
		snprintf(field, sizeof(field), "aliases[%zu]", i);
		if (!json_is_string(s))
			return http_error(res, 400, "invalid_field", field, "%s must be a string", field), -EINVAL;
		if (account_add_alias(a, field, json_string_value(s), &e) < 0)
			return invalid(res, &e);
	}
	return 0;
}

/* The members a write set (read_fields), to lay them on the account as it
 * is when a password's hash is back (overlay). */
enum {
	SET_DISPLAY_NAME = 1,
	SET_SERVICES = 2,
	SET_QUOTA = 4,
	SET_ALIASES = 8,
	SET_DISABLED = 16,
};

/* The members any write may carry, onto `a`; *ret_set says which. */
static int read_fields(struct http_request *req, struct http_response *res, struct account *a, unsigned *ret_set)
{
	static const struct {
		const char *key;
		unsigned bit;
	} keys[] = { { "display_name", SET_DISPLAY_NAME }, { "services", SET_SERVICES }, { "mail_quota_mb", SET_QUOTA },
		     { "aliases", SET_ALIASES }, { "disabled", SET_DISABLED } };
	*ret_set = 0;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (json_object_get(req->json, keys[i].key))
			*ret_set |= keys[i].bit;
	json_t *v;
	struct field_error e;
	if ((v = json_object_get(req->json, "display_name"))) {
		if (!json_is_string(v))
			return http_error(res, 400, "invalid_field", "display_name", "display_name must be a string"),
			       -EINVAL;
		if (account_check_display_name(json_string_value(v), &e) < 0)
			return invalid(res, &e);
		snprintf(a->display_name, sizeof(a->display_name), "%s", json_string_value(v));
	}
	if ((v = json_object_get(req->json, "services")) && read_services(v, a, res) < 0)
		return -EINVAL;
	if ((v = json_object_get(req->json, "mail_quota_mb"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > ACCOUNT_QUOTA_MB_MAX)
			return http_error(res, 400, "invalid_field", "mail_quota_mb",
					  "mail_quota_mb must be a whole number of MiB from 0 (no limit) to %d",
					  ACCOUNT_QUOTA_MB_MAX),
			       -EINVAL;
		a->mail_quota_mb = (uint32_t)json_integer_value(v);
	}
	if ((v = json_object_get(req->json, "aliases")) && read_aliases(v, a, res) < 0)
		return -EINVAL;
	if ((v = json_object_get(req->json, "disabled"))) {
		if (!json_is_boolean(v))
			return http_error(res, 400, "invalid_field", "disabled", "disabled must be true or false"),
			       -EINVAL;
		a->disabled = json_is_true(v);
	}
	return 0;
}

/* The members `set` of `from` onto `to`. */
static void overlay(struct account *to, const struct account *from, unsigned set)
{
	if (set & SET_DISPLAY_NAME)
		memcpy(to->display_name, from->display_name, sizeof(to->display_name));
	if (set & SET_SERVICES)
		to->services = from->services;
	if (set & SET_QUOTA)
		to->mail_quota_mb = from->mail_quota_mb;
	if (set & SET_ALIASES) {
		memcpy(to->aliases, from->aliases, sizeof(to->aliases));
		to->n_aliases = from->n_aliases;
	}
	if (set & SET_DISABLED)
		to->disabled = from->disabled;
}

/* 0 when `a`'s name (if `new_name`) and aliases are nobody else's; else a
 * 409 naming the field. */
static int check_free(struct daemon *d, const struct account *a, bool new_name, struct http_response *res)
{
	int64_t owner;
	int r = new_name ? store_account_local_part_owner(d->store, a->name, &owner) : -ENOENT;
	if (r == 0)
		return http_error(res, 409, "name_taken", "name", "the name '%s' is taken", a->name), -EEXIST;
	if (r != -ENOENT)
		return r;
	for (size_t i = 0; i < a->n_aliases; i++) {
		r = store_account_local_part_owner(d->store, a->aliases[i], &owner);
		if (r == -ENOENT || (r == 0 && !new_name && owner == a->id))
			continue; /* free, or its own alias */
		if (r < 0)
			return r;
		char field[32];
		snprintf(field, sizeof(field), "aliases[%zu]", i);
		return http_error(res, 409, "name_taken", field, "'%s' is already an account or an alias", a->aliases[i]),
		       -EEXIST;
	}
	return 0;
}

/* The account named by the path, or a 404. */
static int find(struct daemon *d, const char *name, struct account *a, struct http_response *res)
{
	int r = store_account_get(d->store, name, a);
	if (r == -ENOENT)
		http_error(res, 404, "not_found", NULL, "no account '%s'", name);
	return r;
}

/* Writes `a` (created, or changed; `end_sessions`: its sessions end) and
 * answers with it. */
static int write_account(struct daemon *d, struct account *a, bool create, bool end_sessions,
			 struct http_response *res)
{
	int r = store_begin(d->store);
	if (r < 0)
		return r;
	r = check_free(d, a, create, res);
	int64_t now = time(NULL);
	if (r == 0)
		r = create ? store_account_create(d->store, a, now) : store_account_update(d->store, a, now);
	if (r == 0 && !create && a->password_hash[0])
		r = store_user_set_password(d->store, a->id, a->password_hash, now);
	if (r == 0 && end_sessions)
		r = store_session_delete_user(d->store, a->id, NULL);
	if (r == 0)
		r = store_commit(d->store);
	if (r < 0) {
		store_rollback(d->store);
		if (r == -EEXIST && !res->status)
			return http_error(res, 409, "name_taken", "name", "the name '%s' is taken", a->name);
		if (r == -ENOENT && !res->status) /* deleted meanwhile */
			return http_error(res, 404, "not_found", NULL, "no account '%s'", a->name);
		return res->status ? 0 : r;
	}
	/* Logins already open end too (a new password, disabled, no mail). */
	if (!create && (end_sessions || !(a->services & ACCOUNT_MAIL)))
		apply_mail_kick(d, a->name);
	json_t *doc = account_json(d, a);
	return doc ? http_reply(res, create ? 201 : 200, doc) : -ENOMEM;
}

/* A write that sets a password: hashed in the worker first. A change's
 * other members are laid on the account as it is once the hash is back,
 * so that a change made meanwhile (disabling it, say) stands. */
struct account_job {
	struct auth_pw_work pw; /* first: the worker sees a worker_job */
	struct daemon *d;
	struct deferred *df;
	bool create;
	unsigned set; /* a change's members besides the password */
	char by[sizeof(((struct auth_info *)0)->username)];
	struct account a;   /* what the request asked for */
	struct account now; /* a change: the account when the hash is back */
};

static void account_job_free(struct account_job *j)
{
	auth_pw_work_wipe(&j->pw);
	sodium_memzero(j->pw.new_hash, sizeof(j->pw.new_hash));
	sodium_memzero(j->a.password_hash, sizeof(j->a.password_hash));
	sodium_memzero(j->now.password_hash, sizeof(j->now.password_hash));
	free(j);
}

static void account_job_done(struct worker_job *job)
{
	struct account_job *j = (struct account_job *)job;
	struct http_response *res = deferred_response(j->df);
	if (j->pw.hash_result < 0) {
		http_error(res, 500, "internal", NULL, "cannot hash the password");
	} else {
		/* Written even if the client left: it asked, and was the admin. */
		int r = j->create ? 0 : find(j->d, j->a.name, &j->now, res);
		struct account *a = j->create ? &j->a : &j->now;
		if (r == 0) {
			overlay(a, &j->a, j->set);
			snprintf(a->password_hash, sizeof(a->password_hash), "%s", j->pw.new_hash);
			r = write_account(j->d, a, j->create, !j->create, res);
		}
		if (r < 0 && !res->status)
			http_error(res, 500, "internal", NULL, "internal error");
		else if (res->status < 300)
			log_info("account '%s' %s by '%s'", j->a.name, j->create ? "created" : "given a new password",
				 j->by);
	}
	deferred_answer(j->df);
	account_job_free(j);
}

static int hash_then_write(struct daemon *d, struct http_request *req, struct http_response *res,
			   const struct account *a, unsigned set, const char *password, bool create)
{
	struct account_job *j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	*j = (struct account_job){ .d = d, .create = create, .set = set, .a = *a };
	snprintf(j->by, sizeof(j->by), "%s", req->auth.username);
	j->pw.job = (struct worker_job){ .run = auth_pw_work_run, .done = account_job_done };
	j->pw.hasher = d->hasher;
	j->pw.rehash = true;
	j->pw.scheme = AUTH_PW_BCRYPT;
	snprintf(j->pw.new_password, sizeof(j->pw.new_password), "%s", password);
	if (auth_pw_submit(d, req, res, &j->pw, &j->df) < 0)
		account_job_free(j); /* res: 503 */
	return 0;
}

HANDLER(api_users_list)
{
	(void)req;
	struct account *list;
	size_t n;
	int r = store_account_list(d->store, &list, &n);
	if (r < 0)
		return r;
	json_t *users = json_array();
	for (size_t i = 0; users && i < n; i++)
		if (json_array_append_new(users, account_json(d, &list[i])) < 0)
			r = -ENOMEM;
	sodium_memzero(list, n * sizeof(*list));
	free(list);
	json_t *doc = users && r == 0 ? json_pack("{s:o}", "users", users) : NULL;
	if (!doc) {
		json_decref(users);
		return -ENOMEM;
	}
	return http_reply(res, 200, doc);
}

HANDLER(api_users_create)
{
	static const char *const allowed[] = { "name",	"password", "display_name", "services",
					       "mail_quota_mb", "aliases", NULL };
	const char *name, *password;
	if (api_body_object(req, res, allowed) < 0 ||
	    api_body_string(req, res, "name", ACCOUNT_NAME_MAX * 4, true, &name) < 0 ||
	    api_body_string(req, res, "password", ACCOUNT_PASSWORD_MAX * 2, true, &password) < 0)
		return 0;
	struct field_error e;
	if (account_check_name(name, &e) < 0 || account_check_password(name, password, &e) < 0)
		return invalid(res, &e), 0;
	struct account a = { .services = ACCOUNT_SERVICES_ALL, .mail_quota_mb = ACCOUNT_QUOTA_MB_DEFAULT };
	snprintf(a.name, sizeof(a.name), "%s", name);
	unsigned set;
	if (read_fields(req, res, &a, &set) < 0)
		return 0;
	if (json_object_get(req->json, "disabled"))
		return http_error(res, 400, "invalid_field", "disabled", "a new account is enabled; disable it after");
	int r = check_free(d, &a, true, res);
	if (r < 0)
		return res->status ? 0 : r;
	return hash_then_write(d, req, res, &a, set, password, true);
}

HANDLER(api_users_get)
{
	struct account a;
	int r = find(d, req->params[0], &a, res);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	sodium_memzero(a.password_hash, sizeof(a.password_hash));
	json_t *doc = account_json(d, &a);
	return doc ? http_reply(res, 200, doc) : -ENOMEM;
}

HANDLER(api_users_put)
{
	static const char *const allowed[] = { "display_name", "services", "mail_quota_mb",
					       "aliases",      "disabled", "password", NULL };
	const char *password;
	if (api_body_object(req, res, allowed) < 0 ||
	    api_body_string(req, res, "password", ACCOUNT_PASSWORD_MAX * 2, false, &password) < 0)
		return 0;
	struct account a;
	int r = find(d, req->params[0], &a, res);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	sodium_memzero(a.password_hash, sizeof(a.password_hash));
	bool was_disabled = a.disabled;
	struct field_error e;
	unsigned set;
	if (read_fields(req, res, &a, &set) < 0)
		return 0;
	if (password && account_check_password(a.name, password, &e) < 0)
		return invalid(res, &e), 0;
	r = check_free(d, &a, false, res);
	if (r < 0)
		return res->status ? 0 : r;
	if (password)
		return hash_then_write(d, req, res, &a, set, password, false);
	r = write_account(d, &a, false, a.disabled && !was_disabled, res);
	if (r == 0 && res->status < 300 && a.disabled != was_disabled)
		log_info("account '%s' %s by '%s'", a.name, a.disabled ? "disabled" : "enabled", req->auth.username);
	return r;
}

HANDLER(api_users_delete)
{
	const char *purge = http_request_query(req, "purge");
	if (purge && strcmp(purge, "true") != 0 && strcmp(purge, "false") != 0)
		return http_error(res, 400, "invalid_field", "purge", "purge must be true or false");
	struct account a;
	int r = find(d, req->params[0], &a, res);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	sodium_memzero(a.password_hash, sizeof(a.password_hash));
	bool purging = purge && strcmp(purge, "true") == 0;
	r = store_begin(d->store);
	if (r == 0)
		r = store_account_delete(d->store, a.id);
	if (r == 0)
		r = store_commit(d->store);
	if (r < 0) {
		store_rollback(d->store);
		return r;
	}
	/* Deleted either way: its data is kept as an orphan if this fails. */
	apply_mail_kick(d, a.name);
	r = mail_boxes_retire(d, a.name, purging, time(NULL));
	if (r < 0)
		log_err("account '%s': cannot set its mailbox aside: %s", a.name, strerror(-r));
	log_info("account '%s' deleted by '%s'%s", a.name, req->auth.username, purging ? ", its data too" : "");
	return http_reply(res, 204, NULL);
}

HANDLER(api_me_get)
{
	if (req->auth.admin)
		return http_error(res, 404, "not_found", NULL, "the admin has no cell account; see /api/users");
	struct account a;
	int r = find(d, req->auth.username, &a, res);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	sodium_memzero(a.password_hash, sizeof(a.password_hash));
	json_t *doc = account_json(d, &a);
	return doc ? http_reply(res, 200, doc) : -ENOMEM;
}

HANDLER(api_users_orphans)
{
	(void)req;
	struct mail_orphan *list;
	size_t n;
	int r = mail_boxes_orphans(d, &list, &n);
	if (r < 0)
		return r;
	json_t *orphans = json_array();
	for (size_t i = 0; orphans && i < n; i++)
		if (json_array_append_new(orphans, json_pack("{s:s, s:s, s:I, s:{s:I}}", "id", list[i].id, "name",
							      list[i].name, "deleted_at", (json_int_t)list[i].deleted_at,
							      "mail", "bytes", (json_int_t)list[i].bytes)) < 0)
			r = -ENOMEM;
	free(list);
	json_t *doc = orphans && r == 0 ? json_pack("{s:o}", "orphans", orphans) : NULL;
	if (!doc) {
		json_decref(orphans);
		return -ENOMEM;
	}
	return http_reply(res, 200, doc);
}

HANDLER(api_users_orphan_delete)
{
	int r = mail_boxes_remove_orphan(d, req->params[0]);
	if (r == -ENOENT)
		return http_error(res, 404, "not_found", NULL, "no orphaned data '%s'", req->params[0]);
	if (r < 0)
		return r;
	log_info("orphaned data '%s' deleted by '%s'", req->params[0], req->auth.username);
	return http_reply(res, 204, NULL);
}
