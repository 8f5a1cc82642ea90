/* /api/auth: login, logout, the current session and the admin password.
 *
 * Sessions are random 256-bit cookies stored by hash; each has a CSRF
 * token that cookie-authenticated changes must echo in X-CSRF-Token.
 * Failed logins are throttled per client address. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api_body.h"
#include "auth.h"
#include "common/log.h"
#include "common/secret.h"
#include "daemon.h"
#include "handlers.h"
#include "store/store_session.h"
#include "store/store_user.h"
#include "throttle.h"
#include "common/banned.h"

#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024

static int too_many_attempts(struct http_response *res, unsigned retry_after)
{
	http_response_header(res, "Retry-After", "%u", retry_after);
	return http_error(res, 429, "too_many_attempts", NULL,
			  "too many failed attempts; try again in %u seconds", retry_after);
}

static void set_session_cookie(struct http_request *req, struct http_response *res, const char *value,
			       bool clear)
{
	http_response_header(res, "Set-Cookie", "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
			     SESSION_COOKIE, value, req->tls ? "; Secure" : "",
			     clear ? "; Max-Age=0" : "");
}

HANDLER(api_auth_login)
{
	static const char *const allowed[] = { "username", "password", NULL };
	const char *username, *password;
	if (api_body_object(req, res, allowed) < 0 ||
	    api_body_string(req, res, "username", USER_NAME_MAX, true, &username) < 0 ||
	    api_body_string(req, res, "password", PASSWORD_MAX, true, &password) < 0)
		return 0;

	int64_t now = time(NULL);
	unsigned retry_after;
	if (!throttle_allowed(d->login_throttle, req->peer, now, &retry_after)) {
		log_warn("login from %s refused: throttled", req->peer);
		return too_many_attempts(res, retry_after);
	}

	struct user u;
	int r = store_user_get(d->store, username, &u);
	if (r < 0 && r != -ENOENT)
		return r;
	if (!auth_password_verify(r == 0 ? u.password_hash : NULL, password)) {
		throttle_record_failure(d->login_throttle, req->peer, now);
		log_warn("failed login for '%s' from %s", username, req->peer);
		return http_error(res, 401, "invalid_credentials", NULL, "wrong username or password");
	}
	throttle_reset(d->login_throttle, req->peer);

	char cookie[96];
	struct session s = { .user_id = u.id, .expires_at = now + d->opt.session_ttl_s };
	if (secret_random_token("", 32, cookie, sizeof(cookie)) < 0 ||
	    secret_random_token("", 24, s.csrf_token, sizeof(s.csrf_token)) < 0)
		return -EIO;
	secret_hash_hex(cookie, s.id_hash);
	r = store_session_create(d->store, &s, now);
	if (r < 0) {
		sodium_memzero(cookie, sizeof(cookie));
		return r;
	}
	log_info("'%s' logged in from %s", u.name, req->peer);
	set_session_cookie(req, res, cookie, false);
	sodium_memzero(cookie, sizeof(cookie));
	return http_reply(res, 200, json_pack("{s:s, s:s, s:I}", "username", u.name, "csrf_token",
					      s.csrf_token, "expires_at", (json_int_t)s.expires_at));
}

HANDLER(api_auth_logout)
{
	if (req->auth.kind != AUTH_SESSION)
		return http_error(res, 400, "no_session", NULL, "this request is not authenticated by a session");
	int r = store_session_delete(d->store, req->auth.session_hash);
	if (r < 0)
		return r;
	set_session_cookie(req, res, "", true);
	return http_reply(res, 204, NULL);
}

static const char *auth_kind_name(enum auth_kind k)
{
	switch (k) {
	case AUTH_SESSION:
		return "session";
	case AUTH_TOKEN:
		return "token";
	case AUTH_LOCAL:
		return "local";
	default:
		return "none";
	}
}

HANDLER(api_auth_session_get)
{
	json_t *doc = json_pack("{s:s, s:s}", "username", req->auth.username, "auth",
				auth_kind_name(req->auth.kind));
	if (!doc)
		return -ENOMEM;
	if (req->auth.kind == AUTH_SESSION) {
		json_object_set_new(doc, "csrf_token", json_string(req->auth.csrf_token));
		json_object_set_new(doc, "expires_at", json_integer(req->auth.expires_at));
	}
	return http_reply(res, 200, doc);
}

HANDLER(api_auth_password)
{
	static const char *const allowed[] = { "current_password", "new_password", NULL };
	const char *current, *next;
	bool need_current = req->auth.kind != AUTH_LOCAL;
	if (api_body_object(req, res, allowed) < 0 ||
	    api_body_string(req, res, "current_password", PASSWORD_MAX, need_current, &current) < 0 ||
	    api_body_string(req, res, "new_password", PASSWORD_MAX, true, &next) < 0)
		return 0;
	if (strlen(next) < PASSWORD_MIN)
		return http_error(res, 400, "invalid_field", "new_password",
				  "new_password must be at least %d characters long", PASSWORD_MIN);

	int64_t now = time(NULL);
	struct user u;
	int r = store_user_get(d->store, req->auth.username, &u);
	if (r < 0)
		return r;
	if (need_current) {
		unsigned retry_after;
		if (!throttle_allowed(d->login_throttle, req->peer, now, &retry_after))
			return too_many_attempts(res, retry_after);
		if (!auth_password_verify(u.password_hash, current)) {
			throttle_record_failure(d->login_throttle, req->peer, now);
			log_warn("password change for '%s' from %s: wrong current password", u.name, req->peer);
			return http_error(res, 400, "invalid_field", "current_password",
					  "current_password is wrong");
		}
	}

	char hash[PASSWORD_HASH_MAX + 1];
	r = auth_password_hash(next, hash, sizeof(hash));
	if (r < 0)
		return r;
	r = store_begin(d->store);
	if (r == 0)
		r = store_user_set_password(d->store, u.id, hash, now);
	/* Other browsers logged in with the old password are logged out. */
	if (r == 0)
		r = store_session_delete_user(d->store, u.id,
					      req->auth.kind == AUTH_SESSION ? req->auth.session_hash : NULL);
	if (r == 0)
		r = store_commit(d->store);
	if (r < 0) {
		store_rollback(d->store);
		return r;
	}
	log_info("password of '%s' changed (%s)", u.name, auth_kind_name(req->auth.kind));
	return http_reply(res, 204, NULL);
}
