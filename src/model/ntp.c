/* NTP upstream validation. */
#include "ntp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cidr.h"
#include "common/banned.h"

void ntp_defaults(struct ntp_settings *ret)
{
	static const char *const pool[] = { "0.debian.pool.ntp.org", "1.debian.pool.ntp.org",
					    "2.debian.pool.ntp.org", "3.debian.pool.ntp.org" };
	*ret = (struct ntp_settings){ 0 };
	for (size_t i = 0; i < sizeof(pool) / sizeof(pool[0]); i++)
		snprintf(ret->servers[ret->n_servers++], sizeof(ret->servers[0]), "%s", pool[i]);
}

int ntp_server_validate(const char *field, const char *s, struct field_error *e)
{
	return name_validate_host(field, s, e);
}

int ntp_add_server(struct ntp_settings *n, const char *s, struct field_error *e)
{
	char field[32];
	snprintf(field, sizeof(field), "servers[%zu]", n->n_servers);
	if (n->n_servers >= NTP_MAX_SERVERS) {
		field_error_set(e, "servers", "at most %d servers", NTP_MAX_SERVERS);
		return -EINVAL;
	}
	if (ntp_server_validate(field, s, e) < 0)
		return -EINVAL;
	for (size_t i = 0; i < n->n_servers; i++) {
		if (strcasecmp(n->servers[i], s) == 0) {
			field_error_set(e, field, "%s '%s' is listed twice", field, s);
			return -EINVAL;
		}
	}
	snprintf(n->servers[n->n_servers++], sizeof(n->servers[0]), "%s", s);
	return 0;
}
