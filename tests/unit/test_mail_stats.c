/* Counting postfix's log: each outcome once per line, lines split across
 * reads counted once, other daemons' and postfix's other lines not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model/mail_stats.h"
#include "common/banned.h"

static const char LOG[] =
	"Dec 07 12:29:01 smtp postfix/smtpd[1990]: connect from unknown[172.20.0.201]\n"
	"Dec 07 12:29:01 smtp postfix/lmtp[1992]: 37D2CA721BB: to=<carol@mycell.cell>, relay=127.0.0.1[127.0.0.1]:24, "
	"delay=0.04, dsn=2.0.0, status=sent (250 2.0.0 <carol@mycell.cell> Saved)\n"
	"Dec 07 12:29:02 smtp postfix/smtp[2001]: 48E2: to=<x@example.org>, relay=none, delay=30, dsn=4.4.1, "
	"status=deferred (connect to example.org: Connection timed out)\n"
	"Dec 07 12:29:03 smtp postfix/lmtp[1992]: 59F3: to=<bob@mycell.cell>, dsn=5.1.1, status=bounced (user unknown)\n"
	"Dec 07 12:29:04 smtp postfix/smtpd[1990]: NOQUEUE: reject: RCPT from unknown[172.20.0.201]: 554 5.7.1 "
	"<someone@example.org>: Relay access denied\n"
	"Dec 07 12:29:05 smtp postfix/submission/smtpd[2010]: NOQUEUE: reject: RCPT from unknown[172.20.0.202]: 553 "
	"5.7.1 <alice@mycell.cell>: Sender address rejected: not owned by user bob\n"
	"Dec 07 12:29:06 imap-login: Info: status=sent is not postfix's\n";

static void test_counts(void **state)
{
	struct mail_stats st = { 0 };
	mail_stats_feed(&st, LOG, strlen(LOG));
	assert_int_equal(st.delivered, 1);
	assert_int_equal(st.deferred, 1);
	assert_int_equal(st.bounced, 1);
	assert_int_equal(st.rejected, 2);
}

static void test_split_reads(void **state)
{
	struct mail_stats st = { 0 };
	for (size_t i = 0; i < strlen(LOG); i += 7)
		mail_stats_feed(&st, LOG + i, strlen(LOG) - i < 7 ? strlen(LOG) - i : 7);
	assert_int_equal(st.delivered, 1);
	assert_int_equal(st.rejected, 2);
	/* A line not ended yet counts once it ends. */
	const char *half = "Dec 07 smtp postfix/lmtp[1]: A: to=<a@b>, status=sent";
	mail_stats_feed(&st, half, strlen(half));
	assert_int_equal(st.delivered, 1);
	mail_stats_feed(&st, " (ok)\n", 6);
	assert_int_equal(st.delivered, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_split_reads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
