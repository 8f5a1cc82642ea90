/* Compiling a peer's services into grants (see vpn_access.h). */
#include "vpn_access.h"

#include <string.h>

#include "ipplan.h"
#include "common/banned.h"

/* Each grantable service: where it answers (an ipplan name, a virtual IP
 * for web services) and on which ports. */
static const struct {
	const char *service;
	const char *address;
	bool virtual_ip;
	uint8_t proto;
	uint16_t port;
} targets[] = {
	{ "dns", "dns", false, VPN_PROTO_UDP, 53 },
	{ "dns", "dns", false, VPN_PROTO_TCP, 53 },
	{ "ntp", "ntp", false, VPN_PROTO_UDP, 123 },
	/* Web services: HTTPS, and HTTP for /ca.crt and the redirect. */
	{ "webui", "webui", true, VPN_PROTO_TCP, 443 },
	{ "webui", "webui", true, VPN_PROTO_TCP, 80 },
	{ "calendar", "calendar", true, VPN_PROTO_TCP, 443 },
	{ "calendar", "calendar", true, VPN_PROTO_TCP, 80 },
	{ "files", "files", true, VPN_PROTO_TCP, 443 },
	{ "files", "files", true, VPN_PROTO_TCP, 80 },
	{ "mail", "mail", true, VPN_PROTO_TCP, 443 },
	{ "mail", "mail", true, VPN_PROTO_TCP, 80 },
	/* Mail clients: SMTP, submission (TLS, STARTTLS), IMAP (STARTTLS,
	 * TLS), ManageSieve, on the mail service's own address. */
	{ "mail", "mail", false, VPN_PROTO_TCP, 25 },
	{ "mail", "mail", false, VPN_PROTO_TCP, 465 },
	{ "mail", "mail", false, VPN_PROTO_TCP, 587 },
	{ "mail", "mail", false, VPN_PROTO_TCP, 143 },
	{ "mail", "mail", false, VPN_PROTO_TCP, 993 },
	{ "mail", "mail", false, VPN_PROTO_TCP, 4190 },
};

static bool granted(const struct vpn_peer *p, const char *service)
{
	return strcmp(service, "dns") == 0 || vpn_peer_has_service(p, service);
}

void vpn_access_of(const struct vpn_peer *p, const struct ipv4_net *ip_range, struct vpn_access *ret)
{
	*ret = (struct vpn_access){ .internet = vpn_peer_has_service(p, "internet"),
				    .peers = vpn_peer_has_service(p, "peers") };
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]) && ret->n_grants < VPN_ACCESS_MAX; i++) {
		if (!granted(p, targets[i].service))
			continue;
		const struct ipplan_entry *e = targets[i].virtual_ip ? ipplan_find_virtual_ip(targets[i].address)
								     : ipplan_find(targets[i].address);
		if (!e)
			continue;
		ret->grants[ret->n_grants++] = (struct vpn_grant){ .service = targets[i].service,
								   .daddr = ipplan_address(ip_range, e),
								   .proto = targets[i].proto,
								   .port = targets[i].port };
	}
}
