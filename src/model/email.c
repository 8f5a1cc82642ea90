/* Mail settings (see email.h). */
#include "email.h"

#include <errno.h>
#include <string.h>

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
