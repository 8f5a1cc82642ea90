/* /api/auth: login, logout, the current session and its own password
 * (the admin's, or a cell account's).
 *
 * Sessions are random 256-bit cookies stored by hash; each has a CSRF
 * token that cookie-authenticated changes must echo in X-CSRF-Token.
 * Failed logins are throttled per client address. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_body.h"
#include "apply/apply_mail.h"
#include "auth.h"
#include "common/worker.h"
#include "deferred.h"
#include "common/log.h"
#include "common/secret.h"
#include "daemon.h"
#include "handlers.h"
#include "model/account.h"
#include "store/store_session.h"
#include "store/store_user.h"
#include "throttle.h"
#include "common/banned.h"

#define PASSWORD_MIN 8

static const char *auth_role_name(bool admin)
{
	return admin ? "admin" : "user";
}

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

/* A login's argon2id check runs in the worker thread; the loop counts the
 * attempt from its start (throttle_begin) and creates the session after. */
struct login_job {
	struct auth_pw_work pw; /* first: the worker sees a worker_job */
	struct daemon *d;
	struct deferred *df;
	char peer[sizeof(((struct http_request *)0)->peer)];
	bool known;
	struct user u;
};

static void login_free(struct login_job *j)
{
	auth_pw_work_wipe(&j->pw);
	sodium_memzero(&j->u, sizeof(j->u));
	free(j);
}

static int login_answer(struct daemon *d, struct http_request *req, struct http_response *res,
			const struct user *u, int64_t now)
{
	char cookie[96];
	struct session s = { .user_id = u->id, .expires_at = now + d->opt.session_ttl_s };
	if (secret_random_token("", 32, cookie, sizeof(cookie)) < 0 ||
	    secret_random_token("", 24, s.csrf_token, sizeof(s.csrf_token)) < 0)
		return -EIO;
	secret_hash_hex(cookie, s.id_hash);
	int r = store_session_create(d->store, &s, now);
	if (r < 0) {
		sodium_memzero(cookie, sizeof(cookie));
		return r;
	}
	log_info("'%s' logged in from %s", u->name, req->peer);
	set_session_cookie(req, res, cookie, false);
	sodium_memzero(cookie, sizeof(cookie));
	return http_reply(res, 200, json_pack("{s:s, s:s, s:s, s:I}", "username", u->name, "role",
					      auth_role_name(u->admin), "csrf_token", s.csrf_token, "expires_at",
					      (json_int_t)s.expires_at));
}

static void login_done(struct worker_job *job)
{
	struct login_job *j = (struct login_job *)job;
	struct daemon *d = j->d;
	int64_t now = time(NULL);
	/* A disabled account's password is checked all the same: the answer
	 * takes as long, and says nothing more. */
	bool ok = j->known && j->pw.matched && !j->u.disabled;
	/* Counted whether or not the client still waits. */
	throttle_end(d->login_throttle, j->peer, now, !ok);
	struct http_request *req = deferred_request(j->df);
	struct http_response *res = deferred_response(j->df);
	if (!ok) {
		log_warn("failed login for '%s' from %s", j->u.name, j->peer);
		http_error(res, 401, "invalid_credentials", NULL, "wrong username or password");
	} else if (!req) {
		log_info("'%s' from %s: the client left before its login was checked", j->u.name, j->peer);
	} else if (login_answer(d, req, res, &j->u, now) < 0 && res->status == 0) {
		http_error(res, 500, "internal", NULL, "internal error");
	}
	deferred_answer(j->df);
	login_free(j);
}

HANDLER(api_auth_login)
{
	static const char *const allowed[] = { "username", "password", NULL };
	const char *username, *password;
	if (api_body_object(req, res, allowed) < 0 ||
	    api_body_string(req, res, "username", USER_NAME_MAX, true, &username) < 0 ||
	    api_body_string(req, res, "password", AUTH_PASSWORD_MAX, true, &password) < 0)
		return 0;

	struct login_job *j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	int r = store_user_get(d->store, username, &j->u);
	if (r < 0 && r != -ENOENT) {
		login_free(j);
		return r;
	}
	j->known = r == 0;
	if (!j->known)
		snprintf(j->u.name, sizeof(j->u.name), "%s", username);
	j->d = d;
	snprintf(j->peer, sizeof(j->peer), "%s", req->peer);
	j->pw.job = (struct worker_job){ .run = auth_pw_work_run, .done = login_done };
	j->pw.hasher = d->hasher;
	j->pw.check = true;
	snprintf(j->pw.hash, sizeof(j->pw.hash), "%s", j->known ? j->u.password_hash : "");
	snprintf(j->pw.password, sizeof(j->pw.password), "%s", password);

	int64_t now = time(NULL);
	unsigned retry_after;
	if (!throttle_begin(d->login_throttle, req->peer, now, &retry_after)) {
		log_warn("login from %s refused: throttled", req->peer);
		login_free(j);
		return too_many_attempts(res, retry_after);
	}
	if (auth_pw_submit(d, req, res, &j->pw, &j->df) == 0)
		return 0;
	throttle_cancel(d->login_throttle, req->peer);
	login_free(j);
	return 0;
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
	json_t *doc = json_pack("{s:s, s:s, s:s}", "username", req->auth.username, "role",
				auth_role_name(req->auth.admin), "auth", auth_kind_name(req->auth.kind));
	if (!doc)
		return -ENOMEM;
	if (req->auth.kind == AUTH_SESSION) {
		json_object_set_new(doc, "csrf_token", json_string(req->auth.csrf_token));
		json_object_set_new(doc, "expires_at", json_integer(req->auth.expires_at));
	}
	return http_reply(res, 200, doc);
}

/* A password change: the current password's check (unless the control
 * socket asks) and the new hash run in the worker thread; the store is
 * written in the loop after. */
struct password_job {
	struct auth_pw_work pw; /* first: the worker sees a worker_job */
	struct daemon *d;
	struct deferred *df;
	char peer[sizeof(((struct http_request *)0)->peer)];
	enum auth_kind kind;
	char keep_session[sizeof(((struct auth_info *)0)->session_hash)];
	struct user u;
};

static void password_free(struct password_job *j)
{
	auth_pw_work_wipe(&j->pw);
	sodium_memzero(&j->pw.new_hash, sizeof(j->pw.new_hash));
	sodium_memzero(&j->u, sizeof(j->u));
	free(j);
}

/* Writes the new hash if the password is still the one checked. */
static int password_store(struct daemon *d, struct password_job *j, struct http_response *res)
{
	struct user now_u;
	int r = store_user_get(d->store, j->u.name, &now_u);
	if (r < 0)
		return r;
	bool same = now_u.id == j->u.id && strcmp(now_u.password_hash, j->u.password_hash) == 0;
	sodium_memzero(&now_u, sizeof(now_u));
	if (!same)
		return http_error(res, 409, "conflict", NULL,
				  "the password was changed by another request meanwhile; try again");
	r = store_begin(d->store);
	if (r == 0)
		r = store_user_set_password(d->store, j->u.id, j->pw.new_hash, time(NULL));
	/* Other browsers logged in with the old password are logged out. */
	if (r == 0)
		r = store_session_delete_user(d->store, j->u.id, j->kind == AUTH_SESSION ? j->keep_session : NULL);
	if (r == 0)
		r = store_commit(d->store);
	if (r < 0) {
		store_rollback(d->store);
		return r;
	}
	apply_mail_kick(d, j->u.name); /* a cell account's open mail logins */
	log_info("password of '%s' changed (%s)", j->u.name, auth_kind_name(j->kind));
	return http_reply(res, 204, NULL);
}

static void password_done(struct worker_job *job)
{
	struct password_job *j = (struct password_job *)job;
	struct daemon *d = j->d;
	struct http_response *res = deferred_response(j->df);
	if (j->pw.check)
		throttle_end(d->login_throttle, j->peer, time(NULL), !j->pw.matched);
	if (j->pw.check && !j->pw.matched) {
		log_warn("password change for '%s' from %s: wrong current password", j->u.name, j->peer);
		http_error(res, 400, "invalid_field", "current_password", "current_password is wrong");
	} else if (j->pw.hash_result < 0) {
		http_error(res, 500, "internal", NULL, "cannot hash the new password");
	} else if (password_store(d, j, res) < 0 && res->status == 0) {
		/* Made even if the client left: it asked, and was authenticated. */
		http_error(res, 500, "internal", NULL, "internal error");
	}
	deferred_answer(j->df);
	password_free(j);
}

HANDLER(api_auth_password)
{
	static const char *const allowed[] = { "current_password", "new_password", NULL };
	const char *current, *next;
	bool need_current = req->auth.kind != AUTH_LOCAL;
	if (api_body_object(req, res, allowed) < 0 ||
	    api_body_string(req, res, "current_password", AUTH_PASSWORD_MAX, need_current, &current) < 0 ||
	    api_body_string(req, res, "new_password", AUTH_PASSWORD_MAX, true, &next) < 0)
		return 0;
	struct password_job *j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	int r = store_user_get(d->store, req->auth.username, &j->u);
	if (r < 0) {
		password_free(j);
		return r;
	}
	/* A cell account's password follows the account rules. */
	struct field_error e;
	if (!j->u.admin && account_check_password(j->u.name, next, &e) < 0) {
		password_free(j);
		return http_error(res, 400, "invalid_field", "new_password", "new_%s", e.message);
	}
	if (j->u.admin && strlen(next) < PASSWORD_MIN) {
		password_free(j);
		return http_error(res, 400, "invalid_field", "new_password",
				  "new_password must be at least %d characters long", PASSWORD_MIN);
	}
	j->d = d;
	j->kind = req->auth.kind;
	snprintf(j->peer, sizeof(j->peer), "%s", req->peer);
	snprintf(j->keep_session, sizeof(j->keep_session), "%s", req->auth.session_hash);
	j->pw.job = (struct worker_job){ .run = auth_pw_work_run, .done = password_done };
	j->pw.hasher = d->hasher;
	j->pw.check = need_current;
	if (need_current) {
		snprintf(j->pw.hash, sizeof(j->pw.hash), "%s", j->u.password_hash);
		snprintf(j->pw.password, sizeof(j->pw.password), "%s", current);
	}
	j->pw.rehash = true;
	j->pw.scheme = j->u.admin ? AUTH_PW_ARGON2ID : AUTH_PW_BCRYPT;
	snprintf(j->pw.new_password, sizeof(j->pw.new_password), "%s", next);

	unsigned retry_after;
	if (need_current && !throttle_begin(d->login_throttle, req->peer, time(NULL), &retry_after)) {
		password_free(j);
		return too_many_attempts(res, retry_after);
	}
	if (auth_pw_submit(d, req, res, &j->pw, &j->df) == 0)
		return 0;
	if (need_current)
		throttle_cancel(d->login_throttle, req->peer);
	password_free(j);
	return 0;
}
