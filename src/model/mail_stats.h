/* What postfix did, counted from its log lines as picd reads them
 * (maillog_file = /dev/stdout, the service's output.log): deliveries
 * (status=sent), deferrals (status=deferred), bounces (status=bounced),
 * and SMTP-time refusals ("NOQUEUE: reject:" and "reject:" of a queued
 * one). Counts start when picd starts. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct mail_stats {
	uint64_t delivered, deferred, bounced, rejected;
	int64_t since; /* wall clock of the first line counted's reading */
	char partial[512]; /* a line not yet ended */
	size_t partial_len;
};

/* Feeds output as it arrives (any split); counts each whole line. */
void mail_stats_feed(struct mail_stats *st, const char *data, size_t len);
