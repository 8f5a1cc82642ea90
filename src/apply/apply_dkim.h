/* The cell's DKIM key: made at the first start (RSA 2048), kept in
 * opendkim's keys/ (<selector>.private, 0600, opendkim's; `current` names
 * the selector in use), its public half published in the cell zone. */
#pragma once

#include <stddef.h>

struct daemon;

/* Loads the current key into d->dkim, or makes one when there is none.
 * Nothing to do without opendkim. */
int apply_dkim_load(struct daemon *d, char *err, size_t errlen);
