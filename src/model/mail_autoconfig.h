/* Mail client autoconfiguration: Thunderbird's "config-v1.1.xml" (also
 * read by other clients), which the cell serves at
 * https://autoconfig.<zone>/mail/config-v1.1.xml and at
 * /.well-known/autoconfig/mail/config-v1.1.xml, so a client set up with
 * only an address and a password finds the cell's IMAP and SMTP servers,
 * their ports and security, and the user name (the address's local
 * part). */
#pragma once

#include "common/buf.h"

/* The document for the cell zone `zone` (the mail domain), named for
 * people as `display_name`. Both are DNS names, which need no escaping
 * in XML. */
int mail_autoconfig_render(const char *zone, const char *display_name, struct buf *out);
