/* The cell's address plan: every address in the cell is the cell network
 * (`ip_range`) plus a fixed offset from one table. Nothing else in the code
 * names a service address. The VPN server takes the first host address of
 * `vpn_subnet`; peers get the addresses after it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cidr.h"

enum ipplan_kind {
	IPPLAN_HOST,       /* the host's side of the bridge */
	IPPLAN_SERVICE,    /* a service's own namespace address */
	IPPLAN_VIRTUAL_IP, /* a web service's address on the proxy */
};

struct ipplan_entry {
	const char *name;
	enum ipplan_kind kind;
	uint32_t offset;
	const char *carrier; /* for virtual IPs: the service that holds it */
};

extern const struct ipplan_entry ipplan_table[];
extern const size_t ipplan_table_len;

/* Other labels of the cell zone that name a service's own address or a
 * virtual IP: mail clients are set up with imap.<zone> and smtp.<zone>,
 * and find that by asking autoconfig.<zone> (the web interface's). */
struct ipplan_alias {
	const char *label;
	const char *target;  /* an entry of the table: the service (or VPN grant) it belongs to */
	bool virtual_ip;     /* target is a virtual IP (served by the proxy) */
};

/* The entry `a` names. */
const struct ipplan_entry *ipplan_alias_entry(const struct ipplan_alias *a);

extern const struct ipplan_alias ipplan_aliases[];
extern const size_t ipplan_aliases_len;

/* Largest (most specific) prefix length whose network still has room for
 * every offset in the table, given network and broadcast addresses. */
uint8_t ipplan_max_prefix(void);

const struct ipplan_entry *ipplan_find(const char *name);
/* The web virtual IP called `name`, or NULL. */
const struct ipplan_entry *ipplan_find_virtual_ip(const char *name);
/* The address of `e` inside `net`. The caller has validated `net`. */
uint32_t ipplan_address(const struct ipv4_net *net, const struct ipplan_entry *e);
uint32_t ipplan_vpn_server(const struct ipv4_net *vpn);
