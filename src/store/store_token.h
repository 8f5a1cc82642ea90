/* API tokens for scripts, stored by the hash of the token. */
#pragma once

#include <stdint.h>

#include "common/secret.h"
#include "store.h"
#include "store_user.h"

#define TOKEN_NAME_MAX 64
#define TOKENS_MAX 100 /* per account */

struct api_token {
	int64_t id;
	char name[TOKEN_NAME_MAX + 1];
	int64_t user_id;
	char username[USER_NAME_MAX + 1];
	int64_t created_at;
	int64_t last_used_at; /* 0: never */
};

int store_token_create(struct store *s, const char *name, const char *token_hash, int64_t user_id,
		       int64_t now, int64_t *ret_id);
/* -ENOENT if no token has this hash. */
int store_token_get_by_hash(struct store *s, const char *token_hash, struct api_token *ret);
int store_token_touch(struct store *s, int64_t id, int64_t now);
/* Fills up to `max`; returns how many. */
int store_token_list(struct store *s, int64_t user_id, struct api_token *ret, int max);
int store_token_count(struct store *s, int64_t user_id);
/* -ENOENT if there was no such token. */
int store_token_delete(struct store *s, int64_t user_id, int64_t id);
