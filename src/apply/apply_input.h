/* The snapshot a renderer reads (struct svc_input), loaded from the store
 * and the system in one place for every service. */
#pragma once

#include "net/host_access.h"
#include "store/store_dns.h"
#include "svc/svc_ops.h"

struct daemon;

/* At least svc_table_len. */
#define APPLY_INPUT_SERVICES_MAX 16

struct apply_input {
	struct svc_input in;
	struct ntp_settings ntp;
	struct dns_settings dns;
	struct dns_forward forwards[DNS_FORWARDS_MAX];
	struct dhcp_settings dhcp;
	struct lan_info lan;
	char ui_upstream[32];
	struct proxy_settings proxy;
	struct host_access host;
	struct dkim_key dkim;
	struct email_settings email;
	struct email_domains email_domains;
	bool serving[APPLY_INPUT_SERVICES_MAX]; /* per svc_table entry */
	struct vpn_peer *peers; /* for the DNS service; apply_input_free() */
	size_t n_peers;
};

/* Fills `a` for service `name` (its netplan entry; NULL for services on
 * the host network). */
int apply_input_load(struct daemon *d, const char *name, struct apply_input *a);
/* Loads again the parts of `a` that change live, beside the service's
 * file (the peers, for the DNS service's views), keeping the rest. */
int apply_input_load_live(struct daemon *d, const char *name, struct apply_input *a);
/* Releases what apply_input_load allocated (the peers, wiped). */
void apply_input_free(struct apply_input *a);
