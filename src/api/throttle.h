/* Failed-attempt throttling per client address (login): at most
 * `max_failures` failures in a sliding `window_s`; past that the client is
 * refused until its oldest counted failure leaves the window. Bounded
 * memory: a fixed table; when full, the entry idle longest is reused. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define THROTTLE_KEY_MAX 64
#define THROTTLE_MAX_FAILURES 16

struct throttle;

int throttle_new(unsigned slots, unsigned max_failures, unsigned window_s, struct throttle **ret);
void throttle_free(struct throttle *t);

/* True when `key` may try now; otherwise false and *ret_retry_after_s is
 * the number of seconds (>= 1) until it may. */
bool throttle_allowed(struct throttle *t, const char *key, int64_t now_s, unsigned *ret_retry_after_s);
void throttle_record_failure(struct throttle *t, const char *key, int64_t now_s);
/* A success forgets the key's failures. */
void throttle_reset(struct throttle *t, const char *key);

/* For attempts checked while others are in progress (argon2id off the
 * loop): an attempt counts from its begin, as if it were going to fail,
 * so a burst of parallel attempts cannot pass the limit while the first
 * ones are still being checked. True when `key` may try now (the attempt
 * is then in flight until throttle_end); otherwise false and
 * *ret_retry_after_s (1 when only attempts in flight are in the way).
 * throttle_end records the outcome: a failure as throttle_record_failure,
 * a success as throttle_reset (attempts still in flight stay counted). */
bool throttle_begin(struct throttle *t, const char *key, int64_t now_s, unsigned *ret_retry_after_s);
void throttle_end(struct throttle *t, const char *key, int64_t now_s, bool failed);
/* An attempt begun but never checked: neither a failure nor a success. */
void throttle_cancel(struct throttle *t, const char *key);
