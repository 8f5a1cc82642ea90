/* Accounts. Today there is one, the admin; passwords are stored only as
 * argon2id strings (libsodium crypto_pwhash_str). */
#pragma once

#include <stdint.h>

#include "store.h"

#define USER_NAME_MAX 64
#define PASSWORD_HASH_MAX 128

struct user {
	int64_t id;
	char name[USER_NAME_MAX + 1];
	char password_hash[PASSWORD_HASH_MAX + 1];
};

/* -ENOENT when there is no such user. */
int store_user_get(struct store *s, const char *name, struct user *ret_user);
int store_user_create(struct store *s, const char *name, const char *password_hash, int64_t now,
		      int64_t *ret_id);
int store_user_set_password(struct store *s, int64_t id, const char *password_hash, int64_t now);
