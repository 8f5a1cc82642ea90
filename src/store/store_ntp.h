/* NTP settings in the store. */
#pragma once

#include "model/ntp.h"
#include "store.h"

/* The stored servers, or the defaults when none were ever set. */
int store_ntp_load(struct store *s, struct ntp_settings *ret);
/* Replaces the list (inside the caller's transaction). */
int store_ntp_save(struct store *s, const struct ntp_settings *n);
