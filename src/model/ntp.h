/* NTP settings: the upstream servers chrony follows. Each is a host name
 * or an IPv4 address; with none (or none reachable) the cell serves its
 * own clock at a local stratum. */
#pragma once

#include <stddef.h>

#include "field_error.h"
#include "name.h"

#define NTP_MAX_SERVERS 8

struct ntp_settings {
	size_t n_servers;
	char servers[NTP_MAX_SERVERS][NAME_MAX_LEN + 1];
};

void ntp_defaults(struct ntp_settings *ret);
/* `field` names the element for errors, e.g. "servers[2]". */
int ntp_server_validate(const char *field, const char *s, struct field_error *e);
/* Adds a validated, not yet listed server; -EINVAL (with `e`) otherwise. */
int ntp_add_server(struct ntp_settings *n, const char *s, struct field_error *e);
