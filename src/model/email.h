/* The mail service's settings: how mail for other servers leaves. By
 * default postfix delivers to each recipient's own server (direct); most
 * home connections cannot (port 25 blocked, addresses listed as dial-up),
 * and send through a relay host instead, usually their provider's or a
 * mail service's, logging in with a name and password. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "field_error.h"
#include "name.h"

#define EMAIL_RELAY_PORT_DEFAULT 587
#define EMAIL_CREDENTIAL_MAX 255 /* bytes, each of name and password */

struct email_settings {
	bool relay;                        /* false: direct delivery */
	char relay_host[NAME_MAX_LEN + 1]; /* a name or an IPv4 address */
	uint16_t relay_port;
	char relay_username[EMAIL_CREDENTIAL_MAX + 1]; /* "": no login */
	char relay_password[EMAIL_CREDENTIAL_MAX + 1];
};

void email_settings_defaults(struct email_settings *s);

/* Mail domains besides the cell zone. */
#define EMAIL_DOMAINS_MAX 16
/* The cell zone's MX host, <label>.<zone> (an alias of the mail service
 * in the address plan), and the SPF policy beside it: mail from the zone
 * comes from the hosts its MX names. */
#define EMAIL_MX_LABEL "smtp"
#define EMAIL_SPF_TXT "v=spf1 mx ~all"

struct email_domains {
	size_t n;
	char names[EMAIL_DOMAINS_MAX][NAME_MAX_LEN + 1]; /* lower case, by name */
};

/* A new extra domain `name` (lower-cased into `out`): a DNS name of at
 * least two labels, not the cell zone nor inside it (the zone's names are
 * the cell's). -EINVAL with `e` on "domain". */
int email_domain_check(const char *name, const char *zone, char out[NAME_MAX_LEN + 1], struct field_error *e);
/* Whether `domain` (any case) is the zone or one of `d`. */
bool email_domain_is_ours(const struct email_domains *d, const char *zone, const char *domain, size_t len);

/* The relay's fields, checked under "relay.host", "relay.port",
 * "relay.username", "relay.password": the host as name_validate_host,
 * the port 1..65535, the name and password valid UTF-8 without control
 * characters or ':' in the name (postfix's "name:password"), at most
 * EMAIL_CREDENTIAL_MAX bytes, both or neither. -EINVAL with `e` set. */
int email_relay_check(const struct email_settings *s, struct field_error *e);
