/* The VPN's firewall sets from the peers' grants (see vpn_nft.h). */
#include "vpn_nft.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>

#include "model/vpn_access.h"
#include "net/nft_render.h"
#include "common/banned.h"

#define SET_PREFIX NFT_TABLE_FAMILY " " NFT_TABLE_NAME " "

/* One "add element" command per set, its elements appended as found;
 * an empty set gets no command (nft refuses an empty list). */
struct element_list {
	struct buf text;
	size_t n;
};

static int element_add(struct element_list *l, const char *set, const char *fmt_elem, ...)
	__attribute__((format(printf, 3, 4)));
static int element_add(struct element_list *l, const char *set, const char *fmt_elem, ...)
{
	int r = l->n == 0 ? buf_printf(&l->text, "add element " SET_PREFIX "%s { ", set) : buf_printf(&l->text, ", ");
	if (r < 0)
		return r;
	va_list ap;
	va_start(ap, fmt_elem);
	r = buf_vprintf(&l->text, fmt_elem, ap);
	va_end(ap);
	l->n++;
	return r;
}

static int element_list_end(struct element_list *l, struct buf *out)
{
	int r = 0;
	if (l->n)
		r = buf_printf(&l->text, " }\n");
	if (r == 0 && l->n)
		r = buf_append(out, l->text.data, l->text.len);
	buf_free(&l->text);
	return r;
}

static bool seen_before(const struct vpn_access *a, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (a->grants[j].daddr == a->grants[i].daddr)
			return true;
	return false;
}

int vpn_nft_commands(const struct vpn_peer *peers, size_t n, const struct ipv4_net *ip_range, int64_t now,
		     struct buf *out)
{
	int r = buf_printf(out, "flush set " SET_PREFIX NFT_VPN_GRANTS "\n"
				"flush set " SET_PREFIX NFT_VPN_PING "\n"
				"flush set " SET_PREFIX NFT_VPN_INTERNET "\n"
				"flush set " SET_PREFIX NFT_VPN_PEERS "\n");
	struct element_list grants = { 0 }, ping = { 0 }, internet = { 0 }, others = { 0 };
	size_t limit = out->limit ? out->limit : (64u << 20);
	buf_init(&grants.text, limit);
	buf_init(&ping.text, limit);
	buf_init(&internet.text, limit);
	buf_init(&others.text, limit);
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (!vpn_peer_active(&peers[i], now))
			continue;
		struct vpn_access a;
		vpn_access_of(&peers[i], ip_range, &a);
		char peer[IPV4_STR_MAX];
		ipv4_format(peers[i].address, peer);
		for (size_t g = 0; r == 0 && g < a.n_grants; g++) {
			char dst[IPV4_STR_MAX];
			ipv4_format(a.grants[g].daddr, dst);
			r = element_add(&grants, NFT_VPN_GRANTS, "%s . %s . %s . %u", peer, dst,
					a.grants[g].proto == VPN_PROTO_TCP ? "tcp" : "udp", a.grants[g].port);
			if (r == 0 && !seen_before(&a, g))
				r = element_add(&ping, NFT_VPN_PING, "%s . %s", peer, dst);
		}
		if (r == 0 && a.internet)
			r = element_add(&internet, NFT_VPN_INTERNET, "%s", peer);
		if (r == 0 && a.peers)
			r = element_add(&others, NFT_VPN_PEERS, "%s", peer);
	}
	int q;
	if ((q = element_list_end(&grants, out)) < 0 && r == 0)
		r = q;
	if ((q = element_list_end(&ping, out)) < 0 && r == 0)
		r = q;
	if ((q = element_list_end(&internet, out)) < 0 && r == 0)
		r = q;
	if ((q = element_list_end(&others, out)) < 0 && r == 0)
		r = q;
	return r;
}
