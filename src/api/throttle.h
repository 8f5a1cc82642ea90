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
