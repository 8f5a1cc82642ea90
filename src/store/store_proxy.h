/* The owner's proxy route switches in the store. */
#pragma once

#include "model/proxy.h"
#include "store.h"

int store_proxy_load(struct store *s, struct proxy_settings *ret);
/* Replaces the switches (inside the caller's transaction). */
int store_proxy_save(struct store *s, const struct proxy_settings *p);
