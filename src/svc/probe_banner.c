/* Greeting probe (see probe_banner.h). */
#include "probe_banner.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/banned.h"

int probe_banner_send(uint32_t addr, unsigned port, int *ret_fd, char *err, size_t errlen)
{
	_cleanup_close_ int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				  .sin_addr.s_addr = htonl(addr) };
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS) {
		int r = -errno;
		snprintf(err, errlen, "cannot connect to port %u: %s", port, strerror(-r));
		return r;
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int probe_banner_check(int fd, const char *expect, const char *who, char *err, size_t errlen)
{
	char line[256];
	ssize_t got = recv(fd, line, sizeof(line) - 1, MSG_DONTWAIT);
	if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		snprintf(err, errlen, "no greeting from %s in time", who);
		return -ETIMEDOUT;
	}
	if (got <= 0) {
		snprintf(err, errlen, "%s does not answer: %s", who, got < 0 ? strerror(errno) : "connection closed");
		return got < 0 ? -errno : -ECONNRESET;
	}
	line[got] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (strncmp(line, expect, strlen(expect)) != 0) {
		snprintf(err, errlen, "unexpected greeting from %s: %.80s", who, line);
		return -EPROTO;
	}
	return 0;
}
