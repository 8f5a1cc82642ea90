/* DNS data in the store: records, forward zones, resolver settings. */
#pragma once

#include <stdint.h>

#include "model/dns.h"
#include "store.h"

#define DNS_RECORDS_MAX 100000 /* per cell */
#define DNS_FORWARDS_MAX 64

struct dns_record_filter {
	const char *name; /* exact FQDN, or NULL */
	int type;         /* enum dns_type, or -1 */
};

/* -EEXIST when the same data is already there. */
int store_dns_record_insert(struct store *s, struct dns_record *r, int64_t now);
/* -ENOENT if there is no such id, -EEXIST if the new data duplicates
 * another record. */
int store_dns_record_update(struct store *s, const struct dns_record *r, int64_t now);
int store_dns_record_delete(struct store *s, int64_t id);
/* A deleted record back under its own id (undoing the delete). */
int store_dns_record_restore(struct store *s, const struct dns_record *r, int64_t now);
int store_dns_record_get(struct store *s, int64_t id, struct dns_record *ret);
int store_dns_record_count(struct store *s, const struct dns_record_filter *f);
/* Up to `limit` records matching `f`, ordered by name, type, id, from
 * `offset`; returns how many. */
int store_dns_record_list(struct store *s, const struct dns_record_filter *f, int offset, int limit,
			  struct dns_record *ret);

/* Moves every record from `old_zone` to `new_zone` (the cell was renamed);
 * zone names hold no LIKE wildcards (config validation). */
int store_dns_records_rezone(struct store *s, const char *old_zone, const char *new_zone);

/* Calls `fn` for every record in order (name, type, id), one statement
 * stepped row by row; stops at the first non-zero return and returns it. */
int store_dns_record_foreach(struct store *s, int (*fn)(const struct dns_record *r, void *ctx), void *ctx);
/* The same for the records with `first` <= id < `end`, in id order (the
 * primary key: the cost is that of the range, not of the table). */
int store_dns_record_foreach_ids(struct store *s, int64_t first, int64_t end,
				 int (*fn)(const struct dns_record *r, void *ctx), void *ctx);

int store_dns_settings_load(struct store *s, struct dns_settings *ret);
int store_dns_settings_save(struct store *s, const struct dns_settings *d);

int store_dns_forward_list(struct store *s, struct dns_forward *ret, int max);
int store_dns_forward_put(struct store *s, const struct dns_forward *f);
/* -ENOENT if there was no such zone. */
int store_dns_forward_delete(struct store *s, const char *zone);
