/* Checks shared by both ways of configuring a WireGuard device (see
 * wg_config.h). */
#include "wg_config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "common/banned.h"

void wg_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int check_peer(const struct wg_peer_config *p, size_t i, char *err, size_t errlen)
{
	if (wg_key_is_zero(p->public_key)) {
		wg_set_err(err, errlen, "peer %zu: public_key is all zero", i);
		return -EINVAL;
	}
	if (p->n_allowed > WG_ALLOWED_MAX) {
		wg_set_err(err, errlen, "peer %zu: %zu allowed IPs, at most %d", i, p->n_allowed, WG_ALLOWED_MAX);
		return -EINVAL;
	}
	if (p->keepalive_s > UINT16_MAX) {
		wg_set_err(err, errlen, "peer %zu: keepalive %u s, at most %u", i, p->keepalive_s, UINT16_MAX);
		return -EINVAL;
	}
	for (size_t j = 0; j < p->n_allowed; j++) {
		char text[CIDR_STR_MAX];
		if (p->allowed[j].prefix > 32) {
			wg_set_err(err, errlen, "peer %zu: allowed IP %zu: prefix /%u", i, j, p->allowed[j].prefix);
			return -EINVAL;
		}
		if (!cidr_host_bits_zero(&p->allowed[j])) {
			cidr_format(&p->allowed[j], text);
			wg_set_err(err, errlen, "peer %zu: allowed IP '%s' has host bits set", i, text);
			return -EINVAL;
		}
	}
	return 0;
}

int wg_config_check(const struct wg_peer_config *set, size_t n_set, const uint8_t (*remove)[WG_KEY_LEN],
		    size_t n_remove, char *err, size_t errlen)
{
	if ((n_set && !set) || (n_remove && !remove)) {
		wg_set_err(err, errlen, "no peers passed");
		return -EINVAL;
	}
	if (n_set > WG_BATCH_MAX || n_remove > WG_BATCH_MAX - n_set) {
		wg_set_err(err, errlen, "%zu peers in one request, at most %u", n_set + n_remove, WG_BATCH_MAX);
		return -E2BIG;
	}
	int r;
	for (size_t i = 0; i < n_set; i++)
		if ((r = check_peer(&set[i], i, err, errlen)) < 0)
			return r;
	for (size_t i = 0; i < n_remove; i++)
		if (wg_key_is_zero(remove[i])) {
			wg_set_err(err, errlen, "peer to remove %zu: public_key is all zero", i);
			return -EINVAL;
		}
	return 0;
}
