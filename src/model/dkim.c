/* DKIM record text (see dkim.h). */
#include "dkim.h"

#include <errno.h>
#include <stdio.h>

#include "common/banned.h"

int dkim_txt(const struct dkim_key *k, char *out, size_t len)
{
	int n = snprintf(out, len, "v=DKIM1; k=rsa; p=%s", k->public_b64);
	return n < 0 || (size_t)n >= len ? -ENOBUFS : 0;
}
