/* Live DNS data: after records (or LAN host names) changed in the store,
 * make the running unbound match without a restart or a dropped query —
 * rewrite records.conf (read at every unbound start, so a crash or reload
 * loses nothing) and change exactly the affected names through unbound's
 * control socket. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct daemon;

#define APPLY_DNS_HOSTS_MAX 2048

/* `names` are the FQDNs (no trailing dot) whose data changed. Reads the
 * store inside the caller's transaction. */
/* With `only_added`, the change only added data (nothing to take away):
 * unbound gets the additions without the names being removed first. */
int apply_dns_names(struct daemon *d, const char *const *names, size_t n_names, bool only_added, char *err,
		    size_t errlen);

/* Re-reads DHCP reservations and leases and publishes their host names
 * (<host>.<zone> and PTR), changing only what differs from before. */
int apply_dns_hosts(struct daemon *d, char *err, size_t errlen);

/* Rewrites records.conf from the store (the file unbound includes). */
int apply_dns_records_file(struct daemon *d, char *err, size_t errlen);
