/* Authentication of requests and password hashing. */
#include "auth.h"
#include "auth_hasher.h"

#include <crypt.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "common/secret.h"
#include "daemon.h"
#include "deferred.h"
#include "store/store_session.h"
#include "store/store_token.h"
#include "common/banned.h"

/* A session's expiry and last_seen are written at most this often. */
#define SESSION_TOUCH_INTERVAL_S 60
#define TOKEN_TOUCH_INTERVAL_S 60

int auth_cookie_value(const char *header, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);
	const char *p = header;
	while (p && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			size_t vlen = len - nlen - 1;
			if (vlen >= outlen)
				return -ENOBUFS;
			memcpy(out, p + nlen + 1, vlen);
			out[vlen] = '\0';
			return 0;
		}
		p = end;
	}
	return -ENOENT;
}

static int bcrypt_hash(const char *password, char *out, size_t outlen)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *data = calloc(1, sizeof(*data));
	if (!data)
		return -ENOMEM;
	int r = -EIO;
	if (crypt_gensalt_rn("$2b$", AUTH_BCRYPT_COST, NULL, 0, salt, sizeof(salt))) {
		const char *h = crypt_rn(password, salt, data, sizeof(*data));
		/* A failed crypt_rn gives NULL or a string starting with '*'. */
		if (h && h[0] == '$' && strlen(h) < outlen) {
			snprintf(out, outlen, "%s", h);
			r = 0;
		}
	}
	sodium_memzero(data, sizeof(*data));
	free(data);
	return r;
}

static bool bcrypt_verify(const char *hash, const char *password)
{
	struct crypt_data *data = calloc(1, sizeof(*data));
	if (!data)
		return false;
	const char *h = crypt_rn(password, hash, data, sizeof(*data));
	size_t len = strlen(hash);
	bool ok = h && h[0] == '$' && strlen(h) == len && sodium_memcmp(h, hash, len) == 0;
	sodium_memzero(data, sizeof(*data));
	free(data);
	return ok;
}

static bool is_bcrypt(const char *hash)
{
	return strncmp(hash, "$2b$", 4) == 0 || strncmp(hash, "$2y$", 4) == 0;
}

int auth_password_hash(enum auth_pw_scheme scheme, const char *password, char *out, size_t outlen)
{
	if (scheme == AUTH_PW_BCRYPT)
		return bcrypt_hash(password, out, outlen);
	if (outlen < crypto_pwhash_STRBYTES)
		return -ENOBUFS;
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return -ENOMEM;
	return 0;
}

/* An argon2id hash of a throwaway string with the interactive limits: an
 * unknown user's password is checked against it, so the answer takes as
 * long as for a real account. A constant, so nothing is computed lazily
 * (and shared) in whatever thread checks first. */
static const char dummy_hash[crypto_pwhash_STRBYTES] =
	"$argon2id$v=19$m=65536,t=2,p=1$UxFFKTAZpNHTHuX8b9TkYQ$54XKEuSRDHMJJjmAftI4kK4WTZvx86lhOEdYC/l48pE";

bool auth_password_verify(const char *hash_or_null, const char *password)
{
	if (!hash_or_null) {
		/* Same work as a real check; its result does not matter. */
		int ignored = crypto_pwhash_str_verify(dummy_hash, password, strlen(password));
		(void)ignored;
		return false;
	}
	if (is_bcrypt(hash_or_null))
		return bcrypt_verify(hash_or_null, password);
	return crypto_pwhash_str_verify(hash_or_null, password, strlen(password)) == 0;
}

void auth_pw_work_compute(struct auth_pw_work *w)
{
	w->matched = false;
	w->hash_result = -ECANCELED;
	if (w->check) {
		w->matched = auth_password_verify(w->hash[0] ? w->hash : NULL, w->password);
		sodium_memzero(w->password, sizeof(w->password));
	}
	if (w->rehash && (!w->check || w->matched))
		w->hash_result = auth_password_hash(w->scheme, w->new_password, w->new_hash, sizeof(w->new_hash));
	sodium_memzero(w->new_password, sizeof(w->new_password));
}

void auth_pw_work_run(struct worker_job *job)
{
	struct auth_pw_work *w = (struct auth_pw_work *)job;
	if (!w->hasher || auth_hasher_run(w->hasher, w) < 0)
		auth_pw_work_compute(w);
	auth_pw_work_wipe(w);
}

void auth_pw_work_wipe(struct auth_pw_work *w)
{
	sodium_memzero(w->password, sizeof(w->password));
	sodium_memzero(w->new_password, sizeof(w->new_password));
}

int auth_pw_submit(struct daemon *d, struct http_request *req, struct http_response *res, struct auth_pw_work *w,
		   struct deferred **ret_df)
{
	if (deferred_begin(d->deferred, req, res, ret_df) < 0)
		return -EBUSY;
	if (worker_submit(d->worker, &w->job) < 0) {
		deferred_drop(*ret_df, res);
		http_response_header(res, "Retry-After", "1");
		http_error(res, 503, "busy", NULL, "too many slow requests in progress; try again in a second");
		return -EBUSY;
	}
	return 0;
}

static bool is_mutating(enum http_method m)
{
	return m != HTTP_GET && m != HTTP_HEAD;
}

static int auth_local(struct daemon *d, struct http_request *req, struct http_response *res)
{
	if (req->peer_uid != 0) {
		http_error(res, 403, "forbidden", NULL, "only root may use the control socket");
		return -EACCES;
	}
	req->auth = (struct auth_info){ .kind = AUTH_LOCAL, .user_id = d->admin_user_id, .admin = true };
	snprintf(req->auth.username, sizeof(req->auth.username), "admin");
	return 0;
}

static int auth_bearer(struct daemon *d, struct http_request *req, struct http_response *res,
		       const char *token)
{
	char hash[SECRET_HASH_HEX_LEN + 1];
	struct api_token t;
	secret_hash_hex(token, hash);
	/* The lookup is by digest, so its timing says nothing about the
	 * token; the comparison below is constant-time regardless. */
	if (store_token_get_by_hash(d->store, hash, &t) < 0) {
		http_error(res, 401, "unauthorized", NULL, "invalid API token");
		return -EACCES;
	}
	int64_t now = time(NULL);
	if (now - t.last_used_at >= TOKEN_TOUCH_INTERVAL_S)
		store_token_touch(d->store, t.id, now);
	/* Only the admin makes tokens (an admin route). */
	req->auth = (struct auth_info){ .kind = AUTH_TOKEN, .user_id = t.user_id, .token_id = t.id, .admin = true };
	snprintf(req->auth.username, sizeof(req->auth.username), "%s", t.username);
	return 0;
}

static int auth_session(struct daemon *d, struct http_request *req, struct http_response *res,
			const char *cookie)
{
	char hash[SECRET_HASH_HEX_LEN + 1];
	struct session s;
	int64_t now = time(NULL);
	secret_hash_hex(cookie, hash);
	if (store_session_get(d->store, hash, now, &s) < 0) {
		http_error(res, 401, "unauthorized", NULL, "session expired or invalid; log in again");
		return -EACCES;
	}
	if (is_mutating(req->method)) {
		const char *csrf = http_request_header(req, CSRF_HEADER);
		if (!csrf || !secret_equal(csrf, s.csrf_token)) {
			http_error(res, 403, "csrf_required", NULL,
				   "this change needs the session's CSRF token in the " CSRF_HEADER " header");
			return -EACCES;
		}
	}
	if (now - s.last_seen >= SESSION_TOUCH_INTERVAL_S) {
		s.expires_at = now + d->opt.session_ttl_s;
		store_session_touch(d->store, hash, now, s.expires_at);
	}
	req->auth = (struct auth_info){ .kind = AUTH_SESSION, .user_id = s.user_id, .admin = s.admin,
					.expires_at = s.expires_at };
	snprintf(req->auth.username, sizeof(req->auth.username), "%s", s.username);
	snprintf(req->auth.session_hash, sizeof(req->auth.session_hash), "%s", hash);
	snprintf(req->auth.csrf_token, sizeof(req->auth.csrf_token), "%s", s.csrf_token);
	return 0;
}

int auth_authenticate(struct daemon *d, struct http_request *req, struct http_response *res)
{
	if (req->local)
		return auth_local(d, req, res);

	const char *authz = http_request_header(req, "Authorization");
	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7) != 0 || strlen(authz + 7) > 256) {
			http_error(res, 401, "unauthorized", NULL, "Authorization must be 'Bearer <token>'");
			return -EACCES;
		}
		return auth_bearer(d, req, res, authz + 7);
	}

	char cookie[128];
	const char *header = http_request_header(req, "Cookie");
	if (header && auth_cookie_value(header, SESSION_COOKIE, cookie, sizeof(cookie)) == 0)
		return auth_session(d, req, res, cookie);

	http_error(res, 401, "unauthorized", NULL, "authentication required");
	return -EACCES;
}
