/* The answers of picd's socketmap for postfix (svc_postfix.h): one
 * request "<map> <key>", one reply, from the store as it is now. Keys are
 * addresses; only the cell zone's are the cell's, and only accounts with
 * mail have any; "alice+anything@<zone>" is alice's, and so is every
 * address of an extra domain (alice@example.org).
 *   domain  <zone>        → "OK <zone>"       (the zone, or an extra domain)
 *   mailbox alice@<zone>  → "OK alice/"       (an account: deliver)
 *   alias   info@<zone>   → "OK alice@<zone>" (an alias: rewrite)
 *   sender  info@<zone>   → "OK alice,alice@<zone>" (the login that may
 *                            send as it)
 *   relay   [host]:port   → "OK name:password" (the relay host's login, when
 *                            set: postfix's smtp_sasl_password_maps)
 * and "NOTFOUND " for anything else; "TEMP …" when the store fails (the
 * sender retries), "PERM …" for a request that is not one. */
#pragma once

#include <stddef.h>

#include "common/buf.h"
#include "lookup_server.h"
#include "store/store.h"

#define MAIL_LOOKUP_REQUEST_MAX 1024

/* The reply's text, unframed. */
int mail_lookup_answer(struct store *s, const char *zone, const char *request, size_t len, struct buf *reply);

/* socketmap: netstring requests and replies (lookup_server.h). */
extern const struct lookup_server_ops mail_maps_ops;
