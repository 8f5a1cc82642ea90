/* Login throttling: the (max+1)th attempt inside the window is refused
 * with retry_after counted to the moment the oldest failure leaves the
 * window; the window slides over a ring of the last `max` failures; a
 * reset forgets a key; keys are independent; a full table reuses the
 * entry idle longest; attempts in flight count; bad parameters are
 * refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "api/throttle.h"
#include "common/banned.h"

#define WINDOW 60
#define MAX 5

static int setup(void **state)
{
	struct throttle *t = NULL;
	if (throttle_new(16, MAX, WINDOW, &t) != 0)
		return -1;
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	throttle_free(*state);
	return 0;
}

static bool allowed(struct throttle *t, const char *key, int64_t now, unsigned *retry)
{
	*retry = 12345;
	return throttle_allowed(t, key, now, retry);
}

static void test_blocks_after_max(void **state)
{
	struct throttle *t = *state;
	unsigned retry;
	assert_true(allowed(t, "192.0.2.1", 1000, &retry));
	assert_int_equal(retry, 12345); /* untouched when allowed */
	for (int i = 0; i < MAX; i++) {
		assert_true(allowed(t, "192.0.2.1", 1000 + i, &retry));
		throttle_record_failure(t, "192.0.2.1", 1000 + i);
	}
	/* Failures at 1000..1004: the sixth attempt waits for 1000 to age
	 * out of the window at 1060. */
	assert_false(allowed(t, "192.0.2.1", 1004, &retry));
	assert_int_equal(retry, 1000 + WINDOW - 1004);
	assert_false(allowed(t, "192.0.2.1", 1030, &retry));
	assert_int_equal(retry, 30);
	assert_false(allowed(t, "192.0.2.1", 1059, &retry));
	assert_int_equal(retry, 1);
	assert_true(allowed(t, "192.0.2.1", 1060, &retry));
	/* One more failure fills the window again. */
	throttle_record_failure(t, "192.0.2.1", 1060);
	assert_false(allowed(t, "192.0.2.1", 1060, &retry));
	assert_int_equal(retry, 1001 + WINDOW - 1060);
	/* Well after the window, free again. */
	assert_true(allowed(t, "192.0.2.1", 2000, &retry));
}

static void test_window_slides_over_ring(void **state)
{
	struct throttle *t = *state;
	unsigned retry;
	/* Seven failures ten seconds apart: only the last five count. */
	for (int i = 0; i < 7; i++)
		throttle_record_failure(t, "k", 100 + 10 * i);
	/* Counted: 120, 130, 140, 150, 160. */
	assert_false(allowed(t, "k", 165, &retry));
	assert_int_equal(retry, 120 + WINDOW - 165);
	/* At 180, 120 has left: four remain. */
	assert_true(allowed(t, "k", 180, &retry));
}

static void test_reset(void **state)
{
	struct throttle *t = *state;
	unsigned retry;
	for (int i = 0; i < MAX; i++)
		throttle_record_failure(t, "k", 10);
	assert_false(allowed(t, "k", 10, &retry));
	throttle_reset(t, "k");
	assert_true(allowed(t, "k", 10, &retry));
	/* Counting starts over. */
	for (int i = 0; i < MAX - 1; i++)
		throttle_record_failure(t, "k", 11);
	assert_true(allowed(t, "k", 11, &retry));
	throttle_record_failure(t, "k", 11);
	assert_false(allowed(t, "k", 11, &retry));
	/* Resetting an unknown key is harmless. */
	throttle_reset(t, "unknown");
}

static void test_keys_independent(void **state)
{
	struct throttle *t = *state;
	unsigned retry;
	for (int i = 0; i < MAX; i++)
		throttle_record_failure(t, "a", 50);
	throttle_record_failure(t, "b", 50);
	assert_false(allowed(t, "a", 51, &retry));
	assert_true(allowed(t, "b", 51, &retry));
	assert_true(allowed(t, "c", 51, &retry));
	/* A key that extends another is a different key. */
	assert_true(allowed(t, "ab", 51, &retry));
	throttle_reset(t, "b");
	assert_false(allowed(t, "a", 51, &retry));
}

static void test_full_table_evicts_idlest(void **state)
{
	struct throttle *t = NULL;
	unsigned retry;
	assert_int_equal(throttle_new(2, 2, 100, &t), 0);
	throttle_record_failure(t, "a", 10);
	throttle_record_failure(t, "b", 20);
	throttle_record_failure(t, "b", 21);
	throttle_record_failure(t, "a", 25);
	/* Both blocked; "b" was last seen at 21, "a" at 25. */
	assert_false(allowed(t, "a", 26, &retry));
	assert_int_equal(retry, 10 + 100 - 26);
	assert_false(allowed(t, "b", 26, &retry));
	assert_int_equal(retry, 20 + 100 - 26);

	/* A third key takes the idlest slot: "b" is forgotten. */
	throttle_record_failure(t, "c", 30);
	assert_true(allowed(t, "b", 31, &retry));
	assert_false(allowed(t, "a", 31, &retry));
	assert_int_equal(retry, 10 + 100 - 31);
	assert_true(allowed(t, "c", 31, &retry));
	throttle_record_failure(t, "c", 31);
	assert_false(allowed(t, "c", 31, &retry));
	assert_int_equal(retry, 30 + 100 - 31);
	throttle_free(t);
}

/* Keys longer than the stored key, and the empty key, are still counted:
 * lookups compare what is stored. */
static void test_long_and_empty_keys(void **state)
{
	struct throttle *t = *state;
	char long_key[200];
	memset(long_key, 'k', sizeof(long_key) - 1);
	long_key[sizeof(long_key) - 1] = '\0';
	unsigned retry;
	for (int i = 0; i < MAX; i++) {
		throttle_record_failure(t, long_key, 1000);
		throttle_record_failure(t, "", 1000);
	}
	assert_false(allowed(t, long_key, 1001, &retry));
	assert_false(allowed(t, "", 1001, &retry));
	assert_true(allowed(t, "other", 1001, &retry));
}

/* Attempts in flight count as failures to come: with three failures,
 * two attempts may begin and a third waits (1 s) until one ends; a
 * success forgets the failures but keeps counting the other attempt in
 * flight; a cancelled attempt counts for nothing. */
static void test_in_flight_attempts_count(void **state)
{
	struct throttle *t = *state;
	unsigned retry = 0;
	for (int i = 0; i < 3; i++)
		throttle_record_failure(t, "k", 1000);
	assert_true(throttle_begin(t, "k", 1001, &retry));
	assert_true(throttle_begin(t, "k", 1001, &retry));
	assert_false(throttle_begin(t, "k", 1001, &retry));
	assert_int_equal(retry, 1);
	assert_true(allowed(t, "k", 1001, &retry)); /* throttle_allowed sees failures only */
	throttle_end(t, "k", 1002, true); /* 4 failures, 1 in flight */
	assert_false(throttle_begin(t, "k", 1002, &retry));
	assert_int_equal(retry, 1);
	throttle_end(t, "k", 1002, false); /* success: failures forgotten */
	for (int i = 0; i < MAX - 1; i++)
		assert_true(throttle_begin(t, "k", 1003, &retry));
	assert_true(throttle_begin(t, "k", 1003, &retry));
	assert_false(throttle_begin(t, "k", 1003, &retry));
	for (int i = 0; i < MAX; i++)
		throttle_end(t, "k", 1003, true);
	assert_false(throttle_begin(t, "k", 1004, &retry));
	assert_int_equal(retry, 1003 + WINDOW - 1004);
	/* Another key is independent; a cancelled attempt leaves nothing. */
	assert_true(throttle_begin(t, "j", 1004, &retry));
	throttle_cancel(t, "j");
	for (int i = 0; i < MAX; i++)
		assert_true(throttle_begin(t, "j", 1004, &retry));
}

static void test_new_rejects_bad_parameters(void **state)
{
	struct throttle *t = (struct throttle *)0x1;
	assert_int_equal(throttle_new(0, 5, 60, &t), -EINVAL);
	assert_int_equal(throttle_new(4, 0, 60, &t), -EINVAL);
	assert_int_equal(throttle_new(4, THROTTLE_MAX_FAILURES + 1, 60, &t), -EINVAL);
	assert_ptr_equal(t, (struct throttle *)0x1);
	assert_int_equal(throttle_new(1, THROTTLE_MAX_FAILURES, 60, &t), 0);
	throttle_free(t);
	throttle_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_long_and_empty_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocks_after_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_window_slides_over_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_independent, setup, teardown),
		cmocka_unit_test(test_full_table_evicts_idlest),
		cmocka_unit_test_setup_teardown(test_in_flight_attempts_count, setup, teardown),
		cmocka_unit_test(test_new_rejects_bad_parameters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
