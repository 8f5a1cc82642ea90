/* The mail daemons' configs: for fixed inputs main.cf, master.cf and
 * dovecot.conf are the golden files in tests/golden/mail/ (checked by
 * `postfix check` and `doveconf -n` in golden-check); they listen on the
 * mail address, hand mail and logins between them on loopback, ask picd's
 * socketmap for the cell's addresses and dovecot picd's dict for its
 * accounts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "model/config.h"
#include "net/netplan.h"
#include "svc/svc_dovecot.h"
#include "svc/svc_opendkim.h"
#include "svc/svc_postfix.h"
#include "golden.h"
#include "common/banned.h"

static const struct dkim_key key = { .selector = "p1765100000", .public_b64 = "MIIB" };

/* `extra`'s email and email_domains go into the input (NULL: none). */
static char *render_with(const struct cell_config *c, const struct svc_input *extra,
			 int (*fn)(const struct svc_input *, struct buf *))
{
	struct netplan *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	const char *names[] = { "mail" };
	assert_int_equal(netplan_build(c, "/run/pic-test", names, 1, p), 0);
	struct svc_input in = { .cell = c, .net = netplan_find(p, "mail"), .dkim = &key,
				.email = extra ? extra->email : NULL, .email_domains = extra ? extra->email_domains : NULL };
	struct buf b;
	buf_init(&b, GOLDEN_MAX);
	assert_int_equal(fn(&in, &b), 0);
	free(p);
	return buf_steal(&b);
}

static char *render(const struct cell_config *c, int (*fn)(const struct svc_input *, struct buf *))
{
	return render_with(c, NULL, fn);
}

static void test_postfix(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	char *text = render(&c, svc_postfix_render);
	golden_check("tests/golden/mail/main.cf", text);
	assert_non_null(strstr(text, "\ninet_interfaces = all\n"));
	assert_non_null(strstr(text, "\nvirtual_mailbox_domains = socketmap:unix:/run/pic/maps.sock:domain\n"));
	assert_non_null(strstr(text, "socketmap:unix:/run/pic/maps.sock:mailbox\n"));
	assert_non_null(strstr(text, "\nvirtual_transport = lmtp:inet:127.0.0.1:24\n"));
	assert_non_null(strstr(text, "\nsmtpd_sasl_path = inet:127.0.0.1:12345\n"));
	assert_non_null(strstr(text, "\nsmtpd_milters = inet:127.0.0.1:8891\n"));
	assert_non_null(strstr(text, "\nmilter_default_action = accept\n"));
	assert_non_null(strstr(text, "\nsmtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, "
					 "reject_unauth_destination\n"));
	free(text);
	golden_check("tests/golden/mail/master.cf", svc_postfix_master_cf);
	assert_non_null(strstr(svc_postfix_master_cf, "\nsubmission inet"));
	assert_non_null(strstr(svc_postfix_master_cf, "smtpd_sender_restrictions=reject_sender_login_mismatch"));
}

/* Through a relay host with a login: over TLS only, the password asked of
 * picd (never in the file). */
static void test_postfix_relay(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	struct email_settings e = { .relay = true, .relay_host = "smtp.example.net", .relay_port = 587,
				    .relay_username = "me", .relay_password = "secret-pw" };
	struct svc_input extra = { .email = &e };
	char *text = render_with(&c, &extra, svc_postfix_render);
	golden_check("tests/golden/mail/relay/main.cf", text);
	assert_non_null(strstr(text, "\nrelayhost = [smtp.example.net]:587\n"));
	assert_non_null(strstr(text, "\nsmtp_sasl_password_maps = socketmap:unix:/run/pic/maps.sock:relay\n"));
	assert_non_null(strstr(text, "\nsmtp_tls_security_level = encrypt\n"));
	assert_null(strstr(text, "secret-pw"));
	free(text);
	/* Without a login: no SASL, TLS when offered. */
	e.relay_username[0] = e.relay_password[0] = '\0';
	text = render_with(&c, &extra, svc_postfix_render);
	assert_null(strstr(text, "smtp_sasl"));
	assert_non_null(strstr(text, "\nsmtp_tls_security_level = may\n"));
	free(text);
}

static void test_dovecot(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	snprintf(c.cell_name, sizeof(c.cell_name), "home");
	char *text = render(&c, svc_dovecot_render);
	golden_check("tests/golden/mail/dovecot.conf", text);
	assert_non_null(strstr(text, "\nlisten = 172.20.0.7\n"));
	assert_non_null(strstr(text, "postmaster_address = postmaster@home.cell\n"));
	assert_non_null(strstr(text, "  driver = dict\n  args = /run/pic/accounts.conf.ext\n"));
	free(text);
	golden_check("tests/golden/mail/accounts.conf.ext", svc_dovecot_dict_conf);
	assert_non_null(strstr(svc_dovecot_dict_conf, "uri = proxy:/run/pic/accounts.sock:accounts\n"));
}

static void test_opendkim(void **state)
{
	struct cell_config c;
	config_defaults(&c);
	char *text = render(&c, svc_opendkim_render);
	golden_check("tests/golden/mail/opendkim.conf", text);
	assert_non_null(strstr(text, "\nSocket inet:8891@127.0.0.1\n"));
	assert_non_null(strstr(text, "\nSelector p1765100000\nKeyFile /run/pic/keys/p1765100000.private\n"));
	assert_non_null(strstr(text, "\nInternalHosts 127.0.0.1\n"));
	free(text);
	/* Extra mail domains are signed for with the same key. */
	struct email_domains domains = { .n = 2, .names = { "example.org", "example.net" } };
	struct svc_input extra = { .email_domains = &domains };
	text = render_with(&c, &extra, svc_opendkim_render);
	assert_non_null(strstr(text, "\nDomain mycell.cell,example.org,example.net\n"));
	free(text);
	/* No key yet: the service stays off. */
	struct svc_input in = { .cell = &c };
	assert_false(svc_opendkim_ops.enabled(&in));
	in.dkim = &key;
	assert_true(svc_opendkim_ops.enabled(&in));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_postfix),
		cmocka_unit_test(test_postfix_relay),
		cmocka_unit_test(test_dovecot),
		cmocka_unit_test(test_opendkim),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
