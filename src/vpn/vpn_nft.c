/* The VPN's firewall sets from the peers' grants (see vpn_nft.h). */
#include "vpn_nft.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>

#include "model/vpn_access.h"
#include "net/nft_render.h"
#include "common/banned.h"

#define SET_PREFIX NFT_TABLE_FAMILY " " NFT_TABLE_NAME " "

/* One "<verb> element" command per set, its elements appended as found;
 * an empty set gets no command (nft refuses an empty list). */
struct element_list {
	const char *verb; /* "add", "delete" */
	const char *set;
	struct buf text;
	size_t n;
};

static int element_add(struct element_list *l, const char *fmt_elem, ...) __attribute__((format(printf, 2, 3)));
static int element_add(struct element_list *l, const char *fmt_elem, ...)
{
	int r = l->n == 0 ? buf_printf(&l->text, "%s element " SET_PREFIX "%s { ", l->verb, l->set)
			  : buf_printf(&l->text, ", ");
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

/* The elements of one active peer, appended to the four lists. */
static int peer_elements(const struct vpn_peer *p, const struct ipv4_net *ip_range, struct element_list lists[4])
{
	struct vpn_access a;
	vpn_access_of(p, ip_range, &a);
	char peer[IPV4_STR_MAX];
	ipv4_format(p->address, peer);
	int r = 0;
	for (size_t g = 0; r == 0 && g < a.n_grants; g++) {
		char dst[IPV4_STR_MAX];
		ipv4_format(a.grants[g].daddr, dst);
		r = element_add(&lists[0], "%s . %s . %s . %u", peer, dst, a.grants[g].proto == VPN_PROTO_TCP ? "tcp" : "udp",
				a.grants[g].port);
		if (r == 0 && !seen_before(&a, g))
			r = element_add(&lists[1], "%s . %s", peer, dst);
	}
	if (r == 0 && a.internet)
		r = element_add(&lists[2], "%s", peer);
	if (r == 0 && a.peers)
		r = element_add(&lists[3], "%s", peer);
	return r;
}

static const char *const sets[4] = { NFT_VPN_GRANTS, NFT_VPN_PING, NFT_VPN_INTERNET, NFT_VPN_PEERS };

static void lists_init(struct element_list lists[4], const char *verb, size_t limit)
{
	for (size_t i = 0; i < 4; i++) {
		lists[i] = (struct element_list){ .verb = verb, .set = sets[i] };
		buf_init(&lists[i].text, limit);
	}
}

static int lists_end(struct element_list lists[4], struct buf *out, int r)
{
	for (size_t i = 0; i < 4; i++) {
		int q = element_list_end(&lists[i], out);
		if (q < 0 && r == 0)
			r = q;
	}
	return r;
}

int vpn_nft_commands(const struct vpn_peer *peers, size_t n, const struct ipv4_net *ip_range, int64_t now,
		     struct buf *out)
{
	int r = 0;
	for (size_t i = 0; r == 0 && i < 4; i++)
		r = buf_printf(out, "flush set " SET_PREFIX "%s\n", sets[i]);
	struct element_list lists[4];
	lists_init(lists, "add", out->limit);
	for (size_t i = 0; r == 0 && i < n; i++)
		if (vpn_peer_active(&peers[i], now))
			r = peer_elements(&peers[i], ip_range, lists);
	return lists_end(lists, out, r);
}

int vpn_nft_peer_commands(const struct vpn_peer *before, const struct vpn_peer *after,
			  const struct ipv4_net *ip_range, int64_t now, struct buf *out)
{
	struct element_list gone[4], added[4];
	lists_init(gone, "delete", out->limit);
	lists_init(added, "add", out->limit);
	int r = 0;
	if (before && vpn_peer_active(before, now))
		r = peer_elements(before, ip_range, gone);
	if (r == 0 && after && vpn_peer_active(after, now))
		r = peer_elements(after, ip_range, added);
	r = lists_end(gone, out, r);
	return lists_end(added, out, r);
}
