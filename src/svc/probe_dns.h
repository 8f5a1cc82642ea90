/* A minimal DNS client used as the DNS service's health probe: one query
 * over UDP, one answer that must carry our id, the QR bit, RCODE NOERROR
 * and at least one answer record. Split in two so the event loop can wait
 * for the answer without blocking.
 *
 * The query id is the socket's source port, which the kernel picks at
 * random for each socket: probe_dns_check() reads it back with
 * getsockname(), so the socket is the only state between the two steps.
 * The socket is connected, so only the server's address and port can
 * answer. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define PROBE_DNS_PORT 53
#define PROBE_DNS_TYPE_A 1
#define PROBE_DNS_TYPE_MX 15
#define PROBE_DNS_TYPE_TXT 16
#define PROBE_DNS_TYPE_SRV 33

/* Asks `addr` (host order) port 53 for the A record of `qname` (with or
 * without the trailing dot); returns the socket. -EINVAL for a name that
 * is not a valid DNS name. */
int probe_dns_send(uint32_t addr, const char *qname, int *ret_fd, char *err, size_t errlen);
/* The same for any port and query type. */
int probe_dns_ask(uint32_t addr, uint16_t port, const char *qname, uint16_t qtype, int *ret_fd, char *err,
		  size_t errlen);
/* Reads and checks the answer (non-blocking): 0; -ETIMEDOUT when none has
 * come; -ENOENT for NXDOMAIN; -ENODATA for NOERROR with no answer record;
 * -EMSGSIZE for a truncated answer (the query has no EDNS: 512 bytes);
 * -EPROTO for anything else (another RCODE, a wrong id, not an answer). */
int probe_dns_check(int fd, char *err, size_t errlen);
/* Both, waiting up to `timeout_ms`. */
int probe_dns(uint32_t addr, uint16_t port, const char *qname, uint16_t qtype, unsigned timeout_ms, char *err,
	      size_t errlen);
