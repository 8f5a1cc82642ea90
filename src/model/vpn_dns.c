/* Which names a VPN peer may not resolve (see vpn_dns.h). */
#include "vpn_dns.h"

#include <stdio.h>
#include <string.h>

#include "ipplan.h"
#include "common/banned.h"

/* The labels each service owns in the cell zone; NULL service: never a
 * peer's to resolve. dns owns "dns" and is always granted. */
static const struct {
	const char *service;
	const char *label;
} owned[] = {
	{ "webui", "webui" },       { "webui", "webui-svc" }, { "calendar", "calendar" }, { "calendar", "dav" },
	{ "files", "files" },       { "files", "files-svc" }, { "mail", "mail" },         { "mail", "mail-svc" },
	{ "ntp", "ntp" },           { NULL, "host" },         { NULL, "dhcp" },           { NULL, "vpn" },
	{ NULL, "proxy" },
};

void vpn_view_name(uint32_t addr, char out[VPN_VIEW_NAME_MAX])
{
	snprintf(out, VPN_VIEW_NAME_MAX, "vpn-%u-%u-%u-%u", addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255,
		 addr & 255);
}

size_t vpn_hidden_labels(const struct vpn_peer *p, const char *out[VPN_HIDDEN_MAX])
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]) && n < VPN_HIDDEN_MAX; i++)
		if (!owned[i].service || !vpn_peer_has_service(p, owned[i].service))
			out[n++] = owned[i].label;
	for (size_t i = 0; i < ipplan_aliases_len && n < VPN_HIDDEN_MAX; i++)
		if (!vpn_peer_has_service(p, ipplan_aliases[i].target))
			out[n++] = ipplan_aliases[i].label;
	return n;
}

/* The apex's address is the web interface's virtual IP. */
bool vpn_apex_visible(const struct vpn_peer *p)
{
	return vpn_peer_has_service(p, "webui");
}
