/* Live DNS data: after records (or LAN host names) changed in the store,
 * make the running unbound match without a restart or a dropped query —
 * rewrite the files of records.d that hold them (read at every unbound
 * start, so a crash or reload loses nothing; svc_unbound.h) and change
 * exactly the affected names through unbound's control socket. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct daemon;

#define APPLY_DNS_HOSTS_MAX 2048
#define APPLY_DNS_PUSH_MAX 64

/* `names` are the FQDNs (no trailing dot) whose data changed, `ids` the
 * records added, changed or deleted (their part files are rewritten: the
 * cost is that of the parts, not of the zone). Reads the store inside the
 * caller's transaction. With `only_added`, the change only added data
 * (nothing to take away): unbound gets the additions without the names
 * being removed first. */
int apply_dns_names(struct daemon *d, const char *const *names, size_t n_names, const int64_t *ids, size_t n_ids,
		    bool only_added, char *err, size_t errlen);

/* apply_dns_names in two halves, so that the store can commit before
 * unbound is told (off the loop). In the caller's open transaction: the
 * part files rewritten and, when unbound runs, the live change prepared
 * from the store into *ret (NULL: nothing to tell it). Once committed,
 * apply_dns_push_start sends the change from the DNS pusher's thread
 * (changes in commit order), and `done` runs in the loop with 0, or
 * -errno and a message when unbound did not take the change even by a
 * reload. A prepared push
 * not started is freed with apply_dns_push_free. */
struct apply_dns_push;
typedef void (*apply_dns_done_fn)(struct daemon *d, int r, const char *err, void *cls);
int apply_dns_names_begin(struct daemon *d, const char *const *names, size_t n_names, const int64_t *ids,
			  size_t n_ids, bool only_added, struct apply_dns_push **ret, char *err, size_t errlen);
void apply_dns_push_start(struct daemon *d, struct apply_dns_push *p, apply_dns_done_fn done, void *cls);
void apply_dns_push_free(struct apply_dns_push *p);
/* At exit: the pushes in flight finish and their `done` runs. */
void apply_dns_push_stop(struct daemon *d);

/* Re-reads DHCP reservations and leases and publishes their host names
 * (<host>.<zone> and PTR), changing only what differs from before. */
int apply_dns_hosts(struct daemon *d, char *err, size_t errlen);

/* Rewrites every file of records.d from the store (and removes the parts
 * no record is in any more). */
int apply_dns_records_file(struct daemon *d, char *err, size_t errlen);
