/* fs_absolute_path, in a scratch directory: paths that exist (resolved,
 * symlinks and ".." taken out), paths whose last component does not
 * exist yet, relative paths from the current directory, trailing
 * slashes, and the errors. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolves),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
