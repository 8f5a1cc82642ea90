/* Certificates in the store: inserted rows list newest first with their
 * kind and dates; revoking is once per serial (-EALREADY, -ENOENT); a root
 * replacement marks every certificate then present as superseded (and
 * only those: the next one issued is not), revoked or not, and a second
 * replacement marks only the newer ones, keeping the first date. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/store.h"
#include "store/store_cert.h"
#include "store_fixture.h"
#include "common/banned.h"

static const struct cert_row *find(const struct cert_row *rows, size_t n, const char *serial)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].serial, serial) == 0)
			return &rows[i];
	fail_msg("serial %s not listed", serial);
	return NULL;
}

static void insert(struct store *s, const char *serial, const char *kind, int64_t now)
{
	assert_int_equal(store_cert_insert(s, serial, kind, "-----BEGIN CERTIFICATE-----\n", now + 1000, now), 0);
}

static void test_insert_list_revoke(void **state)
{
	struct store_fixture *f = *state;
	insert(f->s, "0a", "issued", 100);
	insert(f->s, "0b", "service", 200);
	struct cert_row *rows = NULL;
	size_t n = 0;
	assert_int_equal(store_cert_list(f->s, &rows, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].serial, "0b"); /* newest first */
	assert_string_equal(rows[0].kind, "service");
	assert_int_equal(rows[1].not_after, 1100);
	assert_int_equal(rows[1].revoked_at, 0);
	assert_int_equal(rows[1].superseded_at, 0);
	store_cert_rows_free(rows, n);

	assert_int_equal(store_cert_revoke(f->s, "0a", 300), 0);
	assert_int_equal(store_cert_revoke(f->s, "0a", 301), -EALREADY);
	assert_int_equal(store_cert_revoke(f->s, "ff", 301), -ENOENT);
}

static void test_supersede(void **state)
{
	struct store_fixture *f = *state;
	assert_int_equal(store_cert_supersede_all(f->s, 50), 0); /* nothing yet */
	insert(f->s, "01", "issued", 100);
	insert(f->s, "02", "service", 110);
	assert_int_equal(store_cert_revoke(f->s, "01", 120), 0);
	assert_int_equal(store_cert_supersede_all(f->s, 500), 2);
	insert(f->s, "03", "service", 600);

	struct cert_row *rows = NULL;
	size_t n = 0;
	assert_int_equal(store_cert_list(f->s, &rows, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(find(rows, n, "01")->superseded_at, 500);
	assert_int_equal(find(rows, n, "01")->revoked_at, 120);
	assert_int_equal(find(rows, n, "02")->superseded_at, 500);
	assert_int_equal(find(rows, n, "03")->superseded_at, 0);
	store_cert_rows_free(rows, n);

	assert_int_equal(store_cert_supersede_all(f->s, 900), 1);
	assert_int_equal(store_cert_list(f->s, &rows, &n), 0);
	assert_int_equal(find(rows, n, "01")->superseded_at, 500);
	assert_int_equal(find(rows, n, "03")->superseded_at, 900);
	store_cert_rows_free(rows, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_insert_list_revoke, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_supersede, store_fixture_setup, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
