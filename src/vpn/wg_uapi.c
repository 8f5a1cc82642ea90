/* The UAPI client (see wg_uapi.h): requests are built whole into one
 * allocation sized up front (so no realloc leaves copies of keys behind,
 * and the buffer is wiped before it is freed), written while the answer
 * is read and parsed as it streams in, all under one deadline. */
#include "wg_uapi.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "common/unixsock.h"
#include "common/cleanup.h"
#include "common/banned.h"

/* Upper bounds of the text each part of a request takes. */
#define DEVICE_TEXT_MAX 128 /* private_key=<64>\n listen_port=65535\n */
#define PEER_SET_TEXT_MAX (128 + 32 * WG_ALLOWED_MAX) /* keys, flags, allowed_ip lines */
#define PEER_REMOVE_TEXT_MAX 96 /* public_key=<64>\n remove=true\n */
#define IFNAME_MAX 15

/* A request: fixed capacity, secrets inside. */
struct request {
	char *data;
	size_t len, cap;
};

static void request_free(struct request *q)
{
	if (q->data)
		sodium_memzero(q->data, q->cap);
	free(q->data);
	*q = (struct request){ 0 };
}

static int request_new(struct request *q, size_t cap)
{
	*q = (struct request){ .data = malloc(cap), .cap = cap };
	return q->data ? 0 : -ENOMEM;
}

static int put(struct request *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int put(struct request *q, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(q->data + q->len, q->cap - q->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= q->cap - q->len)
		return -E2BIG; /* the bounds above are wrong */
	q->len += (size_t)n;
	return 0;
}

static int put_key(struct request *q, const char *name, const uint8_t key[WG_KEY_LEN])
{
	char hex[WG_KEY_HEX_LEN + 1];
	wg_key_to_hex(key, hex);
	int r = put(q, "%s=%s\n", name, hex);
	sodium_memzero(hex, sizeof(hex));
	return r;
}

static int feed_dump(const char *data, size_t n, void *cls)
{
	return wg_dump_feed(cls, data, n);
}

/* Writes `q` while feeding what comes back to `d`, until the answer is
 * complete. *ret_closed: the daemon closed the connection before that. */
static int exchange(int fd, const struct request *q, struct wg_dump *d, unsigned timeout_ms, bool *ret_closed)
{
	struct unixsock_exchange_end end;
	int r = unixsock_exchange(fd, q->data, q->len, timeout_ms, feed_dump, d, &end);
	wg_dump_wipe(d);
	if (r == 0 && end.closed) {
		*ret_closed = true;
		r = -EPROTO;
	}
	return r;
}

/* Connects, exchanges and turns the outcome into one return value and
 * one message. */
static int transact(const char *sock, const struct request *q, struct wg_device_state *state, unsigned timeout_ms,
		    char *err, size_t errlen)
{
	_cleanup_close_ int fd = -1;
	int r = unixsock_connect(sock, &fd);
	if (r < 0) {
		wg_set_err(err, errlen, "no WireGuard daemon at '%s': %s", sock, strerror(-r));
		return r;
	}
	struct wg_dump d;
	wg_dump_init(&d, state);
	bool closed = false;
	r = exchange(fd, q, &d, timeout_ms, &closed);
	if (r == -ETIMEDOUT)
		wg_set_err(err, errlen, "'%s': no complete answer within %u ms", sock, timeout_ms);
	else if (r == -EPROTO && closed)
		wg_set_err(err, errlen, "'%s' closed the connection before the end of its answer (%zu bytes)", sock,
			d.total);
	else if (r == -EPROTO)
		wg_set_err(err, errlen, "'%s': malformed answer (in its first %zu bytes)", sock, d.total);
	else if (r == -E2BIG)
		wg_set_err(err, errlen, "'%s': answer larger than %u bytes", sock, WG_DUMP_MAX);
	else if (r < 0)
		wg_set_err(err, errlen, "'%s': %s", sock, strerror(-r));
	else if (d.daemon_errno) {
		wg_set_err(err, errlen, "WireGuard daemon at '%s' refused the request: errno=-%d (%s)", sock,
			d.daemon_errno, strerror(d.daemon_errno));
		r = -d.daemon_errno;
	}
	return r;
}

int wg_uapi_sock_path(const char *ifname, char *out, size_t outlen)
{
	size_t len = strnlen(ifname, IFNAME_MAX + 1);
	if (len == 0 || len > IFNAME_MAX || strspn(ifname, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
						   "0123456789_.-") != len ||
	    strcmp(ifname, ".") == 0 || strcmp(ifname, "..") == 0)
		return -EINVAL;
	int n = snprintf(out, outlen, WG_UAPI_SOCK_DIR "/%s.sock", ifname);
	return n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
}

int wg_uapi_set_device(const char *sock, const uint8_t private_key[WG_KEY_LEN], uint16_t listen_port,
		       unsigned timeout_ms, char *err, size_t errlen)
{
	_cleanup_(request_free) struct request q = { 0 };
	int r = request_new(&q, DEVICE_TEXT_MAX);
	if (r == 0)
		r = put(&q, "set=1\n");
	if (r == 0)
		r = put_key(&q, "private_key", private_key);
	if (r == 0)
		r = put(&q, "listen_port=%u\n\n", listen_port);
	if (r < 0) {
		wg_set_err(err, errlen, "cannot build the request: %s", strerror(-r));
		return r;
	}
	return transact(sock, &q, NULL, timeout_ms, err, errlen);
}

static int put_peer(struct request *q, const struct wg_peer_config *p)
{
	static const uint8_t zero[WG_KEY_LEN];
	int r = put_key(q, "public_key", p->public_key);
	if (r == 0)
		r = put_key(q, "preshared_key", p->has_psk ? p->psk : zero);
	if (r == 0)
		r = put(q, "persistent_keepalive_interval=%u\nreplace_allowed_ips=true\n", p->keepalive_s);
	for (size_t j = 0; r == 0 && j < p->n_allowed; j++) {
		char text[CIDR_STR_MAX];
		cidr_format(&p->allowed[j], text);
		r = put(q, "allowed_ip=%s\n", text);
	}
	return r;
}

int wg_uapi_apply(const char *sock, const struct wg_peer_config *set, size_t n_set,
		  const uint8_t (*remove)[WG_KEY_LEN], size_t n_remove, unsigned timeout_ms, char *err,
		  size_t errlen)
{
	int r = wg_config_check(set, n_set, remove, n_remove, err, errlen);
	if (r < 0)
		return r;

	_cleanup_(request_free) struct request q = { 0 };
	r = request_new(&q, 16 + n_set * PEER_SET_TEXT_MAX + n_remove * PEER_REMOVE_TEXT_MAX);
	if (r == 0)
		r = put(&q, "set=1\n");
	for (size_t i = 0; r == 0 && i < n_remove; i++) {
		r = put_key(&q, "public_key", remove[i]);
		if (r == 0)
			r = put(&q, "remove=true\n");
	}
	for (size_t i = 0; r == 0 && i < n_set; i++)
		r = put_peer(&q, &set[i]);
	if (r == 0)
		r = put(&q, "\n");
	if (r < 0) {
		wg_set_err(err, errlen, "cannot build the request: %s", strerror(-r));
		return r;
	}
	return transact(sock, &q, NULL, timeout_ms, err, errlen);
}

int wg_uapi_set_peer(const char *sock, const struct wg_peer_config *peer, unsigned timeout_ms, char *err,
		     size_t errlen)
{
	return wg_uapi_apply(sock, peer, 1, NULL, 0, timeout_ms, err, errlen);
}

int wg_uapi_remove_peer(const char *sock, const uint8_t public_key[WG_KEY_LEN], unsigned timeout_ms, char *err,
			size_t errlen)
{
	return wg_uapi_apply(sock, NULL, 0, (const uint8_t(*)[WG_KEY_LEN])public_key, 1, timeout_ms, err, errlen);
}

int wg_uapi_get(const char *sock, struct wg_device_state *ret, unsigned timeout_ms, char *err, size_t errlen)
{
	static const char get[] = "get=1\n\n";
	struct request q = { .data = (char *)get, .len = sizeof(get) - 1, .cap = sizeof(get) };
	struct wg_device_state st = { 0 };
	int r = transact(sock, &q, &st, timeout_ms, err, errlen);
	if (r < 0) {
		wg_device_state_free(&st);
		return r;
	}
	*ret = st;
	return 0;
}
