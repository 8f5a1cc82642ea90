/* dovecot: rendering dovecot.conf and the account files, and the IMAP
 * health probe. */
#include "svc_dovecot.h"

#include <errno.h>
#include <string.h>

#include "priv/priv_spawn.h"
#include "probe_banner.h"
#include "svc_mail.h"
#include "common/banned.h"

#define IMAP_PORT 143

static const char *const run_argv[] = {
	"/usr/sbin/dovecot", "-F", "-c", SVC_ROOT "/dovecot.conf", NULL,
};
static const char *const check_argv[] = {
	"/usr/bin/doveconf", "-n", "-c", SVC_ROOT "/dovecot.conf.new", NULL,
};

int svc_dovecot_render(const struct svc_input *in, struct buf *out)
{
	char addr[IPV4_STR_MAX], zone[CONFIG_ZONE_MAX + 1];
	ipv4_format(in->net->addrs[0], addr);
	if (config_zone(in->cell, zone, sizeof(zone)) < 0)
		return -ENAMETOOLONG;
	return buf_printf(out,
		"# dovecot.conf for the mail service of %s, rendered by picd.\n"
		"# Do not edit: changes are made through the PIC API.\n\n"
		"protocols = imap lmtp sieve\n"
		"listen = %s\n"
		"base_dir = " SVC_ROOT "/run\n"
		"state_dir = " SVC_ROOT "/state\n"
		"log_path = /dev/stderr\n"
		"hostname = imap.%s\n\n"
		"# TLS from the cell's CA; no password crosses the wire in clear.\n"
		"ssl = required\n"
		"ssl_cert = <" SVC_ROOT "/" SVC_TLS_CERT_FILE "\n"
		"ssl_key = <" SVC_ROOT "/" SVC_TLS_KEY_FILE "\n"
		"ssl_min_protocol = TLSv1.2\n"
		"disable_plaintext_auth = yes\n\n"
		"# The cell's accounts: dovecot asks picd at each login and delivery\n"
		"# (" SVC_DOVECOT_DICT_FILE "), so a change counts at once.\n"
		"auth_mechanisms = plain login\n"
		"auth_username_format = %%Ln\n"
		"passdb {\n"
		"  driver = dict\n"
		"  args = " SVC_ROOT "/" SVC_DOVECOT_DICT_FILE "\n"
		"}\n"
		"userdb {\n"
		"  driver = dict\n"
		"  args = " SVC_ROOT "/" SVC_DOVECOT_DICT_FILE "\n"
		"  default_fields = uid=" SVC_MAIL_USER " gid=" SVC_MAIL_USER " home=" SVC_ROOT "/" SVC_DOVECOT_MAIL_DIR "/%%n\n"
		"}\n\n"
		"mail_location = maildir:~/Maildir\n"
		"first_valid_uid = 8\n"
		"last_valid_uid = 8\n"
		"mail_plugins = quota\n"
		"namespace inbox {\n"
		"  inbox = yes\n"
		"  mailbox Drafts {\n"
		"    special_use = \\Drafts\n"
		"    auto = subscribe\n"
		"  }\n"
		"  mailbox Sent {\n"
		"    special_use = \\Sent\n"
		"    auto = subscribe\n"
		"  }\n"
		"  mailbox Junk {\n"
		"    special_use = \\Junk\n"
		"    auto = subscribe\n"
		"  }\n"
		"  mailbox Trash {\n"
		"    special_use = \\Trash\n"
		"    auto = subscribe\n"
		"  }\n"
		"}\n"
		"plugin {\n"
		"  # Each account's limit comes with it (userdb_quota_rule).\n"
		"  quota = maildir:User quota\n"
		"  # postfix asks before it accepts a message (quota-status below).\n"
		"  quota_status_success = DUNNO\n"
		"  quota_status_nouser = DUNNO\n"
		"  quota_status_overquota = 552 5.2.2 Mailbox is full\n"
		"  sieve = file:~/sieve;active=~/.dovecot.sieve\n"
		"}\n"
		"protocol imap {\n"
		"  mail_plugins = $mail_plugins imap_quota\n"
		"}\n"
		"# Sieve's replies go out through postfix beside it.\n"
		"submission_host = 127.0.0.1:25\n"
		"protocol lmtp {\n"
		"  mail_plugins = $mail_plugins sieve\n"
		"  postmaster_address = postmaster@%s\n"
		"}\n\n"
		"service imap-login {\n"
		"  inet_listener imap {\n"
		"    port = %d\n"
		"  }\n"
		"  inet_listener imaps {\n"
		"    port = 993\n"
		"    ssl = yes\n"
		"  }\n"
		"}\n"
		"service managesieve-login {\n"
		"  inet_listener sieve {\n"
		"    port = 4190\n"
		"  }\n"
		"}\n"
		"# For postfix, beside it in the mail namespace: delivery and SASL.\n"
		"service lmtp {\n"
		"  inet_listener lmtp {\n"
		"    address = 127.0.0.1\n"
		"    port = %d\n"
		"  }\n"
		"}\n"
		"service quota-status {\n"
		"  executable = quota-status -p postfix\n"
		"  client_limit = 1\n"
		"  inet_listener quota-status {\n"
		"    address = 127.0.0.1\n"
		"    port = %d\n"
		"  }\n"
		"}\n"
		"service auth {\n"
		"  inet_listener sasl {\n"
		"    address = 127.0.0.1\n"
		"    port = %d\n"
		"  }\n"
		"}\n",
		zone, addr, zone, zone, IMAP_PORT, SVC_MAIL_LMTP_PORT, SVC_MAIL_QUOTA_PORT,
		SVC_MAIL_AUTH_PORT);
}

/* How dovecot's auth asks picd (api/account_dict.h). */
const char svc_dovecot_dict_conf[] =
	"# The cell's accounts, served by picd over dovecot's dict protocol.\n"
	"uri = proxy:" SVC_ROOT "/" SVC_DOVECOT_DICT_SOCKET ":accounts\n"
	"default_pass_scheme = BLF-CRYPT\n"
	"iterate_disable = yes\n"
	"key passdb {\n"
	"  key = passdb/%u\n"
	"  format = json\n"
	"}\n"
	"key userdb {\n"
	"  key = userdb/%u\n"
	"  format = json\n"
	"}\n"
	"passdb_objects = passdb\n"
	"userdb_objects = userdb\n";

static const struct svc_file files[] = {
	{ SVC_DOVECOT_DICT_FILE, svc_dovecot_dict_conf },
};

static int dovecot_probe_send(const struct netplan_service *net, int *ret_fd, char *err, size_t errlen)
{
	return probe_banner_send(net->addrs[0], IMAP_PORT, ret_fd, err, errlen);
}

static int dovecot_probe_check(int fd, char *err, size_t errlen)
{
	return probe_banner_check(fd, "* OK", "dovecot", err, errlen);
}

static const char *const leaf_labels[] = SVC_MAIL_LEAF_LABELS;

const struct svc_ops svc_dovecot_ops = {
	.name = "imap",
	.daemon = "dovecot",
	.package = "dovecot-imapd",
	.binary = "/usr/sbin/dovecot",
	.config_file = "dovecot.conf",
	.dir_mode = 0711, /* the mail user reaches its mailboxes through it */
	.dirs = (const struct svc_dir[]){ { .path = SVC_DOVECOT_MAIL_DIR, .user = SVC_MAIL_USER }, { .path = NULL } },
	.netns = SVC_MAIL_NETNS,
	.files = files,
	.n_files = sizeof(files) / sizeof(files[0]),
	.run_argv = run_argv,
	.check_argv = check_argv,
	.needs_leaf = true,
	.leaf_labels = leaf_labels,
	.reload = SVC_RELOAD_SIGHUP,
	.render = svc_dovecot_render,
	.probe_send = dovecot_probe_send,
	.probe_check = dovecot_probe_check,
	.probe_wait_ms = 1000,
};
