/* The cell's DKIM key as the renderers see it: the selector opendkim
 * signs with and the public half published at
 * <selector>._domainkey.<zone>. */
#pragma once

#include <stddef.h>

#define DKIM_SELECTOR_MAX 32
#define DKIM_PUBLIC_MAX 1024 /* base64 of an RSA-2048 SubjectPublicKeyInfo is 392 */

struct dkim_key {
	char selector[DKIM_SELECTOR_MAX + 1];
	char public_b64[DKIM_PUBLIC_MAX + 1];
};

/* The DKIM TXT record's text: "v=DKIM1; k=rsa; p=<public>". */
int dkim_txt(const struct dkim_key *k, char *out, size_t len);
/* The DMARC policy published at _dmarc.<zone>. */
#define DKIM_DMARC_TXT "v=DMARC1; p=quarantine; adkim=r; aspf=r"
