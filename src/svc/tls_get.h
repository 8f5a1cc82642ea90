/* One HTTPS GET, blocking under a deadline, for picd's own checks of the
 * proxy (not for the loop's regular work): TLS 1.2+ trusting only
 * `ca_file`, the certificate checked for `host` (also the SNI and the
 * Host header), "Connection: close", the answer read to EOF. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "common/buf.h"

#define TLS_GET_RESPONSE_MAX (64 * 1024)

/* On success the status in `ret_status`, the body appended to `ret_body`
 * and, if `ret_peer` is not NULL, the server's certificate (the caller
 * frees it with X509_free). -ETIMEDOUT past `timeout_ms`, -ECONNREFUSED
 * and other -errno of the connection, -EPROTO for a TLS failure (an
 * untrusted or misnamed certificate among them) or an answer that is not
 * HTTP, -EMSGSIZE past TLS_GET_RESPONSE_MAX; `err` says which. */
int tls_get(uint32_t addr, uint16_t port, const char *host, const char *path, const char *ca_file,
	    unsigned timeout_ms, int *ret_status, struct buf *ret_body, X509 **ret_peer, char *err, size_t errlen);
