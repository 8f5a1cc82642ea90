/* Who is asking: the control socket's peer uid, a bearer token or a
 * session cookie (with its CSRF header on changes). */
#pragma once

#include <stdint.h>

#include "http.h"

#define SESSION_COOKIE "pic_session"
#define CSRF_HEADER "X-CSRF-Token"

struct daemon;

/* Fills req->auth. Returns 0 when the request may proceed; otherwise sets
 * the error response (401, or 403 for a refused socket peer or a missing
 * CSRF token) and returns -EACCES. */
int auth_authenticate(struct daemon *d, struct http_request *req, struct http_response *res);

/* The value of cookie `name` in a Cookie header into `out`; -ENOENT if
 * absent, -ENOBUFS if longer than `outlen` - 1. Pure. */
int auth_cookie_value(const char *header, const char *name, char *out, size_t outlen);

/* Hashes a new password with argon2id; -ENOMEM on failure. */
int auth_password_hash(const char *password, char *out, size_t outlen);
/* Constant-time check; an unknown user is checked against a dummy hash so
 * its timing matches. */
bool auth_password_verify(const char *hash_or_null, const char *password);
