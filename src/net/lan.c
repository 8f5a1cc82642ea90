/* Reading an interface's IPv4 address with getifaddrs. */
#include "lan.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "common/banned.h"

static uint8_t mask_prefix(uint32_t mask)
{
	uint8_t n = 0;
	while (mask & 0x80000000u) {
		n++;
		mask <<= 1;
	}
	return n;
}

int lan_lookup(const char *ifname, struct lan_info *ret)
{
	*ret = (struct lan_info){ 0 };
	snprintf(ret->interface, sizeof(ret->interface), "%s", ifname);
	struct ifaddrs *list = NULL;
	if (getifaddrs(&list) < 0)
		return -errno;
	for (struct ifaddrs *i = list; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !i->ifa_netmask ||
		    strcmp(i->ifa_name, ifname) != 0)
			continue;
		uint32_t addr = ntohl(((const struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr);
		uint32_t mask = ntohl(((const struct sockaddr_in *)i->ifa_netmask)->sin_addr.s_addr);
		ret->present = true;
		ret->addr = addr;
		ret->net = (struct ipv4_net){ addr & mask, mask_prefix(mask) };
		break;
	}
	freeifaddrs(list);
	return 0;
}
