/* The store: one SQLite database in the state directory (WAL, foreign
 * keys, synchronous=NORMAL: a commit is written to the log but not waited
 * for on disk; store_syncer.h makes it durable off the loop, and picd
 * answers a request that wrote only once its write is on disk, so an
 * acknowledged write survives a crash).
 * Schema changes are numbered migrations embedded in the binary and
 * applied at open. SQL lives only in store_*.c, as prepared statements
 * with bound values; callers group one API change into one transaction. */
#pragma once

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Opens (creating if needed) the database at `path` and migrates it.
 * -EPROTO if the database is newer than this binary knows; the message
 * for the log is written into `err` either way on failure. */
int store_open(const char *path, struct store **ret_store, char *err, size_t errlen);
void store_close(struct store *s);

int store_schema_version(struct store *s);
int store_latest_schema_version(void);

int store_begin(struct store *s);
/* Commits to the log; on disk once a sync that began after it is done. */
int store_commit(struct store *s);
void store_rollback(struct store *s);

/* Rows written so far (never decreases; a rolled-back write counts too):
 * what a sync begun now will cover. */
uint64_t store_writes(const struct store *s);
/* True inside a transaction: what it wrote is not committed yet. */
bool store_in_transaction(const struct store *s);
/* Every commit so far onto the disk: store_sync_path on store_wal_path,
 * which any thread may call (it touches only the log file). */
const char *store_wal_path(const struct store *s);
int store_sync_path(const char *wal_path);
int store_sync(struct store *s);
/* Checkpoints (the log copied into the database, both synced) are not
 * made by commits: the log's length in pages after the last commit says
 * when one is due, and store_checkpoint_path makes one — a passive one,
 * which waits for nobody — through `*conn`, a connection of the calling
 * thread's own (opened on first use; sqlite3_close it when done). */
#define STORE_CHECKPOINT_PAGES 1000
#define STORE_CHECKPOINT_WRITES 500
const char *store_path(const struct store *s);
int store_wal_pages(const struct store *s);
int store_checkpoint_path(const char *path, sqlite3 **conn);

/* Internal to store_*.c: a cached prepared statement for `sql` (a string
 * literal; cached by address), reset and with bindings cleared. */
sqlite3_stmt *store_stmt(struct store *s, const char *sql);
/* Internal: maps a SQLite result code to -errno. */
int store_errno(int rc);
/* Internal: runs a statement that returns no rows; returns changes(). */
int store_step_done(struct store *s, sqlite3_stmt *st);
