/* Who may log in: the admin (role 'admin', its password an argon2id
 * string, libsodium crypto_pwhash_str) and the cell accounts (role
 * 'user', bcrypt; store_account.h has the rest of them). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

#define USER_NAME_MAX 64
#define PASSWORD_HASH_MAX 128

struct user {
	int64_t id;
	char name[USER_NAME_MAX + 1];
	char password_hash[PASSWORD_HASH_MAX + 1];
	bool admin;    /* role 'admin'; else a cell account */
	bool disabled; /* a cell account that may not log in */
};

/* -ENOENT when there is no such user. */
int store_user_get(struct store *s, const char *name, struct user *ret_user);
int store_user_create(struct store *s, const char *name, const char *password_hash, int64_t now,
		      int64_t *ret_id);
int store_user_set_password(struct store *s, int64_t id, const char *password_hash, int64_t now);
