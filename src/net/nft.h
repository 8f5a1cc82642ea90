/* nftables through libnftables (no `nft` process): replacing the cell's
 * table in one transaction, checking a ruleset, listing and deleting the
 * table. Acts on the network namespace the process is in. On failure the
 * message nft printed is copied into `err` (may be NULL). */
#pragma once

#include <stddef.h>

#include "common/buf.h"

/* Replaces table inet pic with `ruleset` (the text of nft_render())
 * atomically: "add table; delete table; <ruleset>" in one batch, so the
 * old table stays in force if anything in the new one is refused. */
int nft_apply(const char *ruleset, char *err, size_t errlen);

/* Runs the same batch as nft_apply() as a dry run: parsed and checked by
 * the kernel's rules cache, nothing committed. */
int nft_check(const char *ruleset, char *err, size_t errlen);

/* Runs `commands` (nft syntax, e.g. "flush set inet pic x; add element
 * inet pic x { ... }") as one transaction: all of them or none. */
int nft_run(const char *commands, char *err, size_t errlen);

/* Deletes table inet pic; 0 if it did not exist. */
int nft_delete_table(char *err, size_t errlen);

/* Appends `nft list table inet pic` to `out`; -ENOENT if there is no such
 * table. */
int nft_list_table(struct buf *out, char *err, size_t errlen);
