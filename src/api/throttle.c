/* Fixed-size table of recent failure times per key. */
#include "throttle.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

struct throttle_entry {
	bool used;
	char key[THROTTLE_KEY_MAX]; /* truncated like every lookup key */
	unsigned n;                            /* failures recorded */
	int64_t at[THROTTLE_MAX_FAILURES];     /* ring of failure times */
	unsigned head;                         /* next slot to write */
	int64_t last;
	unsigned in_flight;                    /* attempts begun, not yet ended */
};

struct throttle {
	unsigned slots, max_failures, window_s;
	struct throttle_entry *entries;
};

int throttle_new(unsigned slots, unsigned max_failures, unsigned window_s, struct throttle **ret)
{
	if (slots == 0 || max_failures == 0 || max_failures > THROTTLE_MAX_FAILURES)
		return -EINVAL;
	struct throttle *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->entries = calloc(slots, sizeof(*t->entries));
	if (!t->entries) {
		free(t);
		return -ENOMEM;
	}
	t->slots = slots;
	t->max_failures = max_failures;
	t->window_s = window_s;
	*ret = t;
	return 0;
}

void throttle_free(struct throttle *t)
{
	if (!t)
		return;
	free(t->entries);
	free(t);
}

static struct throttle_entry *find(struct throttle *t, const char *key)
{
	for (unsigned i = 0; i < t->slots; i++)
		if (t->entries[i].used && strncmp(t->entries[i].key, key, THROTTLE_KEY_MAX - 1) == 0)
			return &t->entries[i];
	return NULL;
}

/* Failures of `e` still inside the window; the oldest of them in *oldest. */
static unsigned recent(const struct throttle *t, const struct throttle_entry *e, int64_t now,
		       int64_t *oldest)
{
	unsigned count = 0;
	*oldest = INT64_MAX;
	unsigned kept = e->n < t->max_failures ? e->n : t->max_failures;
	for (unsigned i = 0; i < kept; i++) {
		int64_t at = e->at[i];
		if (now - at < (int64_t)t->window_s) {
			count++;
			if (at < *oldest)
				*oldest = at;
		}
	}
	return count;
}

bool throttle_allowed(struct throttle *t, const char *key, int64_t now_s, unsigned *ret_retry_after_s)
{
	struct throttle_entry *e = find(t, key);
	if (!e)
		return true;
	int64_t oldest;
	if (recent(t, e, now_s, &oldest) < t->max_failures)
		return true;
	int64_t wait = oldest + (int64_t)t->window_s - now_s;
	*ret_retry_after_s = wait < 1 ? 1 : (unsigned)wait;
	return false;
}

static struct throttle_entry *find_or_add(struct throttle *t, const char *key, int64_t now_s)
{
	struct throttle_entry *e = find(t, key);
	if (!e) {
		/* A free slot, else the one idle longest, preferring one
		 * with no attempt in flight. */
		e = &t->entries[0];
		for (unsigned i = 0; i < t->slots; i++) {
			struct throttle_entry *c = &t->entries[i];
			if (!c->used) {
				e = c;
				break;
			}
			if ((c->in_flight == 0 && e->in_flight > 0) ||
			    ((c->in_flight == 0) == (e->in_flight == 0) && c->last < e->last))
				e = c;
		}
		memset(e, 0, sizeof(*e));
		e->used = true;
		snprintf(e->key, sizeof(e->key), "%s", key);
		e->last = now_s;
	}
	return e;
}

void throttle_record_failure(struct throttle *t, const char *key, int64_t now_s)
{
	struct throttle_entry *e = find_or_add(t, key, now_s);
	e->at[e->head] = now_s;
	e->head = (e->head + 1) % t->max_failures;
	e->n++;
	e->last = now_s;
}

void throttle_reset(struct throttle *t, const char *key)
{
	struct throttle_entry *e = find(t, key);
	if (!e)
		return;
	if (e->in_flight == 0) {
		memset(e, 0, sizeof(*e));
		return;
	}
	/* Other attempts are still being checked: keep counting them. */
	e->n = 0;
	e->head = 0;
}

bool throttle_begin(struct throttle *t, const char *key, int64_t now_s, unsigned *ret_retry_after_s)
{
	struct throttle_entry *e = find(t, key);
	if (e) {
		int64_t oldest;
		unsigned failed = recent(t, e, now_s, &oldest);
		if (failed >= t->max_failures) {
			int64_t wait = oldest + (int64_t)t->window_s - now_s;
			*ret_retry_after_s = wait < 1 ? 1 : (unsigned)wait;
			return false;
		}
		if (failed + e->in_flight >= t->max_failures) {
			/* The attempts in flight may all fail: until they are
			 * known, no more. They end within a second. */
			*ret_retry_after_s = 1;
			return false;
		}
	}
	e = find_or_add(t, key, now_s);
	e->in_flight++;
	e->last = now_s;
	return true;
}

void throttle_cancel(struct throttle *t, const char *key)
{
	struct throttle_entry *e = find(t, key);
	if (e && e->in_flight > 0)
		e->in_flight--;
}

void throttle_end(struct throttle *t, const char *key, int64_t now_s, bool failed)
{
	throttle_cancel(t, key);
	if (failed)
		throttle_record_failure(t, key, now_s);
	else
		throttle_reset(t, key);
}
