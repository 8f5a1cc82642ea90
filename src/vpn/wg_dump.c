/* Streaming parser of UAPI answers (see wg_dump.h). */
#include "wg_dump.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "common/strparse.h"
#include "common/banned.h"

#define PEERS_MAX (WG_DUMP_MAX / 64) /* far more than any answer can describe */

void wg_device_state_free(struct wg_device_state *st)
{
	if (!st)
		return;
	if (st->peers)
		sodium_memzero(st->peers, st->cap_peers * sizeof(*st->peers));
	free(st->peers);
	*st = (struct wg_device_state){ 0 };
}

void wg_dump_init(struct wg_dump *d, struct wg_device_state *state)
{
	*d = (struct wg_dump){ .state = state };
}

void wg_dump_wipe(struct wg_dump *d)
{
	sodium_memzero(d->line, sizeof(d->line));
	d->line_len = 0;
}

static bool key_chars(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
			return false;
	return true;
}

static int parse_errno(const char *v, int *ret)
{
	uint32_t n;
	if (*v == '-')
		v++;
	if (parse_u32(v, 0, 4095, &n) < 0)
		return -EPROTO;
	*ret = (int)n;
	return 0;
}

int wg_device_state_add_peer(struct wg_device_state *st, const uint8_t key[WG_KEY_LEN], struct wg_peer_state **ret)
{
	if (st->n_peers == st->cap_peers) {
		if (st->cap_peers >= PEERS_MAX)
			return -E2BIG;
		size_t cap = st->cap_peers ? st->cap_peers * 2 : 16;
		/* A fresh block and a wiped old one: realloc would leave
		 * preshared keys behind in freed memory. */
		struct wg_peer_state *p = calloc(cap, sizeof(*p));
		if (!p)
			return -ENOMEM;
		if (st->peers) {
			memcpy(p, st->peers, st->n_peers * sizeof(*p));
			sodium_memzero(st->peers, st->cap_peers * sizeof(*p));
			free(st->peers);
		}
		st->peers = p;
		st->cap_peers = cap;
	}
	struct wg_peer_state *peer = &st->peers[st->n_peers++];
	*peer = (struct wg_peer_state){ 0 };
	memcpy(peer->public_key, key, WG_KEY_LEN);
	if (ret)
		*ret = peer;
	return 0;
}

void wg_peer_state_add_allowed(struct wg_peer_state *peer, const struct ipv4_net *net)
{
	if (net && peer->n_allowed < WG_ALLOWED_MAX)
		peer->allowed[peer->n_allowed++] = *net;
	else
		peer->n_allowed_unlisted++;
}

static int add_peer(struct wg_device_state *st, const char *hex, size_t len)
{
	uint8_t key[WG_KEY_LEN];
	if (wg_key_from_hex(hex, len, key) < 0)
		return -EPROTO;
	return wg_device_state_add_peer(st, key, NULL);
}

/* "[v6]:port" or "v4:port" as wireguard-go writes them; checked for shape
 * only (printable, no spaces, a colon), kept as text. */
static int parse_endpoint(const char *v, char out[WG_ENDPOINT_MAX])
{
	size_t len = strlen(v);
	if (len == 0 || len >= WG_ENDPOINT_MAX || !strchr(v, ':'))
		return -EPROTO;
	for (size_t i = 0; i < len; i++)
		if (v[i] <= ' ' || v[i] > '~')
			return -EPROTO;
	memcpy(out, v, len + 1);
	return 0;
}

static int parse_allowed(const char *v, struct wg_peer_state *peer)
{
	if (strchr(v, ':')) {
		char addr[64];
		const char *slash = strchr(v, '/');
		uint32_t prefix;
		struct in6_addr a6;
		if (!slash || (size_t)(slash - v) >= sizeof(addr))
			return -EPROTO;
		memcpy(addr, v, (size_t)(slash - v));
		addr[slash - v] = '\0';
		if (inet_pton(AF_INET6, addr, &a6) != 1 || parse_u32(slash + 1, 0, 128, &prefix) < 0)
			return -EPROTO;
		wg_peer_state_add_allowed(peer, NULL);
		return 0;
	}
	struct ipv4_net net;
	if (cidr_parse(v, &net) < 0)
		return -EPROTO;
	wg_peer_state_add_allowed(peer, &net);
	return 0;
}

static int device_line(struct wg_device_state *st, const char *k, const char *v)
{
	uint32_t n;
	if (strcmp(k, "private_key") == 0) {
		uint8_t priv[WG_KEY_LEN];
		if (wg_key_from_hex(v, strlen(v), priv) < 0)
			return -EPROTO;
		st->has_private_key = !wg_key_is_zero(priv);
		if (st->has_private_key)
			wg_key_public(priv, st->public_key);
		sodium_memzero(priv, sizeof(priv));
	} else if (strcmp(k, "listen_port") == 0) {
		if (parse_u32(v, 0, UINT16_MAX, &n) < 0)
			return -EPROTO;
		st->listen_port = (uint16_t)n;
	} else if (strcmp(k, "fwmark") == 0) {
		if (parse_u32(v, 0, UINT32_MAX, &st->fwmark) < 0)
			return -EPROTO;
	}
	return 0;
}

static int peer_line(struct wg_peer_state *peer, const char *k, const char *v)
{
	uint64_t n;
	uint32_t u;
	if (strcmp(k, "preshared_key") == 0) {
		if (wg_key_from_hex(v, strlen(v), peer->psk) < 0)
			return -EPROTO;
		peer->has_psk = !wg_key_is_zero(peer->psk);
	} else if (strcmp(k, "endpoint") == 0) {
		return parse_endpoint(v, peer->endpoint);
	} else if (strcmp(k, "last_handshake_time_sec") == 0) {
		if (parse_u64(v, 0, INT64_MAX, &n) < 0)
			return -EPROTO;
		peer->last_handshake = (int64_t)n;
	} else if (strcmp(k, "last_handshake_time_nsec") == 0) {
		if (parse_u32(v, 0, 999999999, &u) < 0)
			return -EPROTO;
	} else if (strcmp(k, "rx_bytes") == 0) {
		if (parse_u64(v, 0, UINT64_MAX, &peer->rx_bytes) < 0)
			return -EPROTO;
	} else if (strcmp(k, "tx_bytes") == 0) {
		if (parse_u64(v, 0, UINT64_MAX, &peer->tx_bytes) < 0)
			return -EPROTO;
	} else if (strcmp(k, "persistent_keepalive_interval") == 0) {
		if (parse_u32(v, 0, UINT16_MAX, &u) < 0)
			return -EPROTO;
		peer->keepalive_s = u;
	} else if (strcmp(k, "allowed_ip") == 0) {
		return parse_allowed(v, peer);
	} else if (strcmp(k, "protocol_version") == 0) {
		if (parse_u32(v, 1, UINT32_MAX, &u) < 0)
			return -EPROTO;
	}
	return 0;
}

static bool is_device_key(const char *k)
{
	return strcmp(k, "private_key") == 0 || strcmp(k, "listen_port") == 0 || strcmp(k, "fwmark") == 0;
}

static bool is_peer_key(const char *k)
{
	static const char *const keys[] = {
		"preshared_key",    "endpoint", "last_handshake_time_sec", "last_handshake_time_nsec",
		"rx_bytes",         "tx_bytes", "persistent_keepalive_interval", "allowed_ip",
		"protocol_version",
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(k, keys[i]) == 0)
			return true;
	return false;
}

/* One complete line, without its "\n", NUL-terminated in d->line. */
static int line_end(struct wg_dump *d)
{
	char *line = d->line;
	if (d->line_len == 0) {
		if (!d->have_errno)
			return -EPROTO; /* the end, before errno */
		d->done = true;
		return 1;
	}
	if (d->have_errno)
		return -EPROTO; /* only the empty line may follow errno */
	char *eq = memchr(line, '=', d->line_len);
	if (!eq || !key_chars(line, (size_t)(eq - line)) || memchr(line, '\0', d->line_len))
		return -EPROTO;
	*eq = '\0';
	const char *k = line, *v = eq + 1;
	if (strcmp(k, "errno") == 0) {
		d->have_errno = true;
		return parse_errno(v, &d->daemon_errno);
	}
	struct wg_device_state *st = d->state;
	if (!st)
		return -EPROTO; /* a set is answered with errno alone */
	if (strcmp(k, "public_key") == 0) {
		d->in_peer = true;
		return add_peer(st, v, strlen(v));
	}
	if (is_device_key(k))
		return d->in_peer ? -EPROTO : device_line(st, k, v);
	if (is_peer_key(k))
		return d->in_peer ? peer_line(&st->peers[st->n_peers - 1], k, v) : -EPROTO;
	return 0; /* a key this parser does not know */
}

int wg_dump_feed(struct wg_dump *d, const char *data, size_t n)
{
	if (d->done)
		return n ? -EPROTO : 1;
	if (n > WG_DUMP_MAX - d->total)
		return -E2BIG;
	d->total += n;
	while (n > 0) {
		const char *nl = memchr(data, '\n', n);
		size_t take = nl ? (size_t)(nl - data) : n;
		if (take > WG_DUMP_LINE_MAX - d->line_len)
			return -EPROTO;
		memcpy(d->line + d->line_len, data, take);
		d->line_len += take;
		if (!nl)
			return 0;
		data += take + 1;
		n -= take + 1;
		d->line[d->line_len] = '\0';
		int r = line_end(d);
		sodium_memzero(d->line, d->line_len + 1);
		d->line_len = 0;
		if (r < 0)
			return r;
		if (r > 0)
			return n == 0 ? 1 : -EPROTO;
	}
	return 0;
}

int wg_dump_parse(const char *text, size_t len, struct wg_device_state *ret_state)
{
	struct wg_device_state st = { 0 };
	struct wg_dump d;
	wg_dump_init(&d, &st);
	int r = wg_dump_feed(&d, text, len);
	wg_dump_wipe(&d);
	if (r == 0)
		r = -EPROTO;
	else if (r > 0 && d.daemon_errno)
		r = -d.daemon_errno;
	if (r < 0) {
		wg_device_state_free(&st);
		return r;
	}
	*ret_state = st;
	return 0;
}
