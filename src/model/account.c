/* Checks for cell accounts (see account.h). */
#include "account.h"

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "common/banned.h"

static const char *const reserved[] = {
	"abuse", "admin", "administrator", "hostmaster", "mailer-daemon", "noc", "nobody",
	"postmaster", "root", "security", "webmaster",
};

/* The most common passwords of ACCOUNT_PASSWORD_MIN characters or more in
 * published breach lists (shorter ones fail the length already), compared
 * in lower case. */
static const char *const common[] = {
	"0000000000", "0123456789", "1111111111", "1122334455", "1234512345", "123123123123",
	"1234567890", "12345678910", "1234567890a", "123456789a", "1234qwer!@", "1234qwerty",
	"1q2w3e4r5t", "1q2w3e4r5t6y", "1qaz2wsx3edc", "1qazxsw23edc", "9876543210", "a123456789",
	"aa12345678", "abc1234567", "abcd123456", "abcdefghij", "administrator", "asdfghjkl1",
	"asdfghjkl;", "baseball12", "changeme123", "dragon1234", "football12", "iloveyou12",
	"letmein123", "master1234", "michael123", "monkey1234", "p@ssw0rd12", "passw0rd12",
	"password01", "password12", "password123", "password1234", "password!!", "princess12",
	"q1w2e3r4t5", "q1w2e3r4t5y6", "qazwsxedc123", "qwerty12345", "qwerty123456", "qwertyuiop",
	"qwertyuiop123", "shadow1234", "sunshine12", "superman12", "trustno1234", "welcome123",
	"zaq12wsx34", "zxcvbnm123", "zxcvbnmasd",
};

bool account_name_reserved(const char *name)
{
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcmp(name, reserved[i]) == 0)
			return true;
	return false;
}

/* One lower-case DNS label starting with a letter, in `field`. */
static int check_label(const char *field, const char *label, struct field_error *e)
{
	size_t len = label ? strnlen(label, ACCOUNT_NAME_MAX + 1) : 0;
	if (len > ACCOUNT_NAME_MAX) {
		field_error_set(e, field, "%s must be at most %d characters", field, ACCOUNT_NAME_MAX);
		return -EINVAL;
	}
	const char *why = len == 0 ? "must not be empty" : NULL;
	for (size_t i = 0; !why && i < len; i++) {
		char c = label[i];
		if (c >= 'A' && c <= 'Z')
			why = "must be in lower case";
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			why = "may contain only lower-case letters, digits and hyphens";
	}
	if (!why && !(label[0] >= 'a' && label[0] <= 'z'))
		why = "must start with a letter";
	if (!why && label[len - 1] == '-')
		why = "must not end with a hyphen";
	if (why) {
		field_error_set(e, field, "%s %s", field, why);
		return -EINVAL;
	}
	return 0;
}

int account_check_name(const char *name, struct field_error *e)
{
	if (check_label("name", name, e) < 0)
		return -EINVAL;
	if (account_name_reserved(name)) {
		field_error_set(e, "name", "name '%s' is reserved (a role address of mail systems or the host)", name);
		return -EINVAL;
	}
	if (strcmp(name, ACCOUNT_NAME_API) == 0) {
		field_error_set(e, "name", "name '%s' is reserved (/api/users/%s lists deleted accounts' data)", name,
				name);
		return -EINVAL;
	}
	return 0;
}

int account_add_alias(struct account *a, const char *field, const char *alias, struct field_error *e)
{
	if (check_label(field, alias, e) < 0)
		return -EINVAL;
	if (strcmp(alias, a->name) == 0) {
		field_error_set(e, field, "%s is the account's own name", field);
		return -EINVAL;
	}
	for (size_t i = 0; i < a->n_aliases; i++)
		if (strcmp(a->aliases[i], alias) == 0) {
			field_error_set(e, field, "%s repeats the alias '%s'", field, alias);
			return -EINVAL;
		}
	if (a->n_aliases == ACCOUNT_ALIASES_MAX) {
		field_error_set(e, "aliases", "an account has at most %d aliases", ACCOUNT_ALIASES_MAX);
		return -EINVAL;
	}
	snprintf(a->aliases[a->n_aliases++], sizeof(a->aliases[0]), "%s", alias);
	return 0;
}

static const char *const service_names[] = { "mail", "calendar", "files" };

int account_service_parse(const char *name, unsigned *ret_bit)
{
	for (size_t i = 0; i < sizeof(service_names) / sizeof(service_names[0]); i++)
		if (strcmp(name, service_names[i]) == 0) {
			*ret_bit = 1u << i;
			return 0;
		}
	return -EINVAL;
}

size_t account_service_names(unsigned services, const char *out[ACCOUNT_SERVICES_N])
{
	size_t n = 0;
	for (size_t i = 0; i < ACCOUNT_SERVICES_N; i++)
		if (services & (1u << i))
			out[n++] = service_names[i];
	return n;
}

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle), h = strlen(hay);
	for (size_t i = 0; n && i + n <= h; i++)
		if (strncasecmp(hay + i, needle, n) == 0)
			return true;
	return false;
}

int account_check_password(const char *name, const char *password, struct field_error *e)
{
	size_t len = password ? strnlen(password, ACCOUNT_PASSWORD_MAX + 1) : 0;
	if (len > ACCOUNT_PASSWORD_MAX) {
		field_error_set(e, "password", "password must be at most %d bytes", ACCOUNT_PASSWORD_MAX);
		return -EINVAL;
	}
	long chars = text_chars(password ? password : "", len);
	if (chars < 0) {
		field_error_set(e, "password", "password must be text (UTF-8) without control characters");
		return -EINVAL;
	}
	if (chars < ACCOUNT_PASSWORD_MIN) {
		field_error_set(e, "password", "password must be at least %d characters", ACCOUNT_PASSWORD_MIN);
		return -EINVAL;
	}
	if (name && name[0] && contains_ci(password, name)) {
		field_error_set(e, "password", "password must not contain the user name");
		return -EINVAL;
	}
	bool repeated = true;
	for (size_t i = 1; repeated && i < len; i++)
		repeated = password[i] == password[0];
	bool is_common = repeated;
	for (size_t i = 0; !is_common && i < sizeof(common) / sizeof(common[0]); i++)
		is_common = strcasecmp(password, common[i]) == 0;
	if (is_common) {
		field_error_set(e, "password", "password is one of the most common passwords: choose another");
		return -EINVAL;
	}
	return 0;
}

int account_check_display_name(const char *display_name, struct field_error *e)
{
	size_t len = display_name ? strnlen(display_name, ACCOUNT_DISPLAY_NAME_MAX + 1) : 0;
	if (len > ACCOUNT_DISPLAY_NAME_MAX) {
		field_error_set(e, "display_name", "display_name must be at most %d bytes", ACCOUNT_DISPLAY_NAME_MAX);
		return -EINVAL;
	}
	if (text_chars(display_name ? display_name : "", len) < 0) {
		field_error_set(e, "display_name", "display_name must be text (UTF-8) without control characters");
		return -EINVAL;
	}
	return 0;
}
