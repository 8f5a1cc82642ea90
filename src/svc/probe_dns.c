/* DNS query/answer for the health probe (RFC 1035 §4.1). */
#include "probe_dns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/banned.h"

#define DNS_HEADER_LEN 12
#define DNS_NAME_WIRE_MAX 255
#define DNS_FLAG_QR 0x8000
#define DNS_FLAG_TC 0x0200
#define DNS_FLAG_RD 0x0100
#define DNS_CLASS_IN 1
#define DNS_ANSWER_MAX 4096

static const char *const rcode_names[] = {
	"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
};

/* `qname` in wire form: length-prefixed labels ending in the root. */
static int encode_name(const char *qname, uint8_t *out, size_t *ret_len)
{
	size_t len = strlen(qname), o = 0;
	if (len > 0 && qname[len - 1] == '.')
		len--;
	if (len == 0 || len + 2 > DNS_NAME_WIRE_MAX)
		return -EINVAL;
	const char *label = qname;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && qname[i] != '.')
			continue;
		size_t llen = (size_t)(qname + i - label);
		if (llen == 0 || llen > 63)
			return -EINVAL;
		out[o++] = (uint8_t)llen;
		memcpy(out + o, label, llen);
		o += llen;
		label = qname + i + 1;
	}
	out[o++] = 0;
	*ret_len = o;
	return 0;
}

static int source_port(int fd, uint16_t *ret_port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		return -errno;
	*ret_port = ntohs(sa.sin_port);
	return 0;
}

int probe_dns_ask(uint32_t addr, uint16_t port, const char *qname, uint16_t qtype, int *ret_fd, char *err,
		  size_t errlen)
{
	uint8_t query[DNS_HEADER_LEN + DNS_NAME_WIRE_MAX + 4] = { 0 };
	size_t name_len;
	if (encode_name(qname, query + DNS_HEADER_LEN, &name_len) < 0) {
		snprintf(err, errlen, "'%s' is not a valid DNS name", qname);
		return -EINVAL;
	}
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(addr) };
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int r = -errno;
		snprintf(err, errlen, "cannot reach the DNS address: %s", strerror(-r));
		return r;
	}
	uint16_t id = 0;
	int r = source_port(fd, &id);
	if (r < 0)
		return r;
	uint8_t *h = query;
	h[0] = id >> 8, h[1] = id & 0xff;
	h[2] = DNS_FLAG_RD >> 8;
	h[5] = 1; /* QDCOUNT */
	uint8_t *q = query + DNS_HEADER_LEN + name_len;
	q[0] = qtype >> 8, q[1] = qtype & 0xff, q[2] = 0, q[3] = DNS_CLASS_IN;
	size_t len = DNS_HEADER_LEN + name_len + 4;
	if (send(fd, query, len, 0) != (ssize_t)len) {
		snprintf(err, errlen, "cannot send the DNS query: %s", strerror(errno));
		return -EIO;
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int probe_dns_send(uint32_t addr, const char *qname, int *ret_fd, char *err, size_t errlen)
{
	return probe_dns_ask(addr, PROBE_DNS_PORT, qname, PROBE_DNS_TYPE_A, ret_fd, err, errlen);
}

int probe_dns_check(int fd, char *err, size_t errlen)
{
	uint8_t ans[DNS_ANSWER_MAX];
	ssize_t got = recv(fd, ans, sizeof(ans), MSG_DONTWAIT);
	if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		snprintf(err, errlen, "no DNS answer in time");
		return -ETIMEDOUT;
	}
	if (got < DNS_HEADER_LEN) {
		snprintf(err, errlen, "no valid DNS answer (%s)", got < 0 ? strerror(errno) : "short packet");
		return -EPROTO;
	}
	uint16_t want_id = 0;
	int r = source_port(fd, &want_id);
	if (r < 0)
		return r;
	uint16_t id = (uint16_t)(ans[0] << 8 | ans[1]), flags = (uint16_t)(ans[2] << 8 | ans[3]);
	uint16_t ancount = (uint16_t)(ans[6] << 8 | ans[7]);
	unsigned rcode = flags & 0xf;
	if (id != want_id || !(flags & DNS_FLAG_QR)) {
		snprintf(err, errlen, "unexpected DNS packet (id %u, want %u; QR %u)", id, want_id,
			 (flags & DNS_FLAG_QR) != 0);
		return -EPROTO;
	}
	if (rcode != 0) {
		if (rcode < sizeof(rcode_names) / sizeof(rcode_names[0]))
			snprintf(err, errlen, "DNS answer %s", rcode_names[rcode]);
		else
			snprintf(err, errlen, "DNS answer RCODE %u", rcode);
		return rcode == 3 ? -ENOENT : -EPROTO;
	}
	if (flags & DNS_FLAG_TC) {
		snprintf(err, errlen, "DNS answer truncated (too large for UDP)");
		return -EMSGSIZE;
	}
	if (ancount == 0) {
		snprintf(err, errlen, "DNS answer with no records");
		return -ENODATA;
	}
	return 0;
}

int probe_dns(uint32_t addr, uint16_t port, const char *qname, uint16_t qtype, unsigned timeout_ms, char *err,
	      size_t errlen)
{
	_cleanup_close_ int fd = -1;
	int r = probe_dns_ask(addr, port, qname, qtype, &fd, err, errlen);
	if (r < 0)
		return r;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, (int)timeout_ms) < 0)
		return -errno;
	return probe_dns_check(fd, err, errlen);
}
