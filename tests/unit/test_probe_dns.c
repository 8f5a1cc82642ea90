/* The DNS probe against a fake server on 127.0.0.1 that answers what each
 * test tells it to: the query is well formed (id = source port, RD, one
 * question for the name in wire form, type and class); a good answer
 * passes; a wrong id, a missing QR bit, SERVFAIL, NXDOMAIN, no answer
 * records, a truncated answer and a short packet each fail with their own
 * code; no answer at all times out; invalid names are refused unsent. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/cleanup.h"
#include "svc/probe_dns.h"
#include "common/banned.h"

#define LOCALHOST 0x7f000001u

struct fake {
	int fd;
	uint16_t port;
};

static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(f->fd >= 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(LOCALHOST) };
	socklen_t len = sizeof(sa);
	assert_int_equal(bind(f->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(f->fd, (struct sockaddr *)&sa, &len), 0);
	f->port = ntohs(sa.sin_port);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;
	close(f->fd);
	free(f);
	return 0;
}

/* Receives the probe's query into `q`; returns its length and the peer. */
static size_t receive_query(struct fake *f, uint8_t *q, size_t qlen, struct sockaddr_in *ret_peer)
{
	socklen_t len = sizeof(*ret_peer);
	ssize_t got = recvfrom(f->fd, q, qlen, 0, (struct sockaddr *)ret_peer, &len);
	assert_true(got > 12);
	return (size_t)got;
}

/* Answers the query with `flags`, `ancount` and an A record when
 * ancount > 0; `id_delta` spoils the id. Returns probe_dns_check(). */
static int exchange(struct fake *f, uint16_t flags, uint16_t ancount, int id_delta, size_t truncate_to)
{
	char err[256] = "";
	_cleanup_close_ int fd = -1;
	assert_int_equal(probe_dns_ask(LOCALHOST, f->port, "dns-probe.pic.invalid.", 1, &fd, err, sizeof(err)), 0);
	uint8_t q[512], a[600];
	struct sockaddr_in peer;
	size_t qlen = receive_query(f, q, sizeof(q), &peer);
	memcpy(a, q, qlen);
	uint16_t id = (uint16_t)((q[0] << 8 | q[1]) + id_delta);
	a[0] = id >> 8, a[1] = id & 0xff;
	a[2] = flags >> 8, a[3] = flags & 0xff;
	a[6] = ancount >> 8, a[7] = ancount & 0xff;
	size_t alen = qlen;
	if (ancount) {
		static const uint8_t rr[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 127, 0, 0, 1 };
		memcpy(a + alen, rr, sizeof(rr));
		alen += sizeof(rr);
	}
	if (truncate_to)
		alen = truncate_to;
	assert_int_equal(sendto(f->fd, a, alen, 0, (struct sockaddr *)&peer, sizeof(peer)), (ssize_t)alen);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	assert_int_equal(poll(&p, 1, 1000), 1);
	return probe_dns_check(fd, err, sizeof(err));
}

static void test_query_format(void **state)
{
	struct fake *f = *state;
	char err[256];
	_cleanup_close_ int fd = -1;
	assert_int_equal(probe_dns_ask(LOCALHOST, f->port, "a.bc", 16, &fd, err, sizeof(err)), 0);
	uint8_t q[512];
	struct sockaddr_in peer;
	size_t len = receive_query(f, q, sizeof(q), &peer);
	static const uint8_t want[] = {
		0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,       /* RD; one question */
		1, 'a', 2, 'b', 'c', 0, 0, 16, 0, 1,      /* a.bc. TXT IN */
	};
	assert_int_equal(len, 2 + sizeof(want));
	assert_memory_equal(q + 2, want, sizeof(want));
	/* the id is the source port */
	assert_int_equal(q[0] << 8 | q[1], ntohs(peer.sin_port));
}

static void test_answers(void **state)
{
	struct fake *f = *state;
	assert_int_equal(exchange(f, 0x8180, 1, 0, 0), 0);          /* QR RD RA, NOERROR */
	assert_int_equal(exchange(f, 0x8180, 1, 1, 0), -EPROTO);     /* wrong id */
	assert_int_equal(exchange(f, 0x0180, 1, 0, 0), -EPROTO);     /* not an answer */
	assert_int_equal(exchange(f, 0x8182, 0, 0, 0), -EPROTO);     /* SERVFAIL */
	assert_int_equal(exchange(f, 0x8185, 0, 0, 0), -EPROTO);     /* REFUSED */
	assert_int_equal(exchange(f, 0x8183, 0, 0, 0), -ENOENT);     /* NXDOMAIN */
	assert_int_equal(exchange(f, 0x8180, 0, 0, 0), -ENODATA);    /* no records */
	assert_int_equal(exchange(f, 0x8380, 0, 0, 0), -EMSGSIZE);   /* TC */
	assert_int_equal(exchange(f, 0x8180, 1, 0, 11), -EPROTO);    /* short */
}

static void test_timeout(void **state)
{
	struct fake *f = *state;
	char err[256];
	assert_int_equal(probe_dns(LOCALHOST, f->port, "x.example", 1, 50, err, sizeof(err)), -ETIMEDOUT);
	assert_string_equal(err, "no DNS answer in time");
}

static void test_bad_names(void **state)
{
	struct fake *f = *state;
	char err[256], label[70], name[300];
	int fd = -1;
	assert_int_equal(probe_dns_ask(LOCALHOST, f->port, "", 1, &fd, err, sizeof(err)), -EINVAL);
	assert_int_equal(probe_dns_ask(LOCALHOST, f->port, ".", 1, &fd, err, sizeof(err)), -EINVAL);
	assert_int_equal(probe_dns_ask(LOCALHOST, f->port, "a..b", 1, &fd, err, sizeof(err)), -EINVAL);
	memset(label, 'a', 64);
	label[64] = '\0';
	assert_int_equal(probe_dns_ask(LOCALHOST, f->port, label, 1, &fd, err, sizeof(err)), -EINVAL);
	label[63] = '\0';
	assert_int_equal(probe_dns_ask(LOCALHOST, f->port, label, 1, &fd, err, sizeof(err)), 0);
	close(fd);
	fd = -1;
	/* 254 characters is the longest name (255 bytes on the wire) */
	memset(name, 'a', 254);
	for (int i = 63; i < 254; i += 64)
		name[i] = '.';
	name[254] = '\0';
	assert_int_equal(probe_dns_ask(LOCALHOST, f->port, name, 1, &fd, err, sizeof(err)), -EINVAL);
	name[253] = '\0';
	assert_int_equal(probe_dns_ask(LOCALHOST, f->port, name, 1, &fd, err, sizeof(err)), 0);
	close(fd);
	uint8_t q[512];
	struct sockaddr_in peer;
	receive_query(f, q, sizeof(q), &peer); /* the 63-byte label */
	assert_int_equal(receive_query(f, q, sizeof(q), &peer), 12 + 255 + 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_query_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_names, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
