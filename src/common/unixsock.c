/* Unix socket connections and exchanges (see unixsock.h). */
#include "unixsock.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "cleanup.h"
#include "banned.h"

int unixsock_connect(const char *path, int *ret_fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = strlen(path);
	if (len >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, len + 1);
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	*ret_fd = TAKE_FD(fd);
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int unixsock_exchange(int fd, const void *req, size_t len, unsigned timeout_ms,
		      int (*feed)(const char *data, size_t n, void *cls), void *cls, struct unixsock_exchange_end *end)
{
	int64_t deadline = now_ms() + timeout_ms;
	size_t sent = 0;
	bool send_closed = false;
	char chunk[16384];
	int r = 0;
	*end = (struct unixsock_exchange_end){ 0 };
	for (;;) {
		int64_t left = deadline - now_ms();
		if (left <= 0) {
			r = -ETIMEDOUT;
			break;
		}
		bool sending = sent < len && !send_closed;
		struct pollfd p = { .fd = fd, .events = POLLIN | (sending ? POLLOUT : 0) };
		int n = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -ETIMEDOUT;
			break;
		}
		if (sending && (p.revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = send(fd, (const char *)req + sent, len - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (w >= 0)
				sent += (size_t)w;
			else if (errno == EPIPE || errno == ECONNRESET)
				send_closed = true; /* it stopped reading: read its answer */
			else if (errno != EAGAIN && errno != EINTR) {
				r = -errno;
				break;
			}
		}
		if (p.revents & (POLLIN | POLLERR | POLLHUP)) {
			ssize_t got = recv(fd, chunk, sizeof(chunk), MSG_DONTWAIT);
			if (got > 0) {
				r = feed(chunk, (size_t)got, cls);
				if (r != 0)
					break;
			} else if (got == 0 || errno == ECONNRESET) {
				/* A reset comes only after everything the daemon
				 * sent was read: it closed with our bytes unread. */
				end->closed = true;
				end->reset = got < 0;
				break;
			} else if (errno != EAGAIN && errno != EINTR) {
				r = -errno;
				break;
			}
		}
	}
	explicit_bzero(chunk, sizeof(chunk));
	end->sent_all = sent == len;
	return r < 0 ? r : 0;
}

