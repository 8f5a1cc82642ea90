/* Replacing the root CA in a temporary directory: the new root covers the
 * new configuration and is what loads; the old one is kept, byte for byte,
 * in archive/<old serial>/ (directories 0700, key 0600); nothing of the
 * new files is left beside. Every state a crash can leave is built by
 * hand and recovery brings it back to one whole root: the old one while
 * both new files are still there, the new one once the key was swapped.
 * A leaf of the old root is not the new root's (pki_ca_issued). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/fsutil.h"
#include "model/config.h"
#include "pki/pki_ca.h"
#include "pki/pki_ca_replace.h"
#include "pki/pki_issue.h"
#include "common/banned.h"

#define NOW INT64_C(1750000000) /* 2025-06-15 */

struct fx {
	char dir[64];
	char other[64]; /* a second CA directory, for new files built by hand */
	struct cell_config c;
	char serial[PKI_SERIAL_HEX_MAX];
};

static void path(char *out, size_t len, const char *dir, const char *name)
{
	int n = snprintf(out, len, "%s/%s", dir, name);
	assert_true(n > 0 && (size_t)n < len);
}

static void create_in(const char *dir, const struct cell_config *c, char serial[PKI_SERIAL_HEX_MAX])
{
	char err[256] = "";
	struct pki_ca *ca = NULL;
	if (pki_ca_ensure(dir, c, NULL, NOW, &ca, err, sizeof(err)) != 1)
		fail_msg("pki_ca_ensure(%s): %s", dir, err);
	assert_int_equal(pki_ca_serial(ca, serial), 0);
	pki_ca_free(ca);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_pki_ca_replace.XXXXXX");
	snprintf(f->other, sizeof(f->other), "/tmp/test_pki_ca_replace.XXXXXX");
	if (!mkdtemp(f->dir) || !mkdtemp(f->other))
		return -1;
	config_defaults(&f->c);
	create_in(f->dir, &f->c, f->serial);
	*state = f;
	return 0;
}

static int remove_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(p);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	nftw(f->other, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static char *slurp(const char *p)
{
	struct buf b;
	buf_init(&b, 64 * 1024);
	assert_int_equal(fs_read_file(p, &b), 0);
	char *text = strndup(b.data, b.len);
	buf_free(&b);
	assert_non_null(text);
	return text;
}

static unsigned mode_of(const char *p)
{
	struct stat st;
	assert_int_equal(lstat(p, &st), 0);
	return st.st_mode & 07777;
}

static bool exists(const char *dir, const char *name)
{
	char p[160];
	path(p, sizeof(p), dir, name);
	return access(p, F_OK) == 0;
}

/* The serial of the root that loads from `dir`. */
static void loaded_serial(const char *dir, char out[PKI_SERIAL_HEX_MAX])
{
	struct pki_ca *ca = NULL;
	assert_int_equal(pki_ca_load(dir, &ca), 0);
	assert_int_equal(pki_ca_serial(ca, out), 0);
	pki_ca_free(ca);
}

static void test_replace_archives_and_swaps(void **state)
{
	struct fx *f = *state;
	char key[160], crt[160];
	path(key, sizeof(key), f->dir, PKI_CA_KEY_FILE);
	path(crt, sizeof(crt), f->dir, PKI_CA_CERT_FILE);
	char *old_crt = slurp(crt), *old_key = slurp(key);

	snprintf(f->c.cell_name, sizeof(f->c.cell_name), "home");
	struct pki_ca *ca = NULL;
	char old_serial[PKI_SERIAL_HEX_MAX], err[256] = "";
	int r = pki_ca_replace(f->dir, &f->c, NULL, NOW + 10, &ca, old_serial, err, sizeof(err));
	if (r != 0)
		fail_msg("pki_ca_replace: %d %s", r, err);
	assert_string_equal(old_serial, f->serial);
	assert_string_equal(ca->zone, "home.cell");
	assert_true(pki_ca_matches_config(ca, &f->c));
	char new_serial[PKI_SERIAL_HEX_MAX], on_disk[PKI_SERIAL_HEX_MAX];
	assert_int_equal(pki_ca_serial(ca, new_serial), 0);
	assert_string_not_equal(new_serial, old_serial);
	loaded_serial(f->dir, on_disk);
	assert_string_equal(on_disk, new_serial);
	assert_int_equal(mode_of(key), 0600);
	assert_int_equal(mode_of(crt), 0644);
	assert_false(exists(f->dir, PKI_CA_KEY_NEW_FILE));
	assert_false(exists(f->dir, PKI_CA_CERT_NEW_FILE));

	/* The old root, whole and private, under archive/<serial>/. */
	char archive[160], kept[256], kept_key[300], kept_crt[300];
	path(archive, sizeof(archive), f->dir, PKI_CA_ARCHIVE_DIR);
	path(kept, sizeof(kept), archive, old_serial);
	path(kept_key, sizeof(kept_key), kept, PKI_CA_KEY_FILE);
	path(kept_crt, sizeof(kept_crt), kept, PKI_CA_CERT_FILE);
	assert_int_equal(mode_of(archive), 0700);
	assert_int_equal(mode_of(kept), 0700);
	assert_int_equal(mode_of(kept_key), 0600);
	char *a = slurp(kept_crt), *b = slurp(kept_key);
	assert_string_equal(a, old_crt);
	assert_string_equal(b, old_key);
	char archived[PKI_SERIAL_HEX_MAX];
	loaded_serial(kept, archived);
	assert_string_equal(archived, old_serial);
	free(a), free(b), free(old_crt), free(old_key);

	/* A second replacement keeps both old roots. */
	struct pki_ca *again = NULL;
	char second_old[PKI_SERIAL_HEX_MAX];
	assert_int_equal(pki_ca_replace(f->dir, &f->c, NULL, NOW + 20, &again, second_old, err, sizeof(err)), 0);
	assert_string_equal(second_old, new_serial);
	assert_true(exists(archive, old_serial));
	assert_true(exists(archive, new_serial));
	pki_ca_free(again);
	pki_ca_free(ca);
}

static void test_old_leaf_is_not_the_new_roots(void **state)
{
	struct fx *f = *state;
	struct pki_ca *old = NULL, *ca = NULL;
	assert_int_equal(pki_ca_load(f->dir, &old), 0);
	const char *names[] = { "mycell.cell" };
	struct pki_leaf leaf = { 0 };
	struct field_error e = { 0 };
	assert_int_equal(pki_issue(old, names, 1, NULL, 0, 30, NOW, &leaf, &e), 0);
	assert_true(pki_ca_issued(old, leaf.cert_pem.data));

	/* Forced: the same zone, the same subject name, another key. */
	char old_serial[PKI_SERIAL_HEX_MAX], err[256] = "";
	assert_int_equal(pki_ca_replace(f->dir, &f->c, NULL, NOW, &ca, old_serial, err, sizeof(err)), 0);
	assert_false(pki_ca_issued(ca, leaf.cert_pem.data));
	assert_false(pki_ca_issued(ca, "not a certificate"));
	pki_leaf_free(&leaf);
	assert_int_equal(pki_issue(ca, names, 1, NULL, 0, 30, NOW, &leaf, &e), 0);
	assert_true(pki_ca_issued(ca, leaf.cert_pem.data));
	assert_false(pki_ca_issued(old, leaf.cert_pem.data));
	pki_leaf_free(&leaf);
	pki_ca_free(old);
	pki_ca_free(ca);
}

/* Builds a root for another zone in f->other and moves its files into
 * f->dir as the new files of a replacement; its serial. */
static void stage_new_files(struct fx *f, bool key, bool crt, char serial[PKI_SERIAL_HEX_MAX])
{
	struct cell_config c = f->c;
	snprintf(c.cell_name, sizeof(c.cell_name), "home");
	create_in(f->other, &c, serial);
	char from[160], to[160];
	if (key) {
		path(from, sizeof(from), f->other, PKI_CA_KEY_FILE);
		path(to, sizeof(to), f->dir, PKI_CA_KEY_NEW_FILE);
		assert_int_equal(rename(from, to), 0);
	}
	if (crt) {
		path(from, sizeof(from), f->other, PKI_CA_CERT_FILE);
		path(to, sizeof(to), f->dir, PKI_CA_CERT_NEW_FILE);
		assert_int_equal(rename(from, to), 0);
	}
}

static void test_recover_before_the_swap(void **state)
{
	struct fx *f = *state;
	char staged[PKI_SERIAL_HEX_MAX], now[PKI_SERIAL_HEX_MAX];
	stage_new_files(f, true, true, staged);
	assert_int_equal(pki_ca_replace_recover(f->dir), 0);
	assert_false(exists(f->dir, PKI_CA_KEY_NEW_FILE));
	assert_false(exists(f->dir, PKI_CA_CERT_NEW_FILE));
	loaded_serial(f->dir, now);
	assert_string_equal(now, f->serial);
}

static void test_recover_key_written_only(void **state)
{
	struct fx *f = *state;
	char staged[PKI_SERIAL_HEX_MAX], now[PKI_SERIAL_HEX_MAX];
	stage_new_files(f, true, false, staged);
	assert_int_equal(pki_ca_replace_recover(f->dir), 0);
	assert_false(exists(f->dir, PKI_CA_KEY_NEW_FILE));
	loaded_serial(f->dir, now);
	assert_string_equal(now, f->serial);
}

static void test_recover_after_the_key_was_swapped(void **state)
{
	struct fx *f = *state;
	char staged[PKI_SERIAL_HEX_MAX], now[PKI_SERIAL_HEX_MAX], from[160], to[160];
	stage_new_files(f, true, true, staged);
	path(from, sizeof(from), f->dir, PKI_CA_KEY_NEW_FILE);
	path(to, sizeof(to), f->dir, PKI_CA_KEY_FILE);
	assert_int_equal(rename(from, to), 0);
	struct pki_ca *ca = NULL;
	assert_int_equal(pki_ca_load(f->dir, &ca), -EKEYREJECTED); /* the state in between */
	assert_int_equal(pki_ca_replace_recover(f->dir), 1);
	assert_false(exists(f->dir, PKI_CA_CERT_NEW_FILE));
	loaded_serial(f->dir, now);
	assert_string_equal(now, staged);
	assert_int_equal(pki_ca_replace_recover(f->dir), 0); /* done: nothing more to do */
}

static void test_replace_finishes_an_earlier_attempt_first(void **state)
{
	struct fx *f = *state;
	char staged[PKI_SERIAL_HEX_MAX], from[160], to[160];
	stage_new_files(f, true, true, staged);
	path(from, sizeof(from), f->dir, PKI_CA_KEY_NEW_FILE);
	path(to, sizeof(to), f->dir, PKI_CA_KEY_FILE);
	assert_int_equal(rename(from, to), 0);
	struct pki_ca *ca = NULL;
	char old_serial[PKI_SERIAL_HEX_MAX], err[256] = "";
	assert_int_equal(pki_ca_replace(f->dir, &f->c, NULL, NOW, &ca, old_serial, err, sizeof(err)), 0);
	assert_string_equal(old_serial, staged);
	pki_ca_free(ca);
}

static void test_recover_nothing_to_do(void **state)
{
	struct fx *f = *state;
	assert_int_equal(pki_ca_replace_recover(f->dir), 0);
	assert_int_equal(pki_ca_replace_recover("/tmp/test_pki_ca_replace.does-not-exist"), 0);
}

static void test_replace_without_a_root_changes_nothing(void **state)
{
	struct fx *f = *state;
	struct pki_ca *ca = NULL;
	char old_serial[PKI_SERIAL_HEX_MAX], err[256] = "";
	assert_int_equal(pki_ca_replace(f->other, &f->c, NULL, NOW, &ca, old_serial, err, sizeof(err)), -ENOENT);
	assert_null(ca);
	assert_false(exists(f->other, PKI_CA_ARCHIVE_DIR));
	assert_false(exists(f->other, PKI_CA_CERT_FILE));
	assert_true(err[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replace_archives_and_swaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_leaf_is_not_the_new_roots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover_before_the_swap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover_key_written_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover_after_the_key_was_swapped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_finishes_an_earlier_attempt_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover_nothing_to_do, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_without_a_root_changes_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
