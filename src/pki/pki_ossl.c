/* OpenSSL error text and ASN.1 time conversion for the pki module. */
#include "pki_ossl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include <openssl/err.h>

#include "common/banned.h"

__attribute__((format(printf, 4, 0))) static void vformat(char *err, size_t errlen, const char *reason,
							  const char *fmt, va_list ap)
{
	if (!err || errlen == 0)
		return;
	int n = vsnprintf(err, errlen, fmt, ap);
	/* Truncation is accepted here: see the header. */
	if (n < 0) {
		err[0] = '\0';
		return;
	}
	size_t used = (size_t)n < errlen ? (size_t)n : errlen - 1;
	if (reason && used < errlen - 1)
		snprintf(err + used, errlen - used, ": %s", reason);
}

void pki_ossl_err(char *err, size_t errlen, const char *fmt, ...)
{
	unsigned long code = ERR_peek_last_error();
	const char *reason = code ? ERR_reason_error_string(code) : NULL;
	va_list ap;
	va_start(ap, fmt);
	vformat(err, errlen, reason ? reason : "unknown OpenSSL error", fmt, ap);
	va_end(ap);
	ERR_clear_error();
}

void pki_ossl_msg(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vformat(err, errlen, NULL, fmt, ap);
	va_end(ap);
	ERR_clear_error();
}

int pki_ossl_time_set(ASN1_TIME *t, int64_t when)
{
	if (when < 0 || when > PKI_TIME_MAX)
		return -ERANGE;
	if (!ASN1_TIME_set(t, (time_t)when)) {
		ERR_clear_error();
		return -EIO;
	}
	return 0;
}

int pki_ossl_time_get(const ASN1_TIME *t, int64_t *ret_when)
{
	struct tm tm;
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1) {
		ERR_clear_error();
		return -EBADMSG;
	}
	time_t when = timegm(&tm);
	if (when == (time_t)-1)
		return -EBADMSG;
	*ret_when = (int64_t)when;
	return 0;
}
