/* GET /mail/config-v1.1.xml and /.well-known/autoconfig/mail/config-v1.1.xml:
 * the mail client autoconfiguration document (model/mail_autoconfig.h).
 * Public, as clients ask before they have a password; it tells only what
 * DNS and the published ports tell anyway. */
#include <errno.h>

#include "daemon.h"
#include "handlers.h"
#include "model/mail_autoconfig.h"
#include "common/banned.h"

#define AUTOCONFIG_MAX 4096

HANDLER(api_mail_autoconfig)
{
	(void)req;
	char zone[CONFIG_ZONE_MAX + 1];
	if (config_zone(&d->config, zone, sizeof(zone)) < 0)
		return -ENAMETOOLONG;
	struct buf xml;
	buf_init(&xml, AUTOCONFIG_MAX);
	int r = mail_autoconfig_render(zone, zone, &xml);
	if (r == 0)
		r = http_reply_raw(res, 200, "application/xml; charset=utf-8", xml.data, xml.len);
	buf_free(&xml);
	return r;
}
