/* Mail settings (see email.h). */
#include "email.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "common/banned.h"

void email_settings_defaults(struct email_settings *s)
{
	*s = (struct email_settings){ .relay_port = EMAIL_RELAY_PORT_DEFAULT };
}

static bool clean_text(const char *s)
{
	return text_chars(s, strlen(s)) >= 0;
}

int email_relay_check(const struct email_settings *s, struct field_error *e)
{
	if (!s->relay)
		return 0;
	if (name_validate_host("relay.host", s->relay_host, e) < 0)
		return -EINVAL;
	if (s->relay_port == 0) {
		field_error_set(e, "relay.port", "relay.port must be 1 to 65535");
		return -EINVAL;
	}
	if (!clean_text(s->relay_username) || strchr(s->relay_username, ':')) {
		field_error_set(e, "relay.username", "relay.username must be text without control characters or ':'");
		return -EINVAL;
	}
	if (!clean_text(s->relay_password)) {
		field_error_set(e, "relay.password", "relay.password must be text without control characters");
		return -EINVAL;
	}
	if (!s->relay_username[0] != !s->relay_password[0]) {
		field_error_set(e, s->relay_username[0] ? "relay.password" : "relay.username",
				"a relay login needs both relay.username and relay.password");
		return -EINVAL;
	}
	return 0;
}

int email_domain_check(const char *name, const char *zone, char out[NAME_MAX_LEN + 1], struct field_error *e)
{
	if (name_validate("domain", name, e) < 0)
		return -EINVAL;
	size_t n = strlen(name);
	for (size_t i = 0; i <= n; i++)
		out[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] - 'A' + 'a') : name[i];
	if (!strchr(out, '.')) {
		field_error_set(e, "domain", "domain must have at least two labels (example.org)");
		return -EINVAL;
	}
	size_t z = strlen(zone);
	if (strcasecmp(out, zone) == 0 || (n > z && out[n - z - 1] == '.' && strcasecmp(out + n - z, zone) == 0)) {
		field_error_set(e, "domain", "%s is the cell zone's; its addresses are the cell's already", out);
		return -EINVAL;
	}
	return 0;
}

bool email_domain_is_ours(const struct email_domains *d, const char *zone, const char *domain, size_t len)
{
	if (strlen(zone) == len && strncasecmp(zone, domain, len) == 0)
		return true;
	for (size_t i = 0; d && i < d->n; i++)
		if (strlen(d->names[i]) == len && strncasecmp(d->names[i], domain, len) == 0)
			return true;
	return false;
}
