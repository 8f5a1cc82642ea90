/* Renders the cell's nftables table (see nft_render.h).
 *
 * Cell traffic is dropped unless named below. The chain's policy stays
 * accept so that forwarding that is not the cell's (other bridges or
 * container engines on the same host) is left alone; the last two rules
 * drop whatever else enters or leaves the bridge. There is
 * deliberately no blanket `ct state established accept`: per-peer access
 * rules (VPN peers to services) will have to cut connections that are
 * already open, so established traffic is only accepted in the reply
 * direction, into the bridge. */
#include "nft_render.h"

#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <string.h>

#include "model/cidr.h"
#include "model/ipplan.h"
#include "model/published.h"
#include "common/banned.h"

/* Interface names reach the ruleset quoted: allow only what picd itself
 * creates. */
static bool ifname_valid(const char *s)
{
	size_t n = strnlen(s, IFNAMSIZ);
	if (n == 0 || n >= IFNAMSIZ)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			return false;
	}
	return true;
}

/* "tcp dport { 80, 443 }", "meta l4proto { tcp, udp } th dport 53". */
static int render_match(const struct published *pub, struct buf *out)
{
	int r = pub->tcp && pub->udp ? buf_printf(out, "meta l4proto { tcp, udp } th dport ")
				     : buf_printf(out, "%s dport ", pub->tcp ? "tcp" : "udp");
	for (size_t i = 0; r == 0 && i < pub->n_ports; i++)
		r = buf_printf(out, "%s%u", i ? ", " : pub->n_ports > 1 ? "{ " : "", (unsigned)pub->ports[i]);
	return r == 0 && pub->n_ports > 1 ? buf_printf(out, " }") : r;
}

static int render_prerouting(const struct netplan *p, struct buf *out)
{
	int r = buf_printf(out, "\n\tchain prerouting {\n"
				"\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
				"\t\t# Published services: what reaches the host's own addresses on\n"
				"\t\t# these ports goes to the service's address in the cell.\n");
	for (size_t i = 0; r == 0 && i < published_table_len; i++) {
		const struct published *pub = &published_table[i];
		const struct netplan_service *s = netplan_find(p, pub->service);
		if (!s)
			continue;
		const struct ipplan_entry *vip = pub->virtual_ip ? ipplan_find_virtual_ip(pub->virtual_ip) : NULL;
		char ip[IPV4_STR_MAX];
		ipv4_format(vip ? ipplan_address(&p->ip_range, vip) : s->addrs[0], ip);
		r = buf_printf(out, "\t\tfib daddr type local ");
		if (r == 0)
			r = render_match(pub, out);
		if (r == 0)
			r = buf_printf(out, " dnat ip to %s\n", ip);
	}
	return r ? r : buf_printf(out, "\t}\n");
}

/* The VPN's sets: picd fills them from the peers' grants
 * (vpn_nft_elements) after the table is in place. */
static int render_vpn_sets(struct buf *out)
{
	return buf_printf(out,
		"\t# VPN peer . service address . protocol . port: what each peer may reach.\n"
		"\tset " NFT_VPN_GRANTS " {\n"
		"\t\ttype ipv4_addr . ipv4_addr . inet_proto . inet_service\n"
		"\t}\n"
		"\t# VPN peer . service address: ping, where the peer has a grant.\n"
		"\tset " NFT_VPN_PING " {\n"
		"\t\ttype ipv4_addr . ipv4_addr\n"
		"\t}\n"
		"\t# VPN peers that may reach the internet through the cell.\n"
		"\tset " NFT_VPN_INTERNET " {\n"
		"\t\ttype ipv4_addr\n"
		"\t}\n"
		"\t# VPN peers that may reach one another (both must be in it).\n"
		"\tset " NFT_VPN_PEERS " {\n"
		"\t\ttype ipv4_addr\n"
		"\t}\n\n");
}

/* First in the forward chain: a VPN peer's packets, both ways, must match
 * one of its grants, so removing a grant cuts connections already open. */
static int render_vpn_forward(const struct netplan *p, struct buf *out)
{
	const char *wg = NETPLAN_VPN_IFNAME, *br = p->bridge;
	return buf_printf(out,
		"\t\t# VPN peers: what each was granted, on every packet both ways.\n"
		"\t\tiifname \"%s\" oifname \"%s\" ip saddr . ip daddr . meta l4proto . th dport @" NFT_VPN_GRANTS " accept\n"
		"\t\tiifname \"%s\" oifname \"%s\" ip daddr . ip saddr . meta l4proto . th sport @" NFT_VPN_GRANTS " accept\n"
		"\t\tiifname \"%s\" oifname \"%s\" icmp type echo-request ip saddr . ip daddr @" NFT_VPN_PING " accept\n"
		"\t\tiifname \"%s\" oifname \"%s\" icmp type echo-reply ip daddr . ip saddr @" NFT_VPN_PING " accept\n"
		"\t\tiifname \"%s\" oifname \"%s\" ip saddr @" NFT_VPN_PEERS " ip daddr @" NFT_VPN_PEERS " accept\n"
		"\t\tiifname \"%s\" oifname != { \"%s\", \"%s\" } ip saddr @" NFT_VPN_INTERNET " accept\n"
		"\t\toifname \"%s\" iifname != { \"%s\", \"%s\" } ct direction reply ip daddr @" NFT_VPN_INTERNET " accept\n"
		"\t\tiifname \"%s\" drop\n"
		"\t\toifname \"%s\" drop\n",
		wg, br, br, wg, wg, br, br, wg, wg, wg, wg, br, wg, wg, br, wg, wg, wg);
}

int nft_render(const struct netplan *p, struct buf *out)
{
	if (!ifname_valid(p->bridge) || p->ip_range.prefix > 32)
		return -EINVAL;

	char net[CIDR_STR_MAX];
	cidr_format(&p->ip_range, net);
	const char *br = p->bridge;

	int r = buf_printf(out,
		"# The cell network, generated by picd from its configuration: do not edit.\n"
		"table " NFT_TABLE_FAMILY " " NFT_TABLE_NAME " {\n");
	if (r == 0)
		r = render_vpn_sets(out);
	if (r == 0)
		r = buf_printf(out,
		"\tchain forward {\n"
		"\t\ttype filter hook forward priority filter; policy accept;\n");
	if (r == 0)
		r = render_vpn_forward(p, out);
	if (r == 0)
		r = buf_printf(out,
		"\t\t# Service to service: bridged IPv4 passes this hook (br_netfilter)\n"
		"\t\t# with the bridge as both input and output device.\n"
		"\t\tiifname \"%s\" oifname \"%s\" accept\n"
		"\t\t# Services opening connections to the world (masqueraded below).\n"
		"\t\tiifname \"%s\" ip saddr %s oifname != \"%s\" accept\n"
		"\t\t# Replies to those connections, and only replies.\n"
		"\t\toifname \"%s\" ct direction reply ct state established,related accept\n"
		"\t\t# Published services (see prerouting).\n"
		"\t\toifname \"%s\" ct direction original ct status dnat accept\n"
		"\t\t# Nothing else reaches or leaves the cell.\n"
		"\t\tiifname \"%s\" drop\n"
		"\t\toifname \"%s\" drop\n"
		"\t}\n",
		br, br, br, net, br, br, br, br, br);
	if (r == 0)
		r = buf_printf(out,
			"\n\tchain input {\n"
			"\t\ttype filter hook input priority filter; policy accept;\n"
			"\t\t# VPN peers reach the cell's services, not the host itself.\n"
			"\t\tiifname \"%s\" drop\n"
			"\t}\n",
			NETPLAN_VPN_IFNAME);
	if (r == 0)
		r = render_prerouting(p, out);
	char vpn[CIDR_STR_MAX];
	cidr_format(&p->vpn_subnet, vpn);
	if (r == 0)
		r = buf_printf(out,
			"\n\tchain postrouting {\n"
			"\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
			"\t\t# The cell network is private: what leaves it takes the host's address.\n"
			"\t\tip saddr %s oifname != \"%s\" masquerade\n"
			"\t\t# So are VPN peers on their way to the internet.\n"
			"\t\tip saddr %s oifname != { \"%s\", \"%s\" } masquerade\n"
			"\t}\n"
			"}\n",
			net, br, vpn, br, NETPLAN_VPN_IFNAME);
	return r;
}
