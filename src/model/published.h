/* Ports the cell publishes on the host's own addresses: what reaches the
 * host on them is forwarded (DNAT) to a service's address in the cell.
 * LAN clients get the host as their DNS and NTP server from DHCP, reach
 * the web interface at https://<the host>/, and mail at its ports. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PUBLISHED_PORTS_MAX 6

struct published {
	const char *service;    /* in the address plan */
	const char *virtual_ip; /* the service's virtual IP it goes to; NULL: its own address */
	bool tcp, udp;
	size_t n_ports;
	uint16_t ports[PUBLISHED_PORTS_MAX];
};

extern const struct published published_table[];
extern const size_t published_table_len;
