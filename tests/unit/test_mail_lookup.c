/* The mail service's settings and picd's answers to postfix: relay and
 * domain rules, and the socketmap's answers from a real store — the cell
 * zone's and the extra domains' addresses reach their accounts (names,
 * aliases, +details), disabled ones still receive, accounts without mail
 * have no address, the relay's login only for its own key. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "api/mail_lookup.h"
#include "model/email.h"
#include "store/store_account.h"
#include "store/store_email.h"
#include "store_fixture.h"
#include "common/banned.h"

#define ZONE "mycell.cell"

static void test_relay_rules(void **state)
{
	struct email_settings e = { .relay = true, .relay_host = "smtp.example.net", .relay_port = 587 };
	struct field_error fe;
	assert_int_equal(email_relay_check(&e, &fe), 0);
	snprintf(e.relay_host, sizeof(e.relay_host), "10.0.0.300");
	assert_int_equal(email_relay_check(&e, &fe), -EINVAL);
	assert_string_equal(fe.field, "relay.host");
	snprintf(e.relay_host, sizeof(e.relay_host), "smtp.example.net");
	snprintf(e.relay_username, sizeof(e.relay_username), "me");
	assert_int_equal(email_relay_check(&e, &fe), -EINVAL);
	assert_string_equal(fe.field, "relay.password");
	snprintf(e.relay_password, sizeof(e.relay_password), "pw\x01");
	assert_int_equal(email_relay_check(&e, &fe), -EINVAL);
	assert_string_equal(fe.field, "relay.password");
	snprintf(e.relay_password, sizeof(e.relay_password), "pässwörd");
	assert_int_equal(email_relay_check(&e, &fe), 0);
	snprintf(e.relay_username, sizeof(e.relay_username), "a:b");
	assert_int_equal(email_relay_check(&e, &fe), -EINVAL);
	assert_string_equal(fe.field, "relay.username");
	e.relay_port = 0;
	snprintf(e.relay_username, sizeof(e.relay_username), "me");
	assert_int_equal(email_relay_check(&e, &fe), -EINVAL);
	assert_string_equal(fe.field, "relay.port");
}

static void test_domain_rules(void **state)
{
	char out[NAME_MAX_LEN + 1];
	struct field_error fe;
	assert_int_equal(email_domain_check("Example.ORG", ZONE, out, &fe), 0);
	assert_string_equal(out, "example.org");
	assert_int_equal(email_domain_check("localhost", ZONE, out, &fe), -EINVAL);
	assert_int_equal(email_domain_check("mycell.cell", ZONE, out, &fe), -EINVAL);
	assert_int_equal(email_domain_check("sub.MyCell.cell", ZONE, out, &fe), -EINVAL);
	assert_int_equal(email_domain_check("bad_name.org", ZONE, out, &fe), -EINVAL);
	assert_string_equal(fe.field, "domain");
	assert_int_equal(email_domain_check("notmycell.cell", ZONE, out, &fe), 0);
	struct email_domains d = { .n = 1, .names = { "example.org" } };
	assert_true(email_domain_is_ours(&d, ZONE, "EXAMPLE.org", 11));
	assert_true(email_domain_is_ours(&d, ZONE, "mycell.cell", 11));
	assert_false(email_domain_is_ours(&d, ZONE, "example.net", 11));
}

static void ask(struct store *s, const char *req, const char *want)
{
	struct buf b;
	buf_init(&b, 1024);
	assert_int_equal(mail_lookup_answer(s, ZONE, req, strlen(req), &b), 0);
	assert_non_null(b.data);
	if (strncmp(b.data, want, b.len) != 0 || strlen(want) != b.len)
		fail_msg("%s: got '%.*s', want '%s'", req, (int)b.len, b.data, want);
	buf_free(&b);
}

static void test_answers(void **state)
{
	struct store_fixture *f = *state;
	struct account a = { .services = ACCOUNT_SERVICES_ALL, .password_hash = "$2b$10$x" };
	snprintf(a.name, sizeof(a.name), "alice");
	snprintf(a.aliases[0], sizeof(a.aliases[0]), "info");
	a.n_aliases = 1;
	assert_int_equal(store_account_create(f->s, &a, 1), 0);
	struct account b = { .services = ACCOUNT_CALENDAR, .password_hash = "$2b$10$y" };
	snprintf(b.name, sizeof(b.name), "bob");
	assert_int_equal(store_account_create(f->s, &b, 1), 0);
	struct account c = { .services = ACCOUNT_MAIL, .disabled = true, .password_hash = "$2b$10$z" };
	snprintf(c.name, sizeof(c.name), "carol");
	assert_int_equal(store_account_create(f->s, &c, 1), 0);

	ask(f->s, "domain mycell.cell", "OK mycell.cell");
	ask(f->s, "domain example.org", "NOTFOUND ");
	ask(f->s, "mailbox alice@mycell.cell", "OK alice/");
	ask(f->s, "mailbox Alice+lists@MyCell.Cell", "OK alice/");
	ask(f->s, "mailbox info@mycell.cell", "NOTFOUND ");
	ask(f->s, "alias info@mycell.cell", "OK alice@mycell.cell");
	ask(f->s, "alias alice@mycell.cell", "NOTFOUND ");
	ask(f->s, "sender info@mycell.cell", "OK alice,alice@mycell.cell");
	ask(f->s, "mailbox bob@mycell.cell", "NOTFOUND ");   /* no mail */
	ask(f->s, "mailbox carol@mycell.cell", "OK carol/"); /* disabled: still receives */
	ask(f->s, "mailbox alice@example.org", "NOTFOUND ");
	ask(f->s, "mailbox @mycell.cell", "NOTFOUND ");
	ask(f->s, "mailbox +x@mycell.cell", "NOTFOUND ");
	ask(f->s, "nosuchmap alice@mycell.cell", "PERM no such map");
	ask(f->s, "nospace", "PERM the request is \"<map> <key>\"");

	assert_int_equal(store_email_domain_add(f->s, "example.org", 2), 0);
	assert_int_equal(store_email_domain_add(f->s, "example.org", 2), -EEXIST);
	ask(f->s, "domain example.org", "OK example.org");
	ask(f->s, "mailbox alice@example.org", "OK alice/");
	ask(f->s, "alias info@example.org", "OK alice@mycell.cell");
	ask(f->s, "sender alice@example.org", "OK alice,alice@mycell.cell");
	assert_int_equal(store_email_domain_delete(f->s, "example.org"), 0);
	assert_int_equal(store_email_domain_delete(f->s, "example.org"), -ENOENT);
	ask(f->s, "mailbox alice@example.org", "NOTFOUND ");

	/* The relay's login: for its own key only. */
	ask(f->s, "relay [smtp.example.net]:587", "NOTFOUND ");
	struct email_settings e = { .relay = true, .relay_host = "smtp.example.net", .relay_port = 587,
				    .relay_username = "me", .relay_password = "secret" };
	assert_int_equal(store_email_save(f->s, &e), 0);
	ask(f->s, "relay [smtp.example.net]:587", "OK me:secret");
	ask(f->s, "relay [other.example.net]:587", "NOTFOUND ");
	ask(f->s, "relay [smtp.example.net]:25", "NOTFOUND ");
	struct email_settings back;
	assert_int_equal(store_email_load(f->s, &back), 0);
	assert_true(back.relay);
	assert_string_equal(back.relay_password, "secret");
	e.relay = false;
	assert_int_equal(store_email_save(f->s, &e), 0);
	assert_int_equal(store_email_load(f->s, &back), 0);
	assert_false(back.relay);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relay_rules),
		cmocka_unit_test(test_domain_rules),
		cmocka_unit_test_setup_teardown(test_answers, store_fixture_setup, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
