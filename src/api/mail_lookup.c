/* socketmap answers (see mail_lookup.h). */
#include "mail_lookup.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "common/netstring.h"
#include "daemon.h"
#include "model/account.h"
#include "store/store_account.h"
#include "store/store_email.h"
#include "svc/svc_postfix.h"
#include "common/banned.h"

/* Splits "<local>[+detail]@<domain>" (any case) into a lower-case local
 * part; false for a domain not the cell's (the zone or an extra one), an
 * empty or over-long local part, no '@'. The detail is the owner's to
 * use (alice+lists@ is alice's). */
static bool cell_local_part(const char *key, size_t len, const char *zone, const struct email_domains *domains,
			    char local[ACCOUNT_NAME_MAX + 1])
{
	const char *at = memchr(key, '@', len);
	if (!at || at == key || (size_t)(at - key) > ACCOUNT_NAME_MAX)
		return false;
	if (!email_domain_is_ours(domains, zone, at + 1, len - (size_t)(at + 1 - key)))
		return false;
	const char *plus = memchr(key, '+', (size_t)(at - key));
	size_t n = (size_t)((plus ? plus : at) - key);
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = key[i];
		local[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	local[n] = '\0';
	return true;
}

static int answer_for(const char *map, size_t map_len, const struct account_owner *o, const char *zone,
		      struct buf *reply)
{
#define IS(name) (map_len == strlen(name) && memcmp(map, name, map_len) == 0)
	if (IS(SVC_POSTFIX_MAP_MAILBOX))
		return o && !o->alias ? buf_printf(reply, "OK %s/", o->name) : buf_printf(reply, "NOTFOUND ");
	if (IS(SVC_POSTFIX_MAP_ALIAS))
		return o && o->alias ? buf_printf(reply, "OK %s@%s", o->name, zone) : buf_printf(reply, "NOTFOUND ");
	if (IS(SVC_POSTFIX_MAP_SENDER))
		return o ? buf_printf(reply, "OK %s,%s@%s", o->name, o->name, zone) : buf_printf(reply, "NOTFOUND ");
#undef IS
	return buf_printf(reply, "PERM no such map");
}

/* The relay's login for postfix's smtp client: key "[host]:port" as
 * main.cf names the relay. */
static int relay_answer(struct store *s, const char *key, size_t key_len, struct buf *reply)
{
	struct email_settings e;
	if (store_email_load(s, &e) < 0)
		return buf_printf(reply, "TEMP the cell's store cannot be read");
	char want[NAME_MAX_LEN + 16];
	int n = snprintf(want, sizeof(want), "[%s]:%u", e.relay_host, (unsigned)e.relay_port);
	int r = e.relay && e.relay_username[0] && n > 0 && (size_t)n == key_len && strncasecmp(key, want, key_len) == 0
			? buf_printf(reply, "OK %s:%s", e.relay_username, e.relay_password)
			: buf_printf(reply, "NOTFOUND ");
	sodium_memzero(&e, sizeof(e));
	return r;
}

int mail_lookup_answer(struct store *s, const char *zone, const char *request, size_t len, struct buf *reply)
{
	const char *space = memchr(request, ' ', len);
	if (!space || space == request || memchr(request, '\0', len))
		return buf_printf(reply, "PERM the request is \"<map> <key>\"");
	const char *key = space + 1;
	size_t map_len = (size_t)(space - request), key_len = len - map_len - 1;
	if (map_len == strlen(SVC_POSTFIX_MAP_RELAY) && memcmp(request, SVC_POSTFIX_MAP_RELAY, map_len) == 0)
		return relay_answer(s, key, key_len, reply);
	struct email_domains domains;
	if (store_email_domains_load(s, &domains) < 0)
		return buf_printf(reply, "TEMP the cell's store cannot be read");
	if (map_len == strlen(SVC_POSTFIX_MAP_DOMAIN) && memcmp(request, SVC_POSTFIX_MAP_DOMAIN, map_len) == 0)
		return email_domain_is_ours(&domains, zone, key, key_len) ? buf_printf(reply, "OK %.*s", (int)key_len, key)
									    : buf_printf(reply, "NOTFOUND ");
	char local[ACCOUNT_NAME_MAX + 1];
	struct account_owner owner;
	bool found = false;
	if (cell_local_part(key, key_len, zone, &domains, local)) {
		int r = store_account_mail_owner(s, local, &owner);
		if (r < 0 && r != -ENOENT)
			return buf_printf(reply, "TEMP the cell's store cannot be read");
		found = r == 0 && (owner.services & ACCOUNT_MAIL);
	}
	return answer_for(request, map_len, found ? &owner : NULL, zone, reply);
}

static int maps_answer(struct daemon *d, const char *req, size_t len, struct buf *out)
{
	char zone[CONFIG_ZONE_MAX + 1];
	struct buf reply;
	buf_init(&reply, 1024); /* a relay login is up to 2 * 255 bytes */
	int r = config_zone(&d->config, zone, sizeof(zone)) < 0 ? -ENAMETOOLONG : 0;
	if (r == 0)
		r = mail_lookup_answer(d->store, zone, req, len, &reply);
	if (r == 0)
		r = netstring_append(out, reply.data, reply.len);
	buf_free(&reply);
	return r;
}

const struct lookup_server_ops mail_maps_ops = {
	.name = "mail maps",
	.request_max = MAIL_LOOKUP_REQUEST_MAX,
	.parse = netstring_parse,
	.answer = maps_answer,
};
