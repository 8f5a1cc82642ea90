/* The store: one SQLite database in the state directory (WAL, foreign
 * keys, synchronous=FULL so an acknowledged write survives a crash).
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
/* Commits; durable when it returns (synchronous=FULL). */
int store_commit(struct store *s);
/* A transaction whose commit may skip waiting for the disk: with
 * store_commit_unsynced the caller makes it durable before it tells
 * anyone (store_sync_path on store_wal_path, from any thread: the sync
 * covers every commit made before it); store_commit and store_rollback
 * end it as any other. */
int store_begin_relaxed(struct store *s);
int store_commit_unsynced(struct store *s);
const char *store_wal_path(const struct store *s);
int store_sync_path(const char *wal_path);
void store_rollback(struct store *s);

/* Internal to store_*.c: a cached prepared statement for `sql` (a string
 * literal; cached by address), reset and with bindings cleared. */
sqlite3_stmt *store_stmt(struct store *s, const char *sql);
/* Internal: maps a SQLite result code to -errno. */
int store_errno(int rc);
/* Internal: runs a statement that returns no rows; returns changes(). */
int store_step_done(struct store *s, sqlite3_stmt *st);
