/* Who is asking: the control socket's peer uid, a bearer token or a
 * session cookie (with its CSRF header on changes). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "common/worker.h"
#include "http.h"
#include "store/store_user.h"

#define SESSION_COOKIE "pic_session"
#define CSRF_HEADER "X-CSRF-Token"
#define AUTH_PASSWORD_MAX 1024

struct daemon;

/* Fills req->auth. Returns 0 when the request may proceed; otherwise sets
 * the error response (401, or 403 for a refused socket peer or a missing
 * CSRF token) and returns -EACCES. */
int auth_authenticate(struct daemon *d, struct http_request *req, struct http_response *res);

/* The value of cookie `name` in a Cookie header into `out`; -ENOENT if
 * absent, -ENOBUFS if longer than `outlen` - 1. Pure. */
int auth_cookie_value(const char *header, const char *name, char *out, size_t outlen);

/* How a new password is hashed: argon2id for the admin; bcrypt for a cell
 * account, the one format dovecot, radicale and apache all verify. */
enum auth_pw_scheme {
	AUTH_PW_ARGON2ID,
	AUTH_PW_BCRYPT,
};
/* The bcrypt cost: 2^10 rounds, ~50 ms here — each IMAP, CalDAV or
 * WebDAV login that misses its service's cache pays it once more. */
#define AUTH_BCRYPT_COST 10

/* Hashes a new password; -ENOMEM (-EIO for bcrypt) on failure. */
int auth_password_hash(enum auth_pw_scheme scheme, const char *password, char *out, size_t outlen);
/* Constant-time check against an argon2id or bcrypt string (by its
 * prefix); an unknown user is checked against a dummy hash so its timing
 * matches. */
bool auth_password_verify(const char *hash_or_null, const char *password);

/* argon2id off the loop: a job for the worker thread (common/worker.h)
 * with its own copies of what it checks and hashes. The caller embeds it
 * first in a struct of its own, fills the inputs and `job.done`, and
 * sets `job.run` to auth_pw_work_run. */
struct auth_hasher;
struct auth_pw_work {
	struct worker_job job;
	struct auth_hasher *hasher; /* where it runs (auth_hasher.h); NULL: in the thread */
	/* Inputs. */
	bool check;                               /* check `password` against `hash` */
	char hash[PASSWORD_HASH_MAX + 1];         /* "": an unknown user (a dummy, same cost) */
	char password[AUTH_PASSWORD_MAX + 1];
	bool rehash;                              /* hash `new_password` (after a match, if `check`) */
	enum auth_pw_scheme scheme;               /* ... this way */
	char new_password[AUTH_PASSWORD_MAX + 1];
	/* Results. */
	bool matched;
	int hash_result;                          /* 0 and `new_hash`, or -errno */
	char new_hash[PASSWORD_HASH_MAX + 1];
};

/* In the worker thread: touches only `job`'s memory (and the helper it
 * names). Wipes the password copies once done with them. */
void auth_pw_work_run(struct worker_job *job);
/* The work itself, wherever it runs (the helper, or the thread). */
void auth_pw_work_compute(struct auth_pw_work *w);
/* Wipes what the job holds of passwords (before freeing it). */
void auth_pw_work_wipe(struct auth_pw_work *w);

/* `w` handed to the worker thread with the request's answer deferred
 * (*ret_df; its `done` must answer it): 0. Else -EBUSY with `res` a 503
 * to send now (too many deferred answers or slow jobs in progress), and
 * the caller frees its job. */
int auth_pw_submit(struct daemon *d, struct http_request *req, struct http_response *res, struct auth_pw_work *w,
		   struct deferred **ret_df);
