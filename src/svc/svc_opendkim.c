/* opendkim: rendering opendkim.conf. */
#include "svc_opendkim.h"

#include <errno.h>
#include <stdio.h>

#include "priv/priv_spawn.h"
#include "svc_mail.h"
#include "common/banned.h"

static const char *const run_argv[] = {
	"/usr/sbin/opendkim", "-f", "-x", SVC_ROOT "/opendkim.conf", NULL,
};
static const char *const check_argv[] = {
	"/usr/sbin/opendkim", "-n", "-x", SVC_ROOT "/opendkim.conf.new", NULL,
};

int svc_opendkim_render(const struct svc_input *in, struct buf *out)
{
	char zone[CONFIG_ZONE_MAX + 1];
	if (!in->dkim || config_zone(in->cell, zone, sizeof(zone)) < 0)
		return -EINVAL;
	/* One key signs for the zone and every extra domain (d= is the
	 * sender's domain; each publishes the same public key). */
	char domains[(NAME_MAX_LEN + 2) * (EMAIL_DOMAINS_MAX + 1)];
	size_t used = (size_t)snprintf(domains, sizeof(domains), "%s", zone);
	for (size_t i = 0; in->email_domains && i < in->email_domains->n && used < sizeof(domains); i++)
		used += (size_t)snprintf(domains + used, sizeof(domains) - used, ",%s", in->email_domains->names[i]);
	if (used >= sizeof(domains))
		return -ENOBUFS;
	return buf_printf(out,
			  "# opendkim.conf for the mail service of %s, rendered by picd.\n"
			  "# Do not edit: changes are made through the PIC API.\n\n"
			  "Syslog no\n"
			  "UserID " SVC_OPENDKIM_USER ":" SVC_OPENDKIM_USER "\n"
			  "PidFile " SVC_ROOT "/opendkim.pid\n"
			  "# postfix beside it, on the mail namespace's loopback only.\n"
			  "Socket inet:%d@127.0.0.1\n\n"
			  "# Sign what the cell's accounts send (postfix tells it who logged\n"
			  "# in); check what arrives.\n"
			  "Mode sv\n"
			  "Domain %s\n"
			  "Selector %s\n"
			  "KeyFile " SVC_ROOT "/" SVC_OPENDKIM_KEYS_DIR "/%s.private\n"
			  "Canonicalization relaxed/simple\n"
			  "OversignHeaders From\n"
			  "# Loopback is dovecot's replies; no other host signs as the cell\n"
			  "# without logging in, not even the cell network's.\n"
			  "InternalHosts 127.0.0.1\n",
			  zone, SVC_OPENDKIM_PORT, domains, in->dkim->selector, in->dkim->selector);
}

static bool opendkim_enabled(const struct svc_input *in)
{
	return in->dkim != NULL;
}

const struct svc_ops svc_opendkim_ops = {
	.name = "dkim",
	.daemon = "opendkim",
	.package = "opendkim",
	.binary = "/usr/sbin/opendkim",
	.config_file = "opendkim.conf",
	.dir_mode = 0711, /* opendkim reaches its key after dropping to its user */
	.dirs = (const struct svc_dir[]){ { .path = SVC_OPENDKIM_KEYS_DIR, .user = SVC_OPENDKIM_USER }, { .path = NULL } },
	.own_pidfile = "opendkim.pid",
	.stop_wake_port = SVC_OPENDKIM_PORT,
	.netns = SVC_MAIL_NETNS,
	.run_argv = run_argv,
	.check_argv = check_argv,
	.reload = SVC_RELOAD_RESTART,
	.enabled = opendkim_enabled,
	.render = svc_opendkim_render,
};
