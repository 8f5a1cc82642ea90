/* Dovecot's dict protocol (its "proxy" dict client), served to dovecot's
 * auth process: who may log in with which hash (passdb), and each
 * mailbox's quota (userdb), read from the store at each lookup, so an
 * account created, disabled or given a new password counts at its next
 * login (dovecot's passwd-file is stat'ed at most once a second and
 * would lag). Requests are lines:
 *   H<major>\t<minor>\t<value type>\t<user>\t<dict name>   (no reply)
 *   L<key>\t<user>   →  O<json> | N | F<error>
 * with keys "shared/passdb/<name>" → {"password": "{BLF-CRYPT}<hash>"}
 * for an enabled account with mail, and "shared/userdb/<name>" →
 * {"quota_rule": "*:storage=<MB>M"} for any account with mail (a
 * disabled one keeps receiving). */
#pragma once

#include <stddef.h>

#include "common/buf.h"
#include "lookup_server.h"
#include "store/store.h"

#define ACCOUNT_DICT_REQUEST_MAX 1024

/* Appends the reply line (nothing for a hello). */
int account_dict_answer(struct store *s, const char *request, size_t len, struct buf *out);

extern const struct lookup_server_ops account_dict_ops;
