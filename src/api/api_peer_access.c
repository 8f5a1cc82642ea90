/* GET /api/peers/{name}/access[?service=S]: what a peer can reach, from
 * the same compiled policy the firewall is filled from (vpn_access.h),
 * and for one service, which rule lets it through or why nothing does. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api_peers.h"
#include "daemon.h"
#include "handlers.h"
#include "model/vpn_access.h"
#include "net/nft_render.h"
#include "common/banned.h"

/* "udp/53" entries and the address of `service` in `a` (0: none). */
static json_t *ports_of(const struct vpn_access *a, const char *service, uint32_t *ret_addr)
{
	json_t *ports = json_array();
	*ret_addr = 0;
	for (size_t i = 0; ports && i < a->n_grants; i++) {
		if (strcmp(a->grants[i].service, service) != 0)
			continue;
		char text[16];
		snprintf(text, sizeof(text), "%s/%u", a->grants[i].proto == VPN_PROTO_TCP ? "tcp" : "udp",
			 a->grants[i].port);
		json_array_append_new(ports, json_string(text));
		*ret_addr = a->grants[i].daddr;
	}
	return ports;
}

/* The grants `service` would have, granted or not (to name its address
 * and ports in a refusal). */
static void would_have(const struct vpn_peer *p, const char *service, const struct ipv4_net *range,
		       struct vpn_access *ret)
{
	struct vpn_peer all = *p;
	struct field_error e;
	if (!vpn_peer_has_service(&all, service))
		(void)vpn_peer_add_service(&all, "services", service, &e);
	vpn_access_of(&all, range, ret);
	sodium_memzero(&all, sizeof(all));
}

static json_t *explain(const struct vpn_peer *p, const char *service, const struct ipv4_net *range, int64_t now)
{
	bool implicit = strcmp(service, "dns") == 0;
	bool granted = implicit || vpn_peer_has_service(p, service);
	bool active = vpn_peer_active(p, now);
	struct vpn_access a;
	would_have(p, service, range, &a);
	uint32_t addr;
	json_t *ports = ports_of(&a, service, &addr);
	char ip[IPV4_STR_MAX], peer_ip[IPV4_STR_MAX], why[400];
	ipv4_format(addr, ip);
	ipv4_format(p->address, peer_ip);
	const char *set = strcmp(service, "internet") == 0 ? NFT_VPN_INTERNET
			  : strcmp(service, "peers") == 0  ? NFT_VPN_PEERS
							   : NFT_VPN_GRANTS;
	if (!active)
		snprintf(why, sizeof(why), "the peer is %s: it is off the interface and has no element in any set",
			 p->enabled ? "expired" : "disabled");
	else if (!granted)
		snprintf(why, sizeof(why), "%s is not among the peer's services: nothing for %s in " NFT_TABLE_NAME " %s, "
			 "so the forward chain's last rule for the VPN drops it", service, peer_ip, set);
	else if (implicit)
		snprintf(why, sizeof(why), "DNS is granted to every peer: %s . %s in " NFT_TABLE_NAME " %s", peer_ip, ip,
			 set);
	else if (addr)
		snprintf(why, sizeof(why), "granted: %s . %s in " NFT_TABLE_NAME " %s accepts it both ways", peer_ip, ip,
			 set);
	else
		snprintf(why, sizeof(why), "granted: %s is in " NFT_TABLE_NAME " %s", peer_ip, set);
	json_t *o = json_pack("{s:s, s:b, s:b, s:o, s:s}", "service", service, "allowed", active && granted, "implicit",
			      implicit, "ports", ports, "reason", why);
	if (o && addr)
		json_object_set_new(o, "address", json_string(ip));
	return o;
}

HANDLER(api_peer_access)
{
	_cleanup_(sodium_memzerop_peer) struct vpn_peer p;
	int r = api_peer_find(d, req->params[0], &p, res);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	int64_t now = time(NULL);
	const char *one = http_request_query(req, "service");
	if (one) {
		bool known = strcmp(one, "dns") == 0;
		for (size_t i = 0; !known && i < vpn_grantable_services_len; i++)
			known = strcmp(one, vpn_grantable_services[i]) == 0;
		if (!known)
			return http_error(res, 400, "invalid_field", "service", "unknown service '%.32s'", one);
		return http_reply(res, 200, explain(&p, one, &d->config.ip_range, now));
	}
	json_t *list = json_array();
	json_array_append_new(list, explain(&p, "dns", &d->config.ip_range, now));
	for (size_t i = 0; list && i < vpn_grantable_services_len; i++)
		json_array_append_new(list, explain(&p, vpn_grantable_services[i], &d->config.ip_range, now));
	return http_reply(res, 200, json_pack("{s:s, s:b, s:o}", "name", p.name, "active", vpn_peer_active(&p, now),
					      "services", list));
}
