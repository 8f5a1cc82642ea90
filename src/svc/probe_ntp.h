/* A minimal SNTP client (RFC 4330) used as the NTP service's health
 * probe: one mode-3 request, one mode-4 answer with a non-zero stratum
 * that echoes our transmit time. Split in two so the event loop can wait
 * for the answer without blocking. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Sends the request to `addr` (host order) port 123; returns the socket. */
int probe_ntp_send(uint32_t addr, int *ret_fd, char *err, size_t errlen);
/* Reads and checks the answer (non-blocking); the stratum may be NULL. */
int probe_ntp_check(int fd, unsigned *ret_stratum, char *err, size_t errlen);
/* Both, waiting up to `timeout_ms`. */
int probe_ntp(uint32_t addr, unsigned timeout_ms, unsigned *ret_stratum, char *err, size_t errlen);
