/* Browser sessions, keyed by the hash of the session cookie. Expiry is
 * sliding: each use may push expires_at forward. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "common/secret.h"
#include "store.h"
#include "store_user.h"

#define CSRF_TOKEN_MAX 64

struct session {
	char id_hash[SECRET_HASH_HEX_LEN + 1];
	int64_t user_id;
	char username[USER_NAME_MAX + 1];
	char csrf_token[CSRF_TOKEN_MAX + 1];
	int64_t last_seen;
	int64_t expires_at;
	bool admin; /* the admin's; else a cell account's (never a disabled one's) */
};

int store_session_create(struct store *s, const struct session *sess, int64_t now);
/* -ENOENT if absent, expired at `now`, or its account is disabled. */
int store_session_get(struct store *s, const char *id_hash, int64_t now, struct session *ret);
int store_session_touch(struct store *s, const char *id_hash, int64_t now, int64_t expires_at);
int store_session_delete(struct store *s, const char *id_hash);
/* Ends every session of `user_id` except `keep_hash` (may be NULL). */
int store_session_delete_user(struct store *s, int64_t user_id, const char *keep_hash);
/* Returns how many expired sessions were removed. */
int store_session_purge(struct store *s, int64_t now);
