/* The mail service's settings in the store (email_settings). */
#pragma once

#include "model/email.h"
#include "store.h"

/* The settings, or the defaults (direct delivery) when none were set. */
int store_email_load(struct store *s, struct email_settings *ret);
/* Replaces them (inside the caller's transaction). */
int store_email_save(struct store *s, const struct email_settings *e);
