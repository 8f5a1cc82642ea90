/* The table of managed daemons. */
#include "svc_ops.h"

#include <string.h>

#include "svc_caddy.h"
#include "svc_chrony.h"
#include "svc_dnsmasq.h"
#include "svc_dovecot.h"
#include "svc_opendkim.h"
#include "svc_postfix.h"
#include "svc_unbound.h"
#include "svc_wireguard.h"
#include "common/banned.h"

const struct svc_ops *const svc_table[] = {
	&svc_unbound_ops,
	&svc_dnsmasq_ops,
	&svc_chrony_ops,
	&svc_caddy_ops,
	&svc_wireguard_ops,
	&svc_dovecot_ops,
	&svc_postfix_ops,
	&svc_opendkim_ops,
};
const size_t svc_table_len = sizeof(svc_table) / sizeof(svc_table[0]);

const struct svc_ops *svc_ops_find(const char *name)
{
	for (size_t i = 0; i < svc_table_len; i++)
		if (strcmp(svc_table[i]->name, name) == 0)
			return svc_table[i];
	return NULL;
}

const char *svc_ops_netns(const struct svc_ops *ops)
{
	return ops->netns ? ops->netns : ops->name;
}

const char *svc_netns_of(const char *name)
{
	const struct svc_ops *ops = svc_ops_find(name);
	return ops ? svc_ops_netns(ops) : name;
}

const struct netplan_service *svc_ops_net(const struct netplan *p, const struct svc_ops *ops)
{
	return netplan_find(p, svc_ops_netns(ops));
}
