/* Certificates issued by the cell's CA, and their revocation. */
#pragma once

#include <stdint.h>

#include "store.h"

#define CERTS_MAX 10000
#define CERT_SERIAL_MAX 41 /* PKI_SERIAL_HEX_MAX */

struct cert_row {
	char serial[CERT_SERIAL_MAX];
	char kind[16];
	char *cert_pem; /* malloc'ed */
	int64_t not_after;
	int64_t created_at;
	int64_t revoked_at; /* 0: not revoked */
	int64_t superseded_at; /* 0: issued by the current root */
};

int store_cert_insert(struct store *s, const char *serial, const char *kind, const char *cert_pem,
		      int64_t not_after, int64_t now);
/* Every certificate, newest first; *ret is malloc'ed: free with
 * store_cert_rows_free. */
int store_cert_list(struct store *s, struct cert_row **ret, size_t *ret_n);
void store_cert_rows_free(struct cert_row *rows, size_t n);
/* -ENOENT: no such serial; -EALREADY: already revoked. */
int store_cert_revoke(struct store *s, const char *serial, int64_t now);
/* Marks every certificate not yet superseded as superseded at `now` (the
 * root that issued them was replaced); returns how many. */
int store_cert_supersede_all(struct store *s, int64_t now);
