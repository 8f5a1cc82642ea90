/* /api/auth/tokens: bearer tokens for scripts. A token is shown once, at
 * creation; only its hash is kept. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api_body.h"
#include "common/log.h"
#include "common/secret.h"
#include "common/strparse.h"
#include "daemon.h"
#include "handlers.h"
#include "store/store_token.h"
#include "common/banned.h"

#define TOKEN_PREFIX "pic_"

static bool token_name_valid(const char *s)
{
	for (; *s; s++) {
		char c = *s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '_' || c == '.' || c == ' ';
		if (!ok)
			return false;
	}
	return true;
}

static json_t *token_json(const struct api_token *t)
{
	return json_pack("{s:I, s:s, s:I, s:o}", "id", (json_int_t)t->id, "name", t->name, "created_at",
			 (json_int_t)t->created_at, "last_used_at",
			 t->last_used_at ? json_integer(t->last_used_at) : json_null());
}

HANDLER(api_tokens_create)
{
	static const char *const allowed[] = { "name", NULL };
	const char *name;
	if (api_body_object(req, res, allowed) < 0 ||
	    api_body_string(req, res, "name", TOKEN_NAME_MAX, true, &name) < 0)
		return 0;
	if (!token_name_valid(name))
		return http_error(res, 400, "invalid_field", "name",
				  "name may contain only letters, digits, spaces, '.', '_' and '-'");

	int n = store_token_count(d->store, req->auth.user_id);
	if (n < 0)
		return n;
	if (n >= TOKENS_MAX)
		return http_error(res, 409, "limit_reached", NULL,
				  "at most %d API tokens; revoke one first", TOKENS_MAX);

	char token[96], hash[SECRET_HASH_HEX_LEN + 1];
	int r = secret_random_token(TOKEN_PREFIX, 32, token, sizeof(token));
	if (r < 0)
		return r;
	secret_hash_hex(token, hash);
	int64_t now = time(NULL), id;
	r = store_token_create(d->store, name, hash, req->auth.user_id, now, &id);
	if (r < 0) {
		sodium_memzero(token, sizeof(token));
		return r;
	}
	log_info("API token %lld '%s' created by '%s'", (long long)id, name, req->auth.username);
	json_t *doc = json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)id, "name", name, "token", token,
				"created_at", (json_int_t)now);
	sodium_memzero(token, sizeof(token));
	http_response_header(res, "Location", "/api/auth/tokens/%lld", (long long)id);
	return http_reply(res, 201, doc);
}

HANDLER(api_tokens_list)
{
	struct api_token list[TOKENS_MAX];
	int n = store_token_list(d->store, req->auth.user_id, list, TOKENS_MAX);
	if (n < 0)
		return n;
	json_t *a = json_array();
	for (int i = 0; a && i < n; i++)
		json_array_append_new(a, token_json(&list[i]));
	return http_reply(res, 200, json_pack("{s:o}", "tokens", a));
}

HANDLER(api_tokens_delete)
{
	uint64_t id;
	if (parse_u64(req->params[0], 1, INT64_MAX, &id) < 0)
		return http_error(res, 400, "invalid_field", "id", "id must be a positive integer");
	int r = store_token_delete(d->store, req->auth.user_id, (int64_t)id);
	if (r == -ENOENT)
		return http_error(res, 404, "not_found", "id", "no API token with id %llu",
				  (unsigned long long)id);
	if (r < 0)
		return r;
	log_info("API token %llu revoked by '%s'", (unsigned long long)id, req->auth.username);
	return http_reply(res, 204, NULL);
}
