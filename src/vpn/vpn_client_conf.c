/* A peer's client config (see vpn_client_conf.h). */
#include "vpn_client_conf.h"

#include "common/banned.h"

int vpn_client_conf(const struct vpn_client_conf_input *in, struct buf *out)
{
	const struct vpn_peer *p = in->peer;
	char addr[IPV4_STR_MAX], dns[IPV4_STR_MAX], range[CIDR_STR_MAX], vpn[CIDR_STR_MAX];
	ipv4_format(p->address, addr);
	ipv4_format(in->dns, dns);
	cidr_format(&in->ip_range, range);
	cidr_format(&in->vpn_subnet, vpn);
	int r = buf_printf(out, "[Interface]\n");
	if (r == 0)
		r = p->private_key[0] ? buf_printf(out, "PrivateKey = %s\n", p->private_key)
				      : buf_printf(out, "# PrivateKey = the device's own (its public key is %s)\n",
						   p->public_key);
	if (r == 0)
		r = buf_printf(out, "Address = %s/32\nDNS = %s, %s\n\n[Peer]\nPublicKey = %s\n", addr, dns, in->zone,
			       in->server_public_key);
	if (r == 0 && p->preshared_key[0])
		r = buf_printf(out, "PresharedKey = %s\n", p->preshared_key);
	if (r == 0)
		r = buf_printf(out, "Endpoint = %s\nAllowedIPs = %s%s%s\nPersistentKeepalive = %d\n", in->endpoint,
			       p->tunnel == VPN_TUNNEL_FULL ? "0.0.0.0/0" : range, p->tunnel == VPN_TUNNEL_FULL ? "" : ", ",
			       p->tunnel == VPN_TUNNEL_FULL ? "" : vpn, VPN_CLIENT_KEEPALIVE_S);
	return r;
}
