/* Cell account checks: names are one lower-case DNS label that is not a
 * reserved role name; passwords are long enough, valid text, not the
 * name, not one repeated character, not a common one; display names are
 * bounded text. Every refusal names its field. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "model/account.h"
#include "common/banned.h"

static void refused(int r, const struct field_error *e, const char *field, const char *needle, const char *what)
{
	if (r != -EINVAL)
		fail_msg("'%s' accepted", what);
	assert_string_equal(e->field, field);
	if (!strstr(e->message, needle))
		fail_msg("'%s': message '%s' lacks '%s'", what, e->message, needle);
}

static void test_names(void **state)
{
	(void)state;
	static const char *const good[] = { "alice", "bob2", "jean-luc", "a", "x1-y2",
					    "abcdefghijklmnopqrstuvwxyz012345" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct field_error e = { 0 };
		if (account_check_name(good[i], &e) != 0)
			fail_msg("'%s' refused: %s", good[i], e.message);
	}
	static const struct {
		const char *name, *why;
	} bad[] = {
		{ "", "must not be empty" },
		{ "Alice", "lower case" },
		{ "al ice", "only lower-case letters, digits and hyphens" },
		{ "al_ice", "only lower-case letters, digits and hyphens" },
		{ "al.ice", "only lower-case letters, digits and hyphens" },
		{ "alice@cell", "only lower-case letters, digits and hyphens" },
		{ "\xc3\xa9mile", "only lower-case letters, digits and hyphens" },
		{ "2pac", "must start with a letter" },
		{ "-alice", "must start with a letter" },
		{ "alice-", "must not end with a hyphen" },
		{ "abcdefghijklmnopqrstuvwxyz0123456", "at most 32 characters" },
		{ "postmaster", "reserved" }, { "abuse", "reserved" }, { "root", "reserved" },
		{ "admin", "reserved" }, { "hostmaster", "reserved" }, { "mailer-daemon", "reserved" }, { "orphans", "reserved" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct field_error e = { 0 };
		refused(account_check_name(bad[i].name, &e), &e, "name", bad[i].why, bad[i].name);
	}
	struct field_error e = { 0 };
	refused(account_check_name(NULL, &e), &e, "name", "must not be empty", "(null)");
	assert_true(account_name_reserved("webmaster"));
	assert_false(account_name_reserved("alice"));
}

static void test_passwords(void **state)
{
	(void)state;
	static const char *const good[] = { "correct horse battery", "Tr0ub4dor&3x", "ten chars!",
					    "\xc3\xa9t\xc3\xa9 \xc3\xa0 Paris!" /* été à Paris! */ };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct field_error e = { 0 };
		if (account_check_password("alice", good[i], &e) != 0)
			fail_msg("'%s' refused: %s", good[i], e.message);
	}
	char long_ok[ACCOUNT_PASSWORD_MAX + 1], too_long[ACCOUNT_PASSWORD_MAX + 2];
	for (size_t i = 0; i < ACCOUNT_PASSWORD_MAX; i++)
		long_ok[i] = (char)('a' + i % 26);
	long_ok[ACCOUNT_PASSWORD_MAX] = '\0';
	memcpy(too_long, long_ok, ACCOUNT_PASSWORD_MAX);
	too_long[ACCOUNT_PASSWORD_MAX] = 'x';
	too_long[ACCOUNT_PASSWORD_MAX + 1] = '\0';
	struct field_error e = { 0 };
	assert_int_equal(account_check_password("zed", long_ok, &e), 0);

	static const struct {
		const char *password, *why;
	} bad[] = {
		{ "", "at least 10 characters" },
		{ "short", "at least 10 characters" },
		{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9x", "at least 10 characters" }, /* 6 characters, 11 bytes */
		{ "alice12345", "must not contain the user name" },
		{ "my-ALICE-password", "must not contain the user name" },
		{ "aaaaaaaaaaaa", "most common" },
		{ "1234567890", "most common" },
		{ "Password123", "most common" },
		{ "QWERTYUIOP", "most common" },
		{ "tab\there is bad", "without control characters" },
		{ "bad \xff byte ok?", "UTF-8" },
		{ "cut \xc3", "UTF-8" },
		{ "overlong \xc0\xaf!", "UTF-8" },
		{ "surrogate \xed\xa0\x80 x", "UTF-8" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct field_error f = { 0 };
		refused(account_check_password("alice", bad[i].password, &f), &f, "password", bad[i].why,
			bad[i].password);
	}
	refused(account_check_password("alice", too_long, &e), &e, "password", "at most 1024 bytes", "too long");
	refused(account_check_password("alice", NULL, &e), &e, "password", "at least", "(null)");
	/* Without a name yet only the other rules apply. */
	assert_int_equal(account_check_password(NULL, "alice12345!", &e), 0);
}

static void test_display_names(void **state)
{
	(void)state;
	struct field_error e = { 0 };
	assert_int_equal(account_check_display_name("", &e), 0);
	assert_int_equal(account_check_display_name(NULL, &e), 0);
	assert_int_equal(account_check_display_name("Alice Liddell", &e), 0);
	assert_int_equal(account_check_display_name("Zo\xc3\xab \xe6\x9d\x8e", &e), 0);
	refused(account_check_display_name("line\nbreak", &e), &e, "display_name", "control characters", "newline");
	char big[ACCOUNT_DISPLAY_NAME_MAX + 2];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	refused(account_check_display_name(big, &e), &e, "display_name", "at most 128 bytes", "too long");
}

static void test_aliases(void **state)
{
	(void)state;
	struct account a = { .name = "alice" };
	struct field_error e;
	assert_int_equal(account_add_alias(&a, "aliases[0]", "postmaster", &e), 0); /* role names are fine */
	assert_int_equal(account_add_alias(&a, "aliases[1]", "al", &e), 0);
	assert_int_equal(a.n_aliases, 2);
	assert_string_equal(a.aliases[1], "al");
	static const char *const bad[] = { "alice", "al", "Al", "1al", "al-", "", "a_b",
					   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(account_add_alias(&a, "aliases[2]", bad[i], &e), -EINVAL);
		assert_string_equal(e.field, "aliases[2]");
	}
	assert_int_equal(a.n_aliases, 2);
	for (size_t i = a.n_aliases; i < ACCOUNT_ALIASES_MAX; i++) {
		char alias[16];
		snprintf(alias, sizeof(alias), "x%zu", i);
		assert_int_equal(account_add_alias(&a, "aliases[i]", alias, &e), 0);
	}
	assert_int_equal(account_add_alias(&a, "aliases[32]", "onemore", &e), -EINVAL);
	assert_string_equal(e.field, "aliases");
}

static void test_services(void **state)
{
	(void)state;
	unsigned bit, all = 0;
	const char *names[ACCOUNT_SERVICES_N];
	assert_int_equal(account_service_parse("mail", &bit), 0);
	all |= bit;
	assert_int_equal(account_service_parse("calendar", &bit), 0);
	all |= bit;
	assert_int_equal(account_service_parse("files", &bit), 0);
	all |= bit;
	assert_int_equal(all, ACCOUNT_SERVICES_ALL);
	assert_int_equal(account_service_parse("Mail", &bit), -EINVAL);
	assert_int_equal(account_service_parse("chat", &bit), -EINVAL);
	assert_int_equal(account_service_names(ACCOUNT_FILES | ACCOUNT_MAIL, names), 2);
	assert_string_equal(names[0], "mail");
	assert_string_equal(names[1], "files");
	assert_int_equal(account_service_names(0, names), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_passwords),
		cmocka_unit_test(test_display_names),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_services),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
