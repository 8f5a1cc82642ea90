/* Pattern matching for the route table. */
#include "router.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/banned.h"

#define ROUTER_MAX_SEGMENTS 8

static bool is_param(const char *seg, size_t len)
{
	return len >= 3 && seg[0] == '{' && seg[len - 1] == '}';
}

/* Compares `pattern` with `path`. On a match returns a specificity score
 * (one bit per segment, set for literals, most significant first) and
 * fills `m`'s parameters; -1 otherwise. */
static long match_one(const char *pattern, const char *path, struct router_match *m)
{
	long score = 0;
	unsigned n_params = 0;
	const char *p = pattern, *q = path;
	int depth = 0;

	while (*p == '/' && *q == '/') {
		p++;
		q++;
		size_t plen = strcspn(p, "/"), qlen = strcspn(q, "/");
		if (++depth > ROUTER_MAX_SEGMENTS)
			return -1;
		score <<= 1;
		if (is_param(p, plen)) {
			if (qlen == 0 || qlen >= HTTP_PARAM_MAX || n_params >= HTTP_MAX_PARAMS)
				return -1;
			if (m) {
				memcpy(m->params[n_params], q, qlen);
				m->params[n_params][qlen] = '\0';
			}
			n_params++;
		} else {
			if (plen != qlen || memcmp(p, q, plen) != 0)
				return -1;
			score |= 1;
		}
		p += plen;
		q += qlen;
	}
	if (*p != '\0' || *q != '\0')
		return -1;
	/* Shorter paths are padded so scores of equal depth compare. */
	score <<= ROUTER_MAX_SEGMENTS - depth;
	if (m)
		m->n_params = n_params;
	return score;
}

enum router_result router_match(const struct route *table, size_t n, enum http_method method,
				const char *path, struct router_match *ret)
{
	const struct route *best = NULL;
	long best_score = -1;
	bool path_known = false;
	ret->allow[0] = '\0';

	for (size_t i = 0; i < n; i++) {
		long score = match_one(table[i].pattern, path, NULL);
		if (score < 0)
			continue;
		path_known = true;
		bool method_ok = table[i].method == method ||
				 (method == HTTP_HEAD && table[i].method == HTTP_GET);
		if (method_ok && score > best_score) {
			best = &table[i];
			best_score = score;
		}
	}
	if (best) {
		ret->route = best;
		match_one(best->pattern, path, ret);
		return ROUTER_FOUND;
	}
	if (!path_known)
		return ROUTER_NOT_FOUND;

	/* The path exists with other methods: list every method some route
	 * would serve it with, for Allow. */
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		if (match_one(table[i].pattern, path, NULL) < 0)
			continue;
		const char *name = http_method_name(table[i].method);
		if (strstr(ret->allow, name))
			continue;
		int w = snprintf(ret->allow + used, sizeof(ret->allow) - used, "%s%s",
				 used ? ", " : "", name);
		if (w < 0 || (size_t)w >= sizeof(ret->allow) - used)
			break;
		used += (size_t)w;
	}
	return ROUTER_METHOD_NOT_ALLOWED;
}

/* The shape of a pattern: parameters replaced by "{}". */
static int pattern_shape(const char *pattern, char *out, size_t outlen)
{
	size_t o = 0;
	for (const char *p = pattern; *p;) {
		if (*p == '{') {
			const char *end = strchr(p, '}');
			if (!end || (end[1] != '/' && end[1] != '\0') || p[-1] != '/')
				return -EINVAL;
			if (o + 2 >= outlen)
				return -ENOBUFS;
			out[o++] = '{';
			out[o++] = '}';
			p = end + 1;
		} else {
			if (o + 1 >= outlen)
				return -ENOBUFS;
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return 0;
}

int router_check(const struct route *table, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		char a[256], b[256];
		if (table[i].pattern[0] != '/' || pattern_shape(table[i].pattern, a, sizeof(a)) < 0) {
			snprintf(err, errlen, "route %s %s: malformed pattern",
				 http_method_name(table[i].method), table[i].pattern);
			return -EINVAL;
		}
		if (!table[i].handler) {
			snprintf(err, errlen, "route %s %s: no handler",
				 http_method_name(table[i].method), table[i].pattern);
			return -EINVAL;
		}
		for (size_t j = i + 1; j < n; j++) {
			if (table[j].method != table[i].method)
				continue;
			if (pattern_shape(table[j].pattern, b, sizeof(b)) == 0 && strcmp(a, b) == 0) {
				snprintf(err, errlen, "routes %s %s and %s are ambiguous",
					 http_method_name(table[i].method), table[i].pattern, table[j].pattern);
				return -EINVAL;
			}
		}
	}
	return 0;
}
