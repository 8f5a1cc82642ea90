/* SNTP request/response. */
#include "probe_ntp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/banned.h"

#define NTP_PACKET_LEN 48
#define NTP_PORT 123

/* The transmit timestamp we send; the answer's origin must echo it. */
static const uint8_t probe_stamp[8] = { 0xd1, 0x5c, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06 };

int probe_ntp_send(uint32_t addr, int *ret_fd, char *err, size_t errlen)
{
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(NTP_PORT),
				  .sin_addr.s_addr = htonl(addr) };
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int r = -errno;
		snprintf(err, errlen, "cannot reach the NTP address: %s", strerror(-r));
		return r;
	}
	uint8_t req[NTP_PACKET_LEN] = { 0 };
	req[0] = (4 << 3) | 3; /* LI 0, version 4, mode 3 (client) */
	memcpy(req + 40, probe_stamp, sizeof(probe_stamp));
	if (send(fd, req, sizeof(req), 0) != (ssize_t)sizeof(req)) {
		snprintf(err, errlen, "cannot send the NTP request: %s", strerror(errno));
		return -EIO;
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int probe_ntp_check(int fd, unsigned *ret_stratum, char *err, size_t errlen)
{
	uint8_t ans[NTP_PACKET_LEN + 64];
	ssize_t got = recv(fd, ans, sizeof(ans), MSG_DONTWAIT);
	if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		snprintf(err, errlen, "no NTP answer in time");
		return -ETIMEDOUT;
	}
	if (got < NTP_PACKET_LEN) {
		snprintf(err, errlen, "no valid NTP answer (%s)", got < 0 ? strerror(errno) : "short packet");
		return -EPROTO;
	}
	unsigned mode = ans[0] & 7, stratum = ans[1];
	if (mode != 4 || stratum == 0 || memcmp(ans + 24, probe_stamp, sizeof(probe_stamp)) != 0) {
		snprintf(err, errlen, "unexpected NTP answer (mode %u, stratum %u)", mode, stratum);
		return -EPROTO;
	}
	if (ret_stratum)
		*ret_stratum = stratum;
	return 0;
}

int probe_ntp(uint32_t addr, unsigned timeout_ms, unsigned *ret_stratum, char *err, size_t errlen)
{
	_cleanup_close_ int fd = -1;
	int r = probe_ntp_send(addr, &fd, err, errlen);
	if (r < 0)
		return r;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, (int)timeout_ms) < 0)
		return -errno;
	return probe_ntp_check(fd, ret_stratum, err, errlen);
}
