/* Secret lines from a terminal or a pipe (see cli_prompt.h). */
#include "cli_prompt.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/cleanup.h"

#include "common/banned.h"

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
		if (n < 0 && errno == EINTR)
			continue;
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
	if (r == 0 && memchr(out, 0x03, len))
		r = -ECANCELED;
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

int cli_prompt_secret(const char *prompt, char *out, size_t size, size_t *ret_len)
{
	_cleanup_close_ int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct termios saved, quiet;
	int r;

	if (fd < 0)
		return -errno;
	if (tcgetattr(fd, &saved) < 0)
		return -errno;
	/* With ISIG off, ^C arrives as a byte instead of killing pic while
	 * echo is off, which would leave the terminal silent (as getpass(3)). */
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ISIG);
	r = write_all(fd, prompt);
	if (r < 0)
		return r;
	if (tcsetattr(fd, TCSAFLUSH, &quiet) < 0)
		return -errno;
	r = cli_prompt_read_line(fd, out, size, ret_len);
	(void)tcsetattr(fd, TCSAFLUSH, &saved);
	(void)write_all(fd, "\n");
	return r;
}
