/* The service output ring: appends wrap around keeping the newest bytes,
 * tail returns the last N whole lines, since returns what followed a
 * cursor (as far as the ring holds it), and poll follows a file, including
 * one cut back to empty and one that grows past the file limit. */
#include <fcntl.h>
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

#include "svc/svc_log.h"
#include "common/banned.h"

static struct svc_log *new_log(void)
{
	struct svc_log *l = calloc(1, sizeof(*l));
	assert_non_null(l);
	return l;
}

static char *tail(const struct svc_log *l, unsigned n)
{
	struct buf b;
	buf_init(&b, SVC_LOG_RING);
	assert_int_equal(svc_log_tail(l, n, &b), 0);
	return b.data ? buf_steal(&b) : strdup("");
}

static void test_tail_lines(void **state)
{
	struct svc_log *l = new_log();
	const char *text = "one\ntwo\nthree\n";
	svc_log_append(l, text, strlen(text));
	char *t = tail(l, 2);
	assert_string_equal(t, "two\nthree\n");
	free(t);
	t = tail(l, 10);
	assert_string_equal(t, text);
	free(t);
	t = tail(l, 0);
	assert_string_equal(t, "");
	free(t);
	svc_log_append(l, "partial", 7);
	t = tail(l, 1);
	assert_string_equal(t, "partial");
	free(t);
	svc_log_free(l);
	free(l);
}

static void test_wraps_keeping_newest(void **state)
{
	struct svc_log *l = new_log();
	char line[100];
	for (int i = 0; i < 10000; i++) {
		int n = snprintf(line, sizeof(line), "line %05d\n", i);
		svc_log_append(l, line, (size_t)n);
	}
	assert_int_equal(l->used, SVC_LOG_RING);
	assert_int_equal(l->total, 10000 * 11);
	char *t = tail(l, 2);
	assert_string_equal(t, "line 09998\nline 09999\n");
	free(t);
	svc_log_free(l);
	free(l);
}

static void test_since_cursor(void **state)
{
	struct svc_log *l = new_log();
	svc_log_append(l, "a\nb\n", 4);
	unsigned long long cursor = l->total;
	svc_log_append(l, "c\n", 2);
	struct buf b;
	buf_init(&b, SVC_LOG_RING);
	assert_int_equal(svc_log_since(l, cursor, &b), 0);
	assert_string_equal(b.data, "c\n");
	buf_free(&b);
	assert_int_equal(svc_log_since(l, l->total, &b), 0);
	assert_null(b.data);
	svc_log_free(l);
	free(l);
}

static void test_poll_follows_a_file(void **state)
{
	char dir[] = "/tmp/pic-test-log-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/output.log", dir);
	struct svc_log *l = new_log();
	assert_int_equal(svc_log_poll(l, path), 0); /* absent: nothing yet */

	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello\n", 6), 6);
	assert_int_equal(svc_log_poll(l, path), 1);
	assert_int_equal(svc_log_poll(l, path), 0);
	assert_int_equal(write(fd, "world\n", 6), 6);
	assert_int_equal(svc_log_poll(l, path), 1);
	char *t = tail(l, 5);
	assert_string_equal(t, "hello\nworld\n");
	free(t);

	/* Cut back by someone else: read again from the top. */
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(write(fd, "again\n", 6), 6);
	assert_int_equal(svc_log_poll(l, path), 1);
	t = tail(l, 1);
	assert_string_equal(t, "again\n");
	free(t);

	/* Past the file limit the file is cut back; the ring keeps the tail. */
	char *big = malloc(SVC_LOG_FILE_MAX + 1);
	assert_non_null(big);
	memset(big, 'x', SVC_LOG_FILE_MAX);
	big[SVC_LOG_FILE_MAX - 1] = '\n';
	assert_int_equal(write(fd, big, SVC_LOG_FILE_MAX), SVC_LOG_FILE_MAX);
	free(big);
	assert_int_equal(svc_log_poll(l, path), 1);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(write(fd, "after\n", 6), 6);
	assert_int_equal(svc_log_poll(l, path), 1);
	t = tail(l, 1);
	assert_string_equal(t, "after\n");
	free(t);

	close(fd);
	unlink(path);
	rmdir(dir);
	svc_log_free(l);
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tail_lines),
		cmocka_unit_test(test_wraps_keeping_newest),
		cmocka_unit_test(test_since_cursor),
		cmocka_unit_test(test_poll_follows_a_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
