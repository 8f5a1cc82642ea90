/* SMTP: postfix, in the mail namespace. Inbound mail on 25 for the
 * cell's addresses, submission on 587 (STARTTLS) and 465 (TLS) for the
 * cell's accounts, authenticated by dovecot (SASL over loopback) and
 * delivered to it over LMTP. Which addresses exist, where an alias goes
 * and who may send as an address, postfix asks picd as mail arrives
 * (socketmap, mail_maps.h): an account change needs no reload. */
#pragma once

#include "svc_ops.h"

/* picd's socketmap, in the service directory. */
#define SVC_POSTFIX_MAPS_SOCKET "maps.sock"
#define SVC_POSTFIX_GROUP "postfix" /* its processes ask picd */
/* The maps it answers: socketmap:unix:…:<name>. */
#define SVC_POSTFIX_MAP_DOMAIN "domain"   /* the cell zone and the extra domains */
#define SVC_POSTFIX_MAP_MAILBOX "mailbox" /* address → its mailbox */
#define SVC_POSTFIX_MAP_ALIAS "alias"     /* alias address → the account's address */
#define SVC_POSTFIX_MAP_SENDER "sender"   /* address → the login that may send as it */
#define SVC_POSTFIX_MAP_RELAY "relay"     /* "[host]:port" → "name:password" for the relay */

extern const struct svc_ops svc_postfix_ops;

int svc_postfix_render(const struct svc_input *in, struct buf *out);
extern const char svc_postfix_master_cf[];
