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

#include "field_error.h"

#define ACCOUNT_NAME_MAX 32
#define ACCOUNT_DISPLAY_NAME_MAX 128 /* bytes of UTF-8 */
#define ACCOUNT_PASSWORD_MIN 10      /* characters (UTF-8 code points) */
#define ACCOUNT_PASSWORD_MAX 1024    /* bytes */

int account_check_name(const char *name, struct field_error *e);

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
