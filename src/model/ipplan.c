/* The offset table and the arithmetic on it. */
#include "ipplan.h"

#include <string.h>

#include "common/banned.h"

const struct ipplan_entry ipplan_table[] = {
	{ "host",  IPPLAN_HOST,    1,  NULL },
	{ "dns",   IPPLAN_SERVICE, 2,  NULL },
	{ "dhcp",  IPPLAN_SERVICE, 3,  NULL },
	{ "ntp",   IPPLAN_SERVICE, 4,  NULL },
	{ "vpn",   IPPLAN_SERVICE, 5,  NULL },
	{ "proxy", IPPLAN_SERVICE, 6,  NULL },
	{ "mail",  IPPLAN_SERVICE, 7,  NULL },
	{ "dav",   IPPLAN_SERVICE, 8,  NULL },
	{ "files", IPPLAN_SERVICE, 9,  NULL },
	{ "webui", IPPLAN_SERVICE, 10, NULL },
	/* Web services reached through the proxy, one address each so that
	 * per-peer rules can allow one and not another. */
	{ "calendar", IPPLAN_VIRTUAL_IP, 20, "proxy" },
	{ "files",    IPPLAN_VIRTUAL_IP, 21, "proxy" },
	{ "mail",     IPPLAN_VIRTUAL_IP, 22, "proxy" },
	{ "webui",    IPPLAN_VIRTUAL_IP, 23, "proxy" },
};
const size_t ipplan_table_len = sizeof(ipplan_table) / sizeof(ipplan_table[0]);

const struct ipplan_alias ipplan_aliases[] = {
	{ "imap", "mail", false },
	{ "smtp", "mail", false },
	{ "autoconfig", "webui", true },
};
const size_t ipplan_aliases_len = sizeof(ipplan_aliases) / sizeof(ipplan_aliases[0]);

uint8_t ipplan_max_prefix(void)
{
	uint32_t max_offset = 0;
	for (size_t i = 0; i < ipplan_table_len; i++)
		if (ipplan_table[i].offset > max_offset)
			max_offset = ipplan_table[i].offset;
	/* Need max_offset < size - 1 (the last address is broadcast). */
	uint8_t prefix = 30;
	while (prefix > 0 && ((uint64_t)1 << (32 - prefix)) < (uint64_t)max_offset + 2)
		prefix--;
	return prefix;
}

const struct ipplan_entry *ipplan_find(const char *name)
{
	/* Service names win over virtual IPs of the same name: callers that
	 * want a virtual IP walk the table by kind. */
	for (size_t i = 0; i < ipplan_table_len; i++)
		if (ipplan_table[i].kind != IPPLAN_VIRTUAL_IP && strcmp(ipplan_table[i].name, name) == 0)
			return &ipplan_table[i];
	return NULL;
}

uint32_t ipplan_address(const struct ipv4_net *net, const struct ipplan_entry *e)
{
	return (net->addr & cidr_mask(net->prefix)) + e->offset;
}

uint32_t ipplan_vpn_server(const struct ipv4_net *vpn)
{
	return (vpn->addr & cidr_mask(vpn->prefix)) + 1;
}

const struct ipplan_entry *ipplan_find_virtual_ip(const char *name)
{
	for (size_t i = 0; i < ipplan_table_len; i++)
		if (ipplan_table[i].kind == IPPLAN_VIRTUAL_IP && strcmp(ipplan_table[i].name, name) == 0)
			return &ipplan_table[i];
	return NULL;
}

const struct ipplan_entry *ipplan_alias_entry(const struct ipplan_alias *a)
{
	return a->virtual_ip ? ipplan_find_virtual_ip(a->target) : ipplan_find(a->target);
}
