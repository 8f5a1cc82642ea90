/* Secret lines from a terminal or a pipe (see cli_prompt.h). */
#include "cli_prompt.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/cleanup.h"

#include "common/banned.h"

/* Signals that end pic while the terminal's echo is off. */
static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

/* The signal flag: which of them arrived during the prompt, or 0. */
static volatile sig_atomic_t caught_signal;

static void on_signal(int sig)
{
	caught_signal = sig;
}

int cli_prompt_read_line(int fd, char *out, size_t size, size_t *ret_len)
{
	size_t len = 0;
	int r = 0;

	if (size == 0)
		return -EMSGSIZE;
	/* One byte at a time: nothing past the line is consumed, and no
	 * stdio buffer keeps a copy of the secret. */
	for (;;) {
		char c;
		ssize_t n = read(fd, &c, 1);
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0 || c == '\n')
			break;
		if (len + 1 >= size) {
			r = -EMSGSIZE;
			break;
		}
		out[len++] = c;
	}
	if (r < 0) {
		sodium_memzero(out, size);
		return r;
	}
	if (len > 0 && out[len - 1] == '\r')
		len--;
	out[len] = '\0';
	*ret_len = len;
	return 0;
}

static int write_all(int fd, const char *s)
{
	size_t len = strlen(s);
	while (len > 0) {
		ssize_t n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Echo off, read, echo back on: the terminal is restored before this
 * returns, whatever happened. */
static int read_quietly(int fd, char *out, size_t size, size_t *ret_len)
{
	struct termios saved, quiet;
	int r;

	if (tcgetattr(fd, &saved) < 0)
		return -errno;
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	if (tcsetattr(fd, TCSAFLUSH, &quiet) < 0)
		return -errno;
	r = caught_signal ? -EINTR : cli_prompt_read_line(fd, out, size, ret_len);
	(void)tcsetattr(fd, TCSAFLUSH, &saved);
	(void)write_all(fd, "\n"); /* the Enter the terminal did not echo */
	return r;
}

int cli_prompt_secret(const char *prompt, char *out, size_t size, size_t *ret_len)
{
	_cleanup_close_ int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct sigaction catch = { .sa_handler = on_signal }, saved[ARRAY_SIZE(fatal_signals)];
	int r;

	if (fd < 0)
		return -errno;
	r = write_all(fd, prompt);
	if (r < 0)
		return r;

	/* No SA_RESTART: the signal must interrupt read(2). */
	sigemptyset(&catch.sa_mask);
	caught_signal = 0;
	for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++)
		sigaction(fatal_signals[i], &catch, &saved[i]);
	r = read_quietly(fd, out, size, ret_len);
	for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++)
		sigaction(fatal_signals[i], &saved[i], NULL);

	if (caught_signal) {
		sodium_memzero(out, size);
		raise(caught_signal); /* ends pic as the signal would have */
		return -EINTR;
	}
	return r;
}
