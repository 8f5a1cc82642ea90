/* fs_absolute_path, in a scratch directory: paths that exist (resolved,
 * symlinks and ".." taken out), paths whose last component does not
 * exist yet, relative paths from the current directory, trailing
 * slashes, and the errors; fs_write_atomic. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/fsutil.h"
#include "common/banned.h"

static char root[PATH_MAX]; /* the scratch directory, resolved */

static int setup(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/pic-fsutil-XXXXXX";
	if (!mkdtemp(tmpl) || !realpath(tmpl, root))
		return -1;
	char p[PATH_MAX + 16];
	snprintf(p, sizeof(p), "%s/real", root);
	if (mkdir(p, 0755) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/link", root);
	return symlink("real", p);
}

static int teardown(void **state)
{
	(void)state;
	char p[PATH_MAX + 16];
	snprintf(p, sizeof(p), "%s/link", root);
	unlink(p);
	snprintf(p, sizeof(p), "%s/real", root);
	rmdir(p);
	rmdir(root);
	return 0;
}

static void expect(const char *in, const char *want_suffix)
{
	char out[PATH_MAX], want[PATH_MAX + 64];
	snprintf(want, sizeof(want), "%s%s", root, want_suffix);
	int r = fs_absolute_path(in, out, sizeof(out));
	if (r != 0)
		fail_msg("%s: %d", in, r);
	assert_string_equal(out, want);
}

static void test_resolves(void **state)
{
	(void)state;
	char in[PATH_MAX + 64];
	snprintf(in, sizeof(in), "%s/real", root);
	expect(in, "/real");
	snprintf(in, sizeof(in), "%s/link/../real/", root);
	expect(in, "/real");
	/* not there yet: the parent resolved, the name kept */
	snprintf(in, sizeof(in), "%s/link/var", root);
	expect(in, "/real/var");
	snprintf(in, sizeof(in), "%s/real/var//", root);
	expect(in, "/real/var");
	/* relative to the current directory */
	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(root), 0);
	expect("./var", "/var");
	expect("real/./var", "/real/var");
	expect("var", "/var");
	expect(".", "");
	assert_int_equal(chdir(cwd), 0);
	char out[8];
	assert_int_equal(fs_absolute_path("/", out, sizeof(out)), 0);
	assert_string_equal(out, "/");
	assert_int_equal(fs_absolute_path("/nonexistent-pic-x", out, sizeof(out)), -ENAMETOOLONG);
}

static void test_errors(void **state)
{
	(void)state;
	char out[PATH_MAX], in[PATH_MAX + 64];
	assert_int_equal(fs_absolute_path("", out, sizeof(out)), -EINVAL);
	assert_int_equal(fs_absolute_path(NULL, out, sizeof(out)), -EINVAL);
	snprintf(in, sizeof(in), "%s/missing/var", root);
	assert_int_equal(fs_absolute_path(in, out, sizeof(out)), -ENOENT);
	/* ".." after a missing name: which directory it means is unknown */
	snprintf(in, sizeof(in), "%s/missing/..", root);
	assert_int_equal(fs_absolute_path(in, out, sizeof(out)), -EINVAL);
	snprintf(in, sizeof(in), "%s/real/missing/.", root);
	assert_int_equal(fs_absolute_path(in, out, sizeof(out)), -EINVAL);
	snprintf(in, sizeof(in), "%s/real", root);
	assert_int_equal(fs_absolute_path(in, out, 4), -ENAMETOOLONG);
}

static void read_back(const char *path, char *out, size_t outlen)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	fclose(f);
}

/* fs_write_atomic replaces the file whole, with the mode asked, and
 * leaves no temporary file beside it. */
static void test_writes_replace_whole_files(void **state)
{
	(void)state;
	char path[PATH_MAX + 16], got[64];
	snprintf(path, sizeof(path), "%s/real/file", root);
	assert_int_equal(fs_write_atomic(path, "first version\n", 14, 0600), 0);
	read_back(path, got, sizeof(got));
	assert_string_equal(got, "first version\n");
	assert_int_equal(fs_write_atomic(path, "second\n", 7, 0644), 0);
	read_back(path, got, sizeof(got));
	assert_string_equal(got, "second\n");
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	char dir[PATH_MAX + 16];
	snprintf(dir, sizeof(dir), "%s/real", root);
	assert_int_equal(rmdir(dir), -1); /* not empty: the file */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);  /* empty: no temporary file was left */
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/missing/file", root);
	assert_int_equal(fs_write_atomic(path, "x", 1, 0644), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolves),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_writes_replace_whole_files),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
