/* A health probe for a daemon that greets first (SMTP's "220", IMAP's
 * "* OK"): connect over TCP, read the greeting, compare its start. Split
 * in two so the event loop can wait for the greeting without blocking. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Starts connecting to `addr` (host order):`port`; returns the socket,
 * which becomes readable when the greeting (or an error) arrives. */
int probe_banner_send(uint32_t addr, unsigned port, int *ret_fd, char *err, size_t errlen);
/* Reads the greeting (non-blocking) and checks that it starts with
 * `expect`; the daemon's name `who` goes into messages. */
int probe_banner_check(int fd, const char *expect, const char *who, char *err, size_t errlen);
