/* The cell configuration in the store: the applied values, a revision
 * that changes with every change (the API's ETag), and the pending
 * changes that wait for an explicit apply. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "model/config.h"
#include "store.h"

struct pending_change {
	char field[32];
	bool is_null;
	char value[CONFIG_VALUE_MAX];
	int64_t requested_at;
};

/* Defaults overlaid with the stored values. -EIO if a stored value no
 * longer passes validation (the message goes to `e`). */
int store_config_load(struct store *s, struct cell_config *ret_c, struct field_error *e);
int store_config_revision(struct store *s, uint64_t *ret_rev);
int store_config_bump_revision(struct store *s, uint64_t *ret_rev);
int store_config_set(struct store *s, const char *field, const char *text_or_null);

/* Fills up to `max` entries; returns how many. */
int store_pending_list(struct store *s, struct pending_change *ret, int max);
int store_pending_set(struct store *s, const char *field, const char *text_or_null, int64_t now);
int store_pending_delete(struct store *s, const char *field);
int store_pending_clear(struct store *s);
