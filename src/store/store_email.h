/* The mail service's settings in the store (email_settings). */
#pragma once

#include "model/email.h"
#include "store.h"

/* The settings, or the defaults (direct delivery) when none were set. */
int store_email_load(struct store *s, struct email_settings *ret);
/* Replaces them (inside the caller's transaction). */
int store_email_save(struct store *s, const struct email_settings *e);

/* The extra mail domains, by name. */
int store_email_domains_load(struct store *s, struct email_domains *ret);
/* -EEXIST if it is there already. */
int store_email_domain_add(struct store *s, const char *domain, int64_t now);
/* -ENOENT if it is not there. */
int store_email_domain_delete(struct store *s, const char *domain);
