/* Hostname/domain validation (RFC 1123 labels). */
#include "name.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "cidr.h"
#include "common/banned.h"

static bool is_label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-';
}

int name_validate(const char *field, const char *s, struct field_error *e)
{
	size_t len = strnlen(s, NAME_MAX_LEN + 1);
	if (len == 0) {
		field_error_set(e, field, "%s must not be empty", field);
		return -EINVAL;
	}
	if (len > NAME_MAX_LEN) {
		field_error_set(e, field, "%s is longer than %d characters", field, NAME_MAX_LEN);
		return -EINVAL;
	}

	const char *label = s;
	for (size_t i = 0; i <= len; i++) {
		char c = s[i];
		if (c != '.' && c != '\0') {
			if (!is_label_char(c)) {
				if (c > ' ' && c < 0x7f)
					field_error_set(e, field,
							"%s may contain only letters, digits, hyphens and dots (found '%c' at position %zu)",
							field, c, i + 1);
				else
					field_error_set(e, field,
							"%s may contain only letters, digits, hyphens and dots (invalid character at position %zu)",
							field, i + 1);
				return -EINVAL;
			}
			continue;
		}
		size_t llen = (size_t)(s + i - label);
		if (llen == 0) {
			field_error_set(e, field, "%s has an empty label (leading, trailing or double dot)", field);
			return -EINVAL;
		}
		if (llen > NAME_LABEL_MAX_LEN) {
			field_error_set(e, field, "%s has a label longer than %d characters", field,
					NAME_LABEL_MAX_LEN);
			return -EINVAL;
		}
		if (label[0] == '-' || label[llen - 1] == '-') {
			field_error_set(e, field, "%s has a label that starts or ends with a hyphen", field);
			return -EINVAL;
		}
		label = s + i + 1;
	}
	return 0;
}

int name_validate_host(const char *field, const char *s, struct field_error *e)
{
	uint32_t addr;
	if (ipv4_parse(s, &addr) == 0)
		return 0;
	const char *last = strrchr(s, '.');
	last = last ? last + 1 : s;
	if (*last && strspn(last, "0123456789") == strlen(last)) {
		field_error_set(e, field, "%s is not a valid IPv4 address", field);
		return -EINVAL;
	}
	return name_validate(field, s, e);
}
