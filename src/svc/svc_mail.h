/* What the mail daemons (postfix: svc_postfix.c, dovecot: svc_dovecot.c)
 * share: the "mail" network namespace of the address plan, and the
 * loopback ports inside it where dovecot serves postfix (LMTP delivery
 * and SASL authentication), so neither reads the other's directory. */
#pragma once

#define SVC_MAIL_NETNS "mail"
#define SVC_MAIL_LMTP_PORT 24
#define SVC_MAIL_AUTH_PORT 12345
#define SVC_MAIL_QUOTA_PORT 12340 /* dovecot's quota-status policy service */
#define SVC_MAIL_USER "mail" /* owns the mailboxes */

/* Names the mail services' certificate carries, as labels of the cell
 * zone; clients set up for mail use the first two. */
#define SVC_MAIL_LEAF_LABELS { "imap", "smtp", "mail-svc", NULL }
