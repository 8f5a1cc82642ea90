/* The owner's route switches (see proxy.h). */
#include "proxy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipplan.h"
#include "common/banned.h"

bool proxy_vip_known(const char *vip)
{
	return ipplan_find_virtual_ip(vip) != NULL;
}

bool proxy_route_is_off(const struct proxy_settings *p, const char *vip)
{
	for (size_t i = 0; i < p->n_off; i++)
		if (strcmp(p->off[i], vip) == 0)
			return true;
	return false;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

int proxy_route_set(struct proxy_settings *p, const char *vip, bool enabled, struct field_error *e)
{
	if (!proxy_vip_known(vip))
		return -ENOENT;
	if (!enabled && strcmp(vip, PROXY_WEBUI_VIP) == 0) {
		field_error_set(e, "enabled", "the web interface's route cannot be switched off: it is how you reach the cell");
		return -EINVAL;
	}
	bool off = proxy_route_is_off(p, vip);
	if (enabled && off) {
		size_t i = 0;
		while (strcmp(p->off[i], vip) != 0)
			i++;
		memmove(p->off[i], p->off[i + 1], (p->n_off - i - 1) * sizeof(p->off[0]));
		p->n_off--;
	} else if (!enabled && !off) {
		if (p->n_off == PROXY_ROUTES_MAX)
			return -ENOSPC; /* cannot happen: one entry per virtual IP */
		snprintf(p->off[p->n_off++], sizeof(p->off[0]), "%s", vip);
		qsort(p->off, p->n_off, sizeof(p->off[0]), by_name);
	}
	return 0;
}
