/* The DNS service's views in unbound (see unbound_views.h). */
#include "unbound_views.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ipplan.h"
#include "model/vpn_dns.h"
#include "svc_unbound.h"
#include "unbound_ctl.h"
#include "common/banned.h"

#define HIDE_TYPE "always_nxdomain"
#define APEX_TYPE "typetransparent"

/* What one view holds beyond the global zones. */
struct view_content {
	const char *hidden[VPN_HIDDEN_MAX]; /* labels under the zone */
	size_t n_hidden;
	bool apex; /* the apex's A record */
};

/* The view of `p` (NULL: no peer): empty unless `p` is active. */
static void peer_content(const struct vpn_peer *p, int64_t now, struct view_content *ret)
{
	*ret = (struct view_content){ 0 };
	if (!p || !vpn_peer_active(p, now))
		return;
	ret->n_hidden = vpn_hidden_labels(p, ret->hidden);
	ret->apex = vpn_apex_visible(p);
}

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

int unbound_views_access(const struct svc_input *in, const struct ipv4_net *allowed, size_t n, struct buf *out)
{
	char ip[CIDR_STR_MAX];
	int r = buf_printf(out, "\t# Every network allowed above: clients that are not VPN peers see\n"
				"\t# the apex's address (view cell-clients).\n");
	for (size_t i = 0; r == 0 && i < n; i++) {
		cidr_format(&allowed[i], ip);
		r = buf_printf(out, "\taccess-control-view: %s " UNBOUND_VIEWS_CLIENTS "\n", ip);
	}
	if (r == 0)
		r = buf_printf(out, "\t# One view per VPN peer address: a peer resolves only the names\n"
				    "\t# of the services it was granted (views below).\n");
	const struct ipv4_net *net = &in->cell->vpn_subnet;
	uint64_t size = cidr_size(net);
	for (uint64_t off = 0; r == 0 && off < size; off++) {
		uint32_t a;
		if (!peer_address(net, off, &a))
			continue;
		char view[VPN_VIEW_NAME_MAX];
		ipv4_format(a, ip);
		vpn_view_name(a, view);
		r = buf_printf(out, "\taccess-control-view: %s/32 %s\n", ip, view);
	}
	return r ? r : buf_printf(out, "\n");
}

static int render_view(struct buf *out, const char *view, const struct view_content *c,
		       const struct svc_unbound_apex_a *apex)
{
	int r = buf_printf(out, "\nview:\n\tname: \"%s\"\n\tview-first: yes\n", view);
	if (r == 0 && c->apex)
		r = buf_printf(out, "\tlocal-zone: \"%s.\" " APEX_TYPE "\n\tlocal-data: \"%s\"\n", apex->zone,
			       apex->rr);
	for (size_t h = 0; r == 0 && h < c->n_hidden; h++)
		r = buf_printf(out, "\tlocal-zone: \"%s.%s.\" " HIDE_TYPE "\n", c->hidden[h], apex->zone);
	return r;
}

int unbound_views_render(const struct svc_input *in, struct buf *out)
{
	struct svc_unbound_apex_a apex;
	int r = svc_unbound_apex_a(in->cell, &apex);
	if (r < 0)
		return r;
	const struct view_content clients = { .apex = true };
	r = render_view(out, UNBOUND_VIEWS_CLIENTS, &clients, &apex);
	if (r < 0)
		return r;

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
	for (uint64_t off = 0; r == 0 && off < size; off++) {
		uint32_t a;
		if (!peer_address(net, off, &a))
			continue;
		char view[VPN_VIEW_NAME_MAX];
		struct view_content c;
		vpn_view_name(a, view);
		peer_content(at[off], in->now, &c);
		r = render_view(out, view, &c, &apex);
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

/* One control command, "<verb> <view> <args>". */
static int view_command(const char *sock, const char *verb, const char *view, const char *args, char *err,
			size_t errlen)
{
	char cmd[UNBOUND_CTL_COMMAND_MAX + 1], reply[256] = "";
	int n = snprintf(cmd, sizeof(cmd), "%s %s %s", verb, view, args);
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -ENAMETOOLONG;
	int r = unbound_ctl(sock, cmd, NULL, 0, reply, sizeof(reply), UNBOUND_CTL_TIMEOUT_MS);
	if (r < 0)
		snprintf(err, errlen, "unbound %s: %s", cmd, reply[0] ? reply : strerror(-r));
	return r;
}

/* Adds to `view` (or removes from it) what `c` holds and `keep` does not
 * (`keep` NULL: everything). */
static int view_edit(const char *sock, const char *view, bool add, const struct view_content *c,
		     const struct view_content *keep, const struct svc_unbound_apex_a *apex, char *err, size_t errlen)
{
	char args[UNBOUND_CTL_COMMAND_MAX + 1];
	int r = 0;
	for (size_t i = 0; r == 0 && i < c->n_hidden; i++) {
		if (keep && listed(keep->hidden, keep->n_hidden, c->hidden[i]))
			continue;
		int n = snprintf(args, sizeof(args), "%s.%s.%s", c->hidden[i], apex->zone, add ? " " HIDE_TYPE : "");
		if (n < 0 || (size_t)n >= sizeof(args))
			return -ENAMETOOLONG;
		r = view_command(sock, add ? "view_local_zone" : "view_local_zone_remove", view, args, err, errlen);
	}
	if (r < 0 || !c->apex || (keep && keep->apex))
		return r;
	/* The zone first: data alone would make it a transparent zone, which
	 * hides the apex's other types. Removing the zone drops its data. */
	int n = snprintf(args, sizeof(args), "%s.%s", apex->zone, add ? " " APEX_TYPE : "");
	if (n < 0 || (size_t)n >= sizeof(args))
		return -ENAMETOOLONG;
	r = view_command(sock, add ? "view_local_zone" : "view_local_zone_remove", view, args, err, errlen);
	if (r == 0 && add)
		r = view_command(sock, "view_local_data", view, apex->rr, err, errlen);
	return r;
}

int unbound_views_change(const char *sock, const struct cell_config *cell, const struct vpn_peer *before,
			 const struct vpn_peer *after, int64_t now, char *err, size_t errlen)
{
	struct svc_unbound_apex_a apex;
	int r = svc_unbound_apex_a(cell, &apex);
	if (r < 0) {
		snprintf(err, errlen, "the cell zone: %s", strerror(-r));
		return r;
	}
	struct view_content was, is;
	peer_content(before, now, &was);
	peer_content(after, now, &is);
	/* Either side inactive holds nothing: then the other is done whole. */
	bool same_view = before && after && before->address == after->address;
	char view[VPN_VIEW_NAME_MAX];
	/* The old view: what it held and should no longer. */
	if (before) {
		vpn_view_name(before->address, view);
		r = view_edit(sock, view, false, &was, same_view ? &is : NULL, &apex, err, errlen);
	}
	/* The new view: what it must hold now. */
	if (r == 0 && after) {
		vpn_view_name(after->address, view);
		r = view_edit(sock, view, true, &is, same_view ? &was : NULL, &apex, err, errlen);
	}
	return r;
}
