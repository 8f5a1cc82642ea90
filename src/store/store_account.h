/* Cell accounts (model/account.h): a users row with role 'user', its
 * accounts row and its aliases. Writes go inside the caller's
 * transaction. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "model/account.h"
#include "store.h"

/* -ENOENT when there is no such account (the admin is not one). */
int store_account_get(struct store *s, const char *name, struct account *ret);
/* Every account, by name; free() the list. */
int store_account_list(struct store *s, struct account **ret, size_t *ret_n);
/* Inserts `a` (name, hash, fields, aliases) and sets a->id, created_at
 * and updated_at to `now`. -EEXIST if a user of that name exists. */
int store_account_create(struct store *s, struct account *a, int64_t now);
/* Writes display_name, services, mail_quota_mb, disabled and the aliases
 * (replaced) of account a->id; updated_at = now. */
int store_account_update(struct store *s, struct account *a, int64_t now);
int store_account_delete(struct store *s, int64_t id);
/* Who holds `local_part` as a user name or an alias: 0 and its user id,
 * or -ENOENT. */
int store_account_local_part_owner(struct store *s, const char *local_part, int64_t *ret_id);

/* The account a local part of the cell's mail domain reaches. */
struct account_owner {
	char name[ACCOUNT_NAME_MAX + 1];
	bool alias; /* `local_part` is one of its aliases */
	unsigned services;
};

/* Who holds `local_part` (a name or an alias): 0, or -ENOENT. */
int store_account_mail_owner(struct store *s, const char *local_part, struct account_owner *ret);
