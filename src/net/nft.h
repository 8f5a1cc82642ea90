/* nftables through libnftables (no `nft` process): replacing the cell's
 * table in one transaction, checking a ruleset, running commands, listing
 * and deleting the table. Acts on the network namespace the process is in.
 * On failure the message nft printed is copied into `err` (may be NULL).
 *
 * Every call takes a session (may be NULL: a context just for that call).
 * A session keeps one libnftables context, and so one netlink socket, open
 * across calls. That matters for speed: after a transaction that deleted
 * anything (a table, set elements), closing the socket waits in the kernel
 * for those objects to be freed after an RCU grace period, 5 to 20 ms
 * here, while the transaction itself took 0.1 ms. A long-lived socket
 * never pays that. */
#pragma once

#include <stddef.h>

#include "common/buf.h"

struct nft_session;

/* Opens a session in the current network namespace. If the process is in
 * another namespace at a later call, the session reopens itself there. */
int nft_session_open(struct nft_session **ret);
void nft_session_close(struct nft_session *s);

/* Replaces table inet pic with `ruleset` (the text of nft_render())
 * atomically: "add table; delete table; <ruleset>" in one batch, so the
 * old table stays in force if anything in the new one is refused. */
int nft_apply(struct nft_session *s, const char *ruleset, char *err, size_t errlen);

/* Runs the same batch as nft_apply() as a dry run: parsed and checked by
 * the kernel's rules cache, nothing committed. */
int nft_check(struct nft_session *s, const char *ruleset, char *err, size_t errlen);

/* Runs `commands` (nft syntax, e.g. "flush set inet pic x; add element
 * inet pic x { ... }") as one transaction: all of them or none. */
int nft_run(struct nft_session *s, const char *commands, char *err, size_t errlen);

/* Deletes table inet pic; 0 if it did not exist. */
int nft_delete_table(struct nft_session *s, char *err, size_t errlen);

/* Appends `nft list table inet pic` to `out`; -ENOENT if there is no such
 * table. */
int nft_list_table(struct nft_session *s, struct buf *out, char *err, size_t errlen);
