/* /api/email/aliases: every alias of every account in one list, and one
 * alias added to or taken from an account without restating the others
 * (PUT /api/users/{name} sets an account's whole list). An alias is a
 * local part of each mail domain (info@<zone>, info@example.org) that
 * reaches the account it belongs to. postfix asks picd at each message,
 * so a change takes effect at the next one; nothing is reloaded. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_body.h"
#include "common/log.h"
#include "daemon.h"
#include "handlers.h"
#include "store/store_account.h"
#include "common/banned.h"

static json_t *alias_json(const char *alias, const char *user, const char *zone)
{
	return json_pack("{s:s, s:s, s:s++}", "alias", alias, "user", user, "address", alias, "@", zone);
}

static int zone_of(const struct daemon *d, char zone[CONFIG_ZONE_MAX + 1])
{
	return config_zone(&d->config, zone, CONFIG_ZONE_MAX + 1) < 0 ? -ENAMETOOLONG : 0;
}

HANDLER(api_email_aliases_list)
{
	(void)req;
	char zone[CONFIG_ZONE_MAX + 1];
	struct account *accounts = NULL;
	size_t n = 0;
	int r = zone_of(d, zone);
	if (r == 0)
		r = store_account_list(d->store, &accounts, &n);
	if (r < 0)
		return r;
	json_t *list = json_array();
	for (size_t i = 0; list && i < n; i++)
		for (size_t j = 0; j < accounts[i].n_aliases; j++)
			json_array_append_new(list, alias_json(accounts[i].aliases[j], accounts[i].name, zone));
	free(accounts);
	return http_reply(res, 200, json_pack("{s:o}", "aliases", list));
}

/* Writes `a`'s aliases in one transaction; `added`: the alias must be
 * nobody's yet (checked in it, so two requests cannot both take it). */
static int write_aliases(struct daemon *d, struct account *a, const char *added, struct http_response *res)
{
	int r = store_begin(d->store);
	if (r < 0)
		return r;
	int64_t owner;
	r = added ? store_account_local_part_owner(d->store, added, &owner) : -ENOENT;
	if (r == 0) {
		store_rollback(d->store);
		return http_error(res, 409, "name_taken", "alias", "'%s' is already an account or an alias", added);
	}
	r = r == -ENOENT ? store_account_update(d->store, a, time(NULL)) : r;
	if (r == 0)
		r = store_commit(d->store);
	if (r < 0)
		store_rollback(d->store);
	return r;
}

HANDLER(api_email_aliases_add)
{
	static const char *const allowed[] = { "alias", "user", NULL };
	const char *alias, *user;
	if (api_body_object(req, res, allowed) < 0 ||
	    api_body_string(req, res, "alias", ACCOUNT_NAME_MAX, true, &alias) < 0 ||
	    api_body_string(req, res, "user", ACCOUNT_NAME_MAX, true, &user) < 0)
		return 0;
	char zone[CONFIG_ZONE_MAX + 1];
	int r = zone_of(d, zone);
	if (r < 0)
		return r;
	struct account a;
	r = store_account_get(d->store, user, &a);
	if (r == -ENOENT)
		return http_error(res, 400, "invalid_field", "user", "no account '%s'", user);
	if (r < 0)
		return r;
	struct field_error e;
	if (account_add_alias(&a, "alias", alias, &e) < 0)
		return http_error(res, 400, "invalid_field", "alias", "%s", e.message);
	r = write_aliases(d, &a, alias, res);
	if (r == -ENOENT) /* the account went meanwhile */
		return http_error(res, 400, "invalid_field", "user", "no account '%s'", user);
	if (r < 0 || res->status)
		return res->status ? 0 : r;
	log_info("mail: alias %s added to '%s' by '%s'", alias, a.name, req->auth.username);
	return http_reply(res, 201, alias_json(alias, a.name, zone));
}

HANDLER(api_email_aliases_delete)
{
	const char *alias = req->params[0];
	struct account_owner owner;
	int r = store_account_mail_owner(d->store, alias, &owner);
	if (r == 0 && !owner.alias)
		r = -ENOENT; /* an account's own name is not an alias */
	struct account a;
	if (r == 0)
		r = store_account_get(d->store, owner.name, &a);
	if (r == -ENOENT)
		return http_error(res, 404, "not_found", NULL, "no alias '%s'", alias);
	if (r < 0)
		return r;
	size_t kept = 0;
	for (size_t i = 0; i < a.n_aliases; i++)
		if (strcmp(a.aliases[i], alias) != 0)
			memmove(a.aliases[kept++], a.aliases[i], sizeof(a.aliases[0]));
	a.n_aliases = kept;
	r = write_aliases(d, &a, NULL, res);
	if (r == -ENOENT)
		return http_error(res, 404, "not_found", NULL, "no alias '%s'", alias);
	if (r < 0)
		return r;
	log_info("mail: alias %s taken from '%s' by '%s'", alias, a.name, req->auth.username);
	return http_reply(res, 204, NULL);
}
