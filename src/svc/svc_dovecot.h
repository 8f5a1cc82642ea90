/* IMAP, LMTP and ManageSieve: dovecot, in the mail namespace. Mailboxes
 * are Maildirs of the cell's accounts under mail/ of its directory,
 * owned by the `mail` user; who may log in, with which hash, and each
 * mailbox's quota, dovecot's auth asks picd at each lookup over its dict
 * protocol (api/account_dict.h): an account change restarts nothing and
 * counts at the next login. */
#pragma once

#include "svc_ops.h"

#define SVC_DOVECOT_MAIL_DIR "mail"
#define SVC_DOVECOT_DICT_FILE "accounts.conf.ext"
#define SVC_DOVECOT_DICT_SOCKET "accounts.sock"
#define SVC_DOVECOT_AUTH_GROUP "dovecot" /* its auth process asks picd */

extern const struct svc_ops svc_dovecot_ops;
extern const char svc_dovecot_dict_conf[];

int svc_dovecot_render(const struct svc_input *in, struct buf *out);
