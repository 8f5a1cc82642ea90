/* The published ports (see published.h). */
#include "published.h"

#include "common/banned.h"

const struct published published_table[] = {
	{ "dns", NULL, true, true, 1, { 53 } },
	{ "ntp", NULL, false, true, 1, { 123 } },
	{ "proxy", "webui", true, false, 2, { 80, 443 } },
	/* SMTP, submissions, submission; IMAP, IMAPS; ManageSieve. */
	{ "mail", NULL, true, false, 6, { 25, 465, 587, 143, 993, 4190 } },
};
const size_t published_table_len = sizeof(published_table) / sizeof(published_table[0]);
