/* The email_settings table (see store_email.h). */
#include "store_email.h"

#include <errno.h>
#include <stdio.h>

#include "common/banned.h"

int store_email_load(struct store *s, struct email_settings *ret)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT relay_host, relay_port, relay_username, relay_password "
					 "FROM email_settings WHERE id = 1");
	if (!st)
		return -EIO;
	struct email_settings e;
	email_settings_defaults(&e);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		e.relay = true;
		snprintf(e.relay_host, sizeof(e.relay_host), "%s", (const char *)sqlite3_column_text(st, 0));
		e.relay_port = (uint16_t)sqlite3_column_int(st, 1);
		snprintf(e.relay_username, sizeof(e.relay_username), "%s", (const char *)sqlite3_column_text(st, 2));
		snprintf(e.relay_password, sizeof(e.relay_password), "%s", (const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_errno(rc);
	*ret = e;
	return 0;
}

int store_email_save(struct store *s, const struct email_settings *e)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO email_settings(id, relay_host, relay_port, "
					 "relay_username, relay_password) VALUES (1, ?1, ?2, ?3, ?4)");
	if (!st)
		return -EIO;
	if (e->relay)
		sqlite3_bind_text(st, 1, e->relay_host, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_int(st, 2, e->relay ? e->relay_port : EMAIL_RELAY_PORT_DEFAULT);
	sqlite3_bind_text(st, 3, e->relay ? e->relay_username : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, e->relay ? e->relay_password : "", -1, SQLITE_TRANSIENT);
	int r = store_step_done(s, st);
	return r < 0 ? r : 0;
}

int store_email_domains_load(struct store *s, struct email_domains *ret)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT domain FROM email_domains ORDER BY domain");
	if (!st)
		return -EIO;
	struct email_domains d = { 0 };
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && d.n < EMAIL_DOMAINS_MAX)
		snprintf(d.names[d.n++], sizeof(d.names[0]), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_errno(rc);
	*ret = d;
	return 0;
}

int store_email_domain_add(struct store *s, const char *domain, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO email_domains(domain, created_at) VALUES (?1, ?2)");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, domain, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT)
		return -EEXIST;
	return rc == SQLITE_DONE ? 0 : store_errno(rc);
}

int store_email_domain_delete(struct store *s, const char *domain)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM email_domains WHERE domain = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, domain, -1, SQLITE_TRANSIENT);
	int r = store_step_done(s, st);
	return r < 0 ? r : r == 0 ? -ENOENT : 0;
}
