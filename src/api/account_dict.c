/* Dovecot's dict lookups of the cell's accounts (see account_dict.h). */
#include "account_dict.h"

#include <errno.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "daemon.h"
#include "model/account.h"
#include "store/store_account.h"
#include "common/banned.h"

#define KEY_PASSDB "shared/passdb/"
#define KEY_USERDB "shared/userdb/"

static bool starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && memcmp(s, prefix, n) == 0;
}

static int reply_json(struct buf *out, json_t *doc)
{
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	int r = text ? buf_printf(out, "O%s\n", text) : -ENOMEM;
	if (text) {
		sodium_memzero(text, strlen(text));
		free(text);
	}
	json_decref(doc);
	return r;
}

static int lookup(struct store *s, const char *key, size_t len, struct buf *out)
{
	bool passdb = starts(key, len, KEY_PASSDB);
	if (!passdb && !starts(key, len, KEY_USERDB))
		return buf_printf(out, "N\n");
	size_t skip = strlen(passdb ? KEY_PASSDB : KEY_USERDB);
	char name[ACCOUNT_NAME_MAX + 1];
	if (len - skip == 0 || len - skip > ACCOUNT_NAME_MAX || memchr(key + skip, '\0', len - skip))
		return buf_printf(out, "N\n");
	memcpy(name, key + skip, len - skip);
	name[len - skip] = '\0';
	struct account a;
	int r = store_account_get(s, name, &a);
	if (r == -ENOENT || (r == 0 && (!(a.services & ACCOUNT_MAIL) || (passdb && a.disabled)))) {
		sodium_memzero(&a, sizeof(a));
		return buf_printf(out, "N\n");
	}
	if (r < 0)
		return buf_printf(out, "Fthe cell's store cannot be read\n");
	char value[ACCOUNT_HASH_MAX + 32];
	if (passdb)
		snprintf(value, sizeof(value), "{BLF-CRYPT}%s", a.password_hash);
	else
		snprintf(value, sizeof(value), "*:storage=%uM", (unsigned)a.mail_quota_mb);
	sodium_memzero(&a, sizeof(a));
	r = reply_json(out, json_pack("{s:s}", passdb ? "password" : "quota_rule", value));
	sodium_memzero(value, sizeof(value));
	return r;
}

int account_dict_answer(struct store *s, const char *request, size_t len, struct buf *out)
{
	if (len == 0)
		return -EINVAL;
	if (request[0] == 'H')
		return 0;
	if (request[0] != 'L')
		return buf_printf(out, "Fonly lookups are served\n");
	const char *tab = memchr(request + 1, '\t', len - 1);
	return lookup(s, request + 1, tab ? (size_t)(tab - request - 1) : len - 1, out);
}

/* A line, without its newline. */
static ssize_t parse_line(const char *in, size_t len, size_t max, const char **req, size_t *req_len)
{
	const char *nl = memchr(in, '\n', len < max + 1 ? len : max + 1);
	if (!nl)
		return len > max ? -EINVAL : -EAGAIN;
	*req = in;
	*req_len = (size_t)(nl - in);
	return (ssize_t)(*req_len + 1);
}

static int dict_answer(struct daemon *d, const char *req, size_t len, struct buf *out)
{
	return account_dict_answer(d->store, req, len, out);
}

const struct lookup_server_ops account_dict_ops = {
	.name = "account dict",
	.request_max = ACCOUNT_DICT_REQUEST_MAX,
	.parse = parse_line,
	.answer = dict_answer,
};
