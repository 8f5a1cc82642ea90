/* DNS names the user chooses (cell name, domain): 1..255 characters,
 * dot-separated labels of 1..63 letters, digits or hyphens that neither
 * start nor end with a hyphen. */
#pragma once

#include "field_error.h"

#define NAME_MAX_LEN 255
#define NAME_LABEL_MAX_LEN 63

/* 0 when valid; -EINVAL with `e` naming `field` otherwise. */
int name_validate(const char *field, const char *s, struct field_error *e);
/* A host: an IPv4 address, or a name as above whose last label is not all
 * digits (so a mistyped address is said to be one). */
int name_validate_host(const char *field, const char *s, struct field_error *e);
