/* The leaf certificate of a service that serves TLS (the proxy): issued by
 * the cell's CA for the cell zone and its web services' names, installed in
 * tls/ of its directory, and issued again when those names change or a
 * third of its lifetime is left. */
#pragma once

#include <stddef.h>

struct daemon;
struct svc;

#define APPLY_TLS_LEAF_DAYS 90

/* 1 when a new leaf was installed, 0 when the current one still fits,
 * -errno (with `err`) when none could be issued. */
int apply_tls_ensure(struct daemon *d, struct svc *s, char *err, size_t errlen);
