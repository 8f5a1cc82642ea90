/* DNS name and address checks for certificates. */
#include "pki_names.h"

#include <errno.h>
#include <string.h>

#include "common/banned.h"

static bool is_label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

int pki_names_check_host(const char *name, const char **ret_why)
{
	const char *why = NULL;
	size_t len = strnlen(name, PKI_NAME_MAX + 1);
	if (len == 0)
		why = "it is empty";
	else if (len > PKI_NAME_MAX)
		why = "it is longer than 253 characters";

	size_t label = 0;
	for (size_t i = 0; !why && i <= len; i++) {
		char c = name[i];
		if (c == '.' || c == '\0') {
			if (label == 0)
				why = "it has an empty label";
			else if (label > 63)
				why = "a label is longer than 63 characters";
			else if (name[i - 1] == '-')
				why = "a label ends with a hyphen";
			label = 0;
			continue;
		}
		if (c == '*')
			why = "a wildcard is allowed only as a leading \"*.\"";
		else if (!is_label_char(c))
			why = "a label may contain only letters, digits and hyphens";
		else if (label == 0 && c == '-')
			why = "a label starts with a hyphen";
		label++;
	}
	if (why) {
		if (ret_why)
			*ret_why = why;
		return -EINVAL;
	}
	return 0;
}

bool pki_names_in_zone(const char *zone, const char *name)
{
	size_t zl = strlen(zone), nl = strlen(name);
	if (nl == zl)
		return strcmp(name, zone) == 0;
	return nl > zl && name[nl - zl - 1] == '.' && strcmp(name + nl - zl, zone) == 0;
}

int pki_names_check_dns(const char *zone, const char *name, char ret_lower[PKI_NAME_MAX + 1],
			const char **ret_why)
{
	const char *host = name;
	if (name[0] == '*' && name[1] == '.')
		host = name + 2;
	int r = pki_names_check_host(host, ret_why);
	if (r < 0)
		return r;
	size_t len = strlen(name);
	if (len > PKI_NAME_MAX) {
		if (ret_why)
			*ret_why = "it is longer than 253 characters";
		return -EINVAL;
	}

	char lower[PKI_NAME_MAX + 1];
	memcpy(lower, name, len + 1);
	pki_names_lower(lower);
	/* A wildcard covers the labels under its base, so the base must be
	 * inside the zone; the zone itself is allowed as a base. */
	if (!pki_names_in_zone(zone, lower + (host - name))) {
		if (ret_why)
			*ret_why = "it is outside the cell zone";
		return -ERANGE;
	}
	memcpy(ret_lower, lower, len + 1);
	return 0;
}

bool pki_names_ip_allowed(const struct ipv4_net *nets, size_t n_nets, uint32_t ip)
{
	struct ipv4_net host = { .addr = ip, .prefix = 32 };
	for (size_t i = 0; i < n_nets; i++)
		if (cidr_contains(&nets[i], &host))
			return true;
	return false;
}

bool pki_names_printable(const char *s)
{
	size_t len = strnlen(s, PKI_NAME_MAX + 1);
	if (len > PKI_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

void pki_names_lower(char *s)
{
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}
