/* GET and PUT /api/email/config: how mail for other servers leaves —
 * direct, or through a relay host with a login. The password is never
 * answered ("has_password"); a change that keeps the relay's user name and
 * gives no password keeps the stored one. Applied to postfix through the
 * apply engine; committed once postfix took it. */
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_apply.h"
#include "api_body.h"
#include "common/log.h"
#include "daemon.h"
#include "handlers.h"
#include "store/store_email.h"
#include "svc/svc_postfix.h"
#include "common/banned.h"

static json_t *config_json(const struct email_settings *e)
{
	if (!e->relay)
		return json_pack("{s:n}", "relay");
	return json_pack("{s:{s:s, s:i, s:s?, s:b}}", "relay", "host", e->relay_host, "port", (int)e->relay_port,
			 "username", e->relay_username[0] ? e->relay_username : NULL, "has_password",
			 e->relay_password[0] != 0);
}

HANDLER(api_email_config_get)
{
	(void)req;
	struct email_settings e;
	int r = store_email_load(d->store, &e);
	if (r < 0)
		return r;
	json_t *doc = config_json(&e);
	sodium_memzero(&e, sizeof(e));
	return doc ? http_reply(res, 200, doc) : -ENOMEM;
}

static int bad(struct http_response *res, const char *field, const char *msg)
{
	return http_error(res, 400, "invalid_field", field, "%s", msg), -EINVAL;
}

/* A string member of the relay object into out[len]; absent: "". */
static int relay_string(json_t *relay, const char *key, const char *field, char *out, size_t len,
			struct http_response *res)
{
	json_t *v = json_object_get(relay, key);
	if (!v || json_is_null(v)) {
		out[0] = '\0';
		return 0;
	}
	if (!json_is_string(v))
		return bad(res, field, "must be a string");
	if (json_string_length(v) >= len || strlen(json_string_value(v)) != json_string_length(v))
		return bad(res, field, "too long, or holds a NUL");
	snprintf(out, len, "%s", json_string_value(v));
	return 0;
}

static int parse_relay(struct daemon *d, json_t *relay, struct email_settings *e, struct http_response *res)
{
	email_settings_defaults(e);
	if (!relay || json_is_null(relay))
		return 0;
	if (!json_is_object(relay))
		return bad(res, "relay", "relay is an object (host, port, username, password) or null");
	const char *key;
	json_t *v;
	json_object_foreach(relay, key, v) {
		if (strcmp(key, "host") && strcmp(key, "port") && strcmp(key, "username") && strcmp(key, "password")) {
			char field[64];
			snprintf(field, sizeof(field), "relay.%.50s", key);
			return bad(res, field, "unknown member of relay");
		}
	}
	e->relay = true;
	json_t *port = json_object_get(relay, "port");
	if (port && !json_is_null(port)) {
		json_int_t p = json_is_integer(port) ? json_integer_value(port) : -1;
		if (p < 1 || p > 65535)
			return bad(res, "relay.port", "relay.port must be 1 to 65535");
		e->relay_port = (uint16_t)p;
	}
	if (!json_object_get(relay, "host"))
		return bad(res, "relay.host", "relay.host is required");
	if (relay_string(relay, "host", "relay.host", e->relay_host, sizeof(e->relay_host), res) < 0 ||
	    relay_string(relay, "username", "relay.username", e->relay_username, sizeof(e->relay_username), res) < 0 ||
	    relay_string(relay, "password", "relay.password", e->relay_password, sizeof(e->relay_password), res) < 0)
		return -EINVAL;
	/* The same login without a password: the stored one stays. */
	struct email_settings now;
	if (!e->relay_password[0] && e->relay_username[0] && !json_object_get(relay, "password") &&
	    store_email_load(d->store, &now) == 0 && now.relay && strcmp(now.relay_username, e->relay_username) == 0)
		memcpy(e->relay_password, now.relay_password, sizeof(e->relay_password));
	sodium_memzero(&now, sizeof(now));
	struct field_error fe;
	if (email_relay_check(e, &fe) < 0)
		return bad(res, fe.field, fe.message);
	return 0;
}

struct email_change {
	struct email_settings settings;
	char user[sizeof(((struct auth_info *)0)->username)];
};

static int email_write(struct daemon *d, void *cls, struct http_response *res)
{
	(void)res;
	struct email_change *c = cls;
	return store_email_save(d->store, &c->settings);
}

static void email_answer(struct daemon *d, void *cls, struct http_response *res)
{
	struct email_change *c = cls;
	if (c->settings.relay)
		log_info("mail: relay host set to %s:%u by '%s'", c->settings.relay_host, (unsigned)c->settings.relay_port,
			 c->user);
	else
		log_info("mail: direct delivery set by '%s'", c->user);
	http_reply(res, 200, config_json(&c->settings));
	sodium_memzero(&c->settings, sizeof(c->settings));
}

static const struct api_change_ops email_change_ops = { .write = email_write, .answer = email_answer };

HANDLER(api_email_config_put)
{
	static const char *const allowed[] = { "relay", NULL };
	if (api_body_object(req, res, allowed) < 0)
		return 0;
	if (!json_object_get(req->json, "relay"))
		return http_error(res, 400, "invalid_field", "relay", "relay is required (null: direct delivery)");
	struct email_change *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	if (parse_relay(d, json_object_get(req->json, "relay"), &c->settings, res) < 0) {
		sodium_memzero(c, sizeof(*c));
		free(c);
		return 0;
	}
	snprintf(c->user, sizeof(c->user), "%s", req->auth.username);
	return api_apply_change(d, req, res, svc_postfix_ops.name, "relay", &email_change_ops, c);
}
