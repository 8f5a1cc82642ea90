/* DKIM: opendkim, a milter in the mail namespace on its loopback, which
 * postfix hands every message to: it signs what the cell's accounts send
 * (logged in, or from loopback) with the cell's key and checks the
 * signatures of mail that arrives. Its key is picd's (apply_dkim.h), in
 * keys/ of its directory, owned by opendkim. Without a key it stays off;
 * postfix then passes mail on unsigned (milter_default_action). */
#pragma once

#include "svc_ops.h"

#define SVC_OPENDKIM_KEYS_DIR "keys"
#define SVC_OPENDKIM_USER "opendkim"
#define SVC_OPENDKIM_PORT 8891

extern const struct svc_ops svc_opendkim_ops;

int svc_opendkim_render(const struct svc_input *in, struct buf *out);
