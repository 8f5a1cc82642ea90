/* A cell account: one person's name and password for mail, calendar,
 * files and webmail. These are the checks every way in (API, CLI, the web
 * UI's mirror of them) applies before anything is stored; each returns 0,
 * or -EINVAL with `e` naming the field ("name", "password",
 * "display_name").
 *
 * A name is the local part of the person's address (<name>@<zone>) and a
 * path segment of their calendar and files, so it is one DNS label in
 * lower case: 1..ACCOUNT_NAME_MAX letters, digits and hyphens, starting
 * with a letter and not ending with a hyphen. Names that mail systems or
 * the host give a role (RFC 2142's postmaster, abuse, hostmaster, …;
 * root, admin) are reserved. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "field_error.h"

#define ACCOUNT_NAME_MAX 32
#define ACCOUNT_DISPLAY_NAME_MAX 128 /* bytes of UTF-8 */
#define ACCOUNT_PASSWORD_MIN 10      /* characters (UTF-8 code points) */
#define ACCOUNT_PASSWORD_MAX 1024    /* bytes */

#define ACCOUNT_ALIASES_MAX 32
#define ACCOUNT_HASH_MAX 128         /* a bcrypt string is 60 */
#define ACCOUNT_QUOTA_MB_MAX 1048576 /* 1 TiB */
#define ACCOUNT_QUOTA_MB_DEFAULT 1024
/* A path segment of the API where a name would be (/api/users/orphans). */
#define ACCOUNT_NAME_API "orphans"

/* The services an account may use, as bits. */
#define ACCOUNT_MAIL 1u
#define ACCOUNT_CALENDAR 2u
#define ACCOUNT_FILES 4u
#define ACCOUNT_SERVICES_ALL (ACCOUNT_MAIL | ACCOUNT_CALENDAR | ACCOUNT_FILES)
#define ACCOUNT_SERVICES_N 3

struct account {
	int64_t id; /* the users row */
	char name[ACCOUNT_NAME_MAX + 1];
	char display_name[ACCOUNT_DISPLAY_NAME_MAX + 1];
	unsigned services;      /* ACCOUNT_* bits */
	uint32_t mail_quota_mb; /* 0: no limit */
	bool disabled;
	char aliases[ACCOUNT_ALIASES_MAX][ACCOUNT_NAME_MAX + 1]; /* local parts, in the order given */
	size_t n_aliases;
	char password_hash[ACCOUNT_HASH_MAX + 1]; /* bcrypt, "$2b$…" */
	int64_t created_at, updated_at;
};

int account_check_name(const char *name, struct field_error *e);

/* Appends `alias` (checked under `field`, e.g. "aliases[2]"): one label
 * as for a name, but role names are allowed (postmaster@ should reach
 * someone); not the account's own name, not twice, at most
 * ACCOUNT_ALIASES_MAX. Uniqueness across accounts is the store's. */
int account_add_alias(struct account *a, const char *field, const char *alias, struct field_error *e);

/* "mail", "calendar", "files" to its bit; -EINVAL for anything else. */
int account_service_parse(const char *name, unsigned *ret_bit);
/* The names of the bits set in `services`, in a fixed order. */
size_t account_service_names(unsigned services, const char *out[ACCOUNT_SERVICES_N]);

/* Whether `name` is one of the reserved role names. */
bool account_name_reserved(const char *name);

/* At least ACCOUNT_PASSWORD_MIN characters of valid UTF-8 without control
 * characters, at most ACCOUNT_PASSWORD_MAX bytes; not containing the
 * account's name (any case), not one character repeated, and not one of
 * the most common passwords (any case). `name` may be NULL (a name not
 * chosen yet). */
int account_check_password(const char *name, const char *password, struct field_error *e);

/* Valid UTF-8 without control characters, at most
 * ACCOUNT_DISPLAY_NAME_MAX bytes; empty is allowed (no display name). */
int account_check_display_name(const char *display_name, struct field_error *e);
