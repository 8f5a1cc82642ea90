/* Opening, migrating and the shared statement cache. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_migrations.h"
#include "common/banned.h"

struct store_cached_stmt {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char path[PATH_MAX];
	char wal_path[PATH_MAX]; /* the write-ahead log (store_sync_path) */
	int wal_pages;           /* in the log after the last commit (wal_hook) */
	struct store_cached_stmt *cache; /* grows; one entry per SQL string */
	unsigned n_cached, cap_cached;
};

int store_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_CONSTRAINT:
		return -EEXIST;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	default:
		return -EIO;
	}
}

sqlite3_stmt *store_stmt(struct store *s, const char *sql)
{
	for (unsigned i = 0; i < s->n_cached; i++) {
		if (s->cache[i].sql == sql) {
			sqlite3_reset(s->cache[i].stmt);
			sqlite3_clear_bindings(s->cache[i].stmt);
			return s->cache[i].stmt;
		}
	}
	if (s->n_cached == s->cap_cached) {
		unsigned cap = s->cap_cached ? s->cap_cached * 2 : 32;
		struct store_cached_stmt *c = realloc(s->cache, cap * sizeof(*c));
		if (!c)
			return NULL;
		s->cache = c;
		s->cap_cached = cap;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return NULL;
	s->cache[s->n_cached++] = (struct store_cached_stmt){ sql, st };
	return st;
}

int store_step_done(struct store *s, sqlite3_stmt *st)
{
	if (!st)
		return -EIO;
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_errno(rc) ? store_errno(rc) : -EIO;
	return sqlite3_changes(s->db);
}

static int exec_sql(struct store *s, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return store_errno(rc) ? store_errno(rc) : -EIO;
	}
	return 0;
}

int store_schema_version(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, "PRAGMA user_version");
	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return -EIO;
	int v = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return v;
}

int store_latest_schema_version(void)
{
	return (int)store_migrations_len;
}

static int migrate(struct store *s, char *err, size_t errlen)
{
	int version = store_schema_version(s);
	if (version < 0) {
		snprintf(err, errlen, "cannot read the schema version");
		return version;
	}
	if (version > store_latest_schema_version()) {
		snprintf(err, errlen,
			 "the database has schema version %d but this picd knows only up to %d; "
			 "run a newer picd or restore a backup",
			 version, store_latest_schema_version());
		return -EPROTO;
	}
	for (int v = version; v < store_latest_schema_version(); v++) {
		char sql[64];
		int r = exec_sql(s, "BEGIN IMMEDIATE", err, errlen);
		if (r < 0)
			return r;
		r = exec_sql(s, store_migrations[v].sql, err, errlen);
		if (r == 0) {
			snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
			r = exec_sql(s, sql, err, errlen);
		}
		if (r == 0)
			r = exec_sql(s, "COMMIT", err, errlen);
		if (r < 0) {
			char ignored[8];
			exec_sql(s, "ROLLBACK", ignored, sizeof(ignored));
			char detail[256];
			snprintf(detail, sizeof(detail), "%s", err);
			snprintf(err, errlen, "migration %s failed: %s", store_migrations[v].name, detail);
			return r;
		}
	}
	return 0;
}

static int on_wal_commit(void *data, sqlite3 *db, const char *name, int pages)
{
	struct store *s = data;
	s->wal_pages = pages;
	return SQLITE_OK;
}

int store_open(const char *path, struct store **ret_store, char *err, size_t errlen)
{
	struct store *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	int n = snprintf(s->wal_path, sizeof(s->wal_path), "%s-wal", path);
	int m = snprintf(s->path, sizeof(s->path), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(s->wal_path) || m < 0 || (size_t)m >= sizeof(s->path)) {
		snprintf(err, errlen, "the store's path is too long");
		free(s);
		return -ENAMETOOLONG;
	}
	int rc = sqlite3_open_v2(path, &s->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		store_close(s);
		return store_errno(rc) ? store_errno(rc) : -EIO;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	/* In place of SQLite's automatic checkpoints, which would copy the
	 * log into the database and sync both inside a commit, in the loop:
	 * the syncer's thread checkpoints (store_syncer.h). */
	sqlite3_wal_hook(s->db, on_wal_commit, s);

	int r = exec_sql(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
			    "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON",
			 err, errlen);
	if (r == 0)
		r = migrate(s, err, errlen);
	/* What the migrations wrote, on disk before anyone reads it. */
	if (r == 0 && (r = store_sync(s)) < 0)
		snprintf(err, errlen, "cannot write %s to disk: %s", path, strerror(-r));
	if (r < 0) {
		store_close(s);
		return r;
	}
	*ret_store = s;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->n_cached; i++)
		sqlite3_finalize(s->cache[i].stmt);
	free(s->cache);
	sqlite3_close(s->db);
	free(s);
}

int store_begin(struct store *s)
{
	int r = store_step_done(s, store_stmt(s, "BEGIN IMMEDIATE"));
	return r < 0 ? r : 0;
}

int store_commit(struct store *s)
{
	int r = store_step_done(s, store_stmt(s, "COMMIT"));
	return r < 0 ? r : 0;
}

uint64_t store_writes(const struct store *s)
{
	return (uint64_t)sqlite3_total_changes64(s->db);
}

bool store_in_transaction(const struct store *s)
{
	return !sqlite3_get_autocommit(s->db);
}

int store_sync_path(const char *wal_path)
{
	int fd = open(wal_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno; /* no log: nothing to sync */
	int r = fdatasync(fd) < 0 ? -errno : 0;
	close(fd);
	return r;
}

int store_sync(struct store *s)
{
	return store_sync_path(s->wal_path);
}

const char *store_wal_path(const struct store *s)
{
	return s->wal_path;
}

const char *store_path(const struct store *s)
{
	return s->path;
}

int store_wal_pages(const struct store *s)
{
	return s->wal_pages;
}

int store_checkpoint_path(const char *path, sqlite3 **conn)
{
	if (!*conn) {
		int rc = sqlite3_open_v2(path, conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
		/* Reads the header: until then the connection does not know the
		 * database is in WAL mode, and would not checkpoint. */
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(*conn, "PRAGMA journal_mode", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			sqlite3_close(*conn);
			*conn = NULL;
			return store_errno(rc) ? store_errno(rc) : -EIO;
		}
	}
	int frames = -1;
	int rc = sqlite3_wal_checkpoint_v2(*conn, NULL, SQLITE_CHECKPOINT_PASSIVE, &frames, NULL);
	if (rc == SQLITE_BUSY)
		return 0; /* another checkpoint runs: it does the work */
	if (rc != SQLITE_OK)
		return store_errno(rc) ? store_errno(rc) : -EIO;
	return frames < 0 ? -EPROTO : 0;
}

void store_rollback(struct store *s)
{
	store_step_done(s, store_stmt(s, "ROLLBACK"));
}
