/* The leaf certificate of a service that serves TLS (the proxy): issued by
 * the cell's CA for the cell zone and its web services' names, and the
 * host's LAN addresses and names the root covers (apply_host.h), installed
 * in tls/ of its directory, and issued again when those change or a third
 * of its lifetime is left. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct daemon;
struct svc;

#define APPLY_TLS_LEAF_DAYS 90

/* The lifetime of the leaves issued here, in seconds: APPLY_TLS_LEAF_DAYS,
 * or picd's test-only --test-leaf-lifetime. */
int64_t apply_tls_leaf_lifetime(const struct daemon *d);

/* A leaf fits when it carries the wanted names and less than two thirds
 * of its lifetime have passed; that lifetime is its own validity less the
 * backdating, or apply_tls_leaf_lifetime() when that is shorter (a leaf
 * from a longer setting is then renewed on the shorter schedule, and one
 * longer than that lifetime allows is issued again).
 *
 * 1 when a new leaf was installed, 0 when the current one still fits,
 * -errno (with `err`) when none could be issued. */
int apply_tls_ensure(struct daemon *d, struct svc *s, char *err, size_t errlen);

/* apply_tls_ensure for a service that needs a leaf (svc_ops.needs_leaf),
 * nothing for the others: 0 and *ret_new (a new leaf was installed), or
 * -errno with `err`. */
int apply_tls_ensure_if_needed(struct daemon *d, struct svc *s, bool *ret_new, char *err, size_t errlen);
