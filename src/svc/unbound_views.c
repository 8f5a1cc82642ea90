/* Per-peer DNS views for unbound (see unbound_views.h). */
#include "unbound_views.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ipplan.h"
#include "model/vpn_dns.h"
#include "unbound_ctl.h"
#include "common/banned.h"

/* Every address a peer can have: vpn_subnet without its network,
 * broadcast and server addresses. */
static bool peer_address(const struct ipv4_net *net, uint64_t off, uint32_t *ret)
{
	uint64_t size = cidr_size(net);
	if (off < 2 || off + 1 >= size)
		return false;
	*ret = (net->addr & cidr_mask(net->prefix)) + (uint32_t)off;
	return true;
}

int unbound_views_access(const struct svc_input *in, struct buf *out)
{
	const struct ipv4_net *net = &in->cell->vpn_subnet;
	int r = buf_printf(out, "\t# One view per VPN peer address: a peer resolves only the names\n"
				"\t# of the services it was granted (views below).\n");
	uint64_t size = cidr_size(net);
	for (uint64_t off = 0; r == 0 && off < size; off++) {
		uint32_t a;
		if (!peer_address(net, off, &a))
			continue;
		char ip[IPV4_STR_MAX], view[VPN_VIEW_NAME_MAX];
		ipv4_format(a, ip);
		vpn_view_name(a, view);
		r = buf_printf(out, "\taccess-control-view: %s/32 %s\n", ip, view);
	}
	return r ? r : buf_printf(out, "\n");
}

int unbound_views_render(const struct svc_input *in, const char *zone, struct buf *out)
{
	const struct ipv4_net *net = &in->cell->vpn_subnet;
	uint64_t size = cidr_size(net);
	uint32_t base = net->addr & cidr_mask(net->prefix);
	/* The active peer at each offset. */
	const struct vpn_peer **at = calloc(size, sizeof(*at));
	if (!at)
		return -ENOMEM;
	for (size_t i = 0; i < in->n_peers; i++)
		if (vpn_peer_active(&in->peers[i], in->now) && in->peers[i].address - base < size)
			at[in->peers[i].address - base] = &in->peers[i];
	int r = 0;
	for (uint64_t off = 0; r == 0 && off < size; off++) {
		uint32_t a;
		if (!peer_address(net, off, &a))
			continue;
		char view[VPN_VIEW_NAME_MAX];
		vpn_view_name(a, view);
		r = buf_printf(out, "\nview:\n\tname: \"%s\"\n\tview-first: yes\n", view);
		const char *hidden[VPN_HIDDEN_MAX];
		size_t n = at[off] ? vpn_hidden_labels(at[off], hidden) : 0;
		for (size_t h = 0; r == 0 && h < n; h++)
			r = buf_printf(out, "\tlocal-zone: \"%s.%s.\" always_nxdomain\n", hidden[h], zone);
	}
	free(at);
	return r;
}

static bool listed(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static int view_command(const char *sock, const char *verb, const char *view, const char *label, const char *zone,
			char *err, size_t errlen)
{
	char cmd[256], reply[256] = "";
	int n = snprintf(cmd, sizeof(cmd), "%s %s %s.%s.%s", verb, view, label, zone,
			 strcmp(verb, "view_local_zone") == 0 ? " always_nxdomain" : "");
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -ENAMETOOLONG;
	int r = unbound_ctl(sock, cmd, NULL, 0, reply, sizeof(reply), UNBOUND_CTL_TIMEOUT_MS);
	if (r < 0)
		snprintf(err, errlen, "unbound %s: %s", cmd, reply[0] ? reply : strerror(-r));
	return r;
}

int unbound_views_change(const char *sock, const char *zone, const struct vpn_peer *before,
			 const struct vpn_peer *after, int64_t now, char *err, size_t errlen)
{
	const char *was[VPN_HIDDEN_MAX], *is[VPN_HIDDEN_MAX];
	bool was_on = before && vpn_peer_active(before, now), is_on = after && vpn_peer_active(after, now);
	size_t n_was = was_on ? vpn_hidden_labels(before, was) : 0;
	size_t n_is = is_on ? vpn_hidden_labels(after, is) : 0;
	bool same_view = was_on && is_on && before->address == after->address;
	char view[VPN_VIEW_NAME_MAX];
	int r = 0;
	/* The old view: what it hid and should no longer. */
	if (was_on) {
		vpn_view_name(before->address, view);
		for (size_t i = 0; r == 0 && i < n_was; i++)
			if (!same_view || !listed(is, n_is, was[i]))
				r = view_command(sock, "view_local_zone_remove", view, was[i], zone, err, errlen);
	}
	/* The new view: what it must hide now. */
	if (is_on) {
		vpn_view_name(after->address, view);
		for (size_t i = 0; r == 0 && i < n_is; i++)
			if (!same_view || !listed(was, n_was, is[i]))
				r = view_command(sock, "view_local_zone", view, is[i], zone, err, errlen);
	}
	return r;
}
