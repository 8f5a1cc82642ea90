/* postfix: rendering main.cf, its fixed master.cf, and the SMTP health
 * probe. master runs in the foreground (-s) with our config directory;
 * `postfix check` reads a directory, so candidates are checked in
 * check/ beside a copy of master.cf, and it also makes the queue's
 * directories before the first start. */
#include "svc_postfix.h"

#include <errno.h>
#include <string.h>

#include "priv/priv_spawn.h"
#include "probe_banner.h"
#include "svc_mail.h"
#include "svc_opendkim.h"
#include "common/banned.h"

#define SMTP_PORT 25
#define MESSAGE_SIZE_LIMIT (25 * 1024 * 1024)

static const char *const run_argv[] = {
	"/usr/lib/postfix/sbin/master", "-c", SVC_ROOT, "-s", NULL,
};
static const char *const check_argv[] = {
	"/usr/sbin/postfix", "-c", SVC_ROOT "/check", "check", NULL,
};

#define MAP(name) "socketmap:unix:" SVC_ROOT "/" SVC_POSTFIX_MAPS_SOCKET ":" name

/* Mail for other servers: direct, or through the relay, logging in over
 * TLS only (the password is postfix's to present, asked of picd, never in
 * a file). */
static int render_relay(const struct email_settings *e, struct buf *out)
{
	if (!e || !e->relay)
		return buf_printf(out, "\n# Mail for other servers goes to each recipient's own server.\n"
				       "relayhost =\n"
				       "smtp_tls_security_level = may\n");
	int r = buf_printf(out, "\n# Mail for other servers goes through the relay host.\n"
				"relayhost = [%s]:%u\n", e->relay_host, (unsigned)e->relay_port);
	if (r == 0 && e->relay_username[0])
		r = buf_printf(out, "smtp_sasl_auth_enable = yes\n"
				    "smtp_sasl_password_maps = " MAP(SVC_POSTFIX_MAP_RELAY) "\n"
				    "smtp_sasl_security_options = noanonymous\n"
				    "smtp_sasl_tls_security_options = noanonymous\n");
	if (r == 0)
		r = buf_printf(out, "smtp_tls_security_level = %s\n", e->relay_username[0] ? "encrypt" : "may");
	return r;
}

int svc_postfix_render(const struct svc_input *in, struct buf *out)
{
	char zone[CONFIG_ZONE_MAX + 1];
	if (config_zone(in->cell, zone, sizeof(zone)) < 0)
		return -ENAMETOOLONG;
	int r = buf_printf(out,
		"# main.cf for the mail service of %s, rendered by picd.\n"
		"# Do not edit: changes are made through the PIC API.\n\n"
		"compatibility_level = 3.6\n"
		"queue_directory = " SVC_ROOT "/queue\n"
		"data_directory = " SVC_ROOT "/data\n"
		"mail_owner = postfix\n"
		"setgid_group = postdrop\n"
		"maillog_file = /dev/stdout\n"
		"myhostname = smtp.%s\n"
		"mydomain = %s\n"
		"myorigin = $mydomain\n"
		"mydestination =\n"
		"alias_maps =\n"
		"alias_database =\n"
		"# The mail namespace has the mail address and loopback only.\n"
		"inet_interfaces = all\n"
		"inet_protocols = ipv4\n"
		"mynetworks = 127.0.0.0/8\n"
		"smtpd_banner = $myhostname ESMTP\n"
		"# Greet at once: no reverse DNS lookup of each client first.\n"
		"smtpd_peername_lookup = no\n"
		"biff = no\n"
		"append_dot_mydomain = no\n"
		"message_size_limit = %d\n\n"
		"# The cell's addresses: picd answers as mail arrives.\n"
		"virtual_mailbox_domains = " MAP(SVC_POSTFIX_MAP_DOMAIN) "\n"
		"virtual_mailbox_maps = " MAP(SVC_POSTFIX_MAP_MAILBOX) "\n"
		"virtual_alias_maps = " MAP(SVC_POSTFIX_MAP_ALIAS) "\n"
		"smtpd_sender_login_maps = " MAP(SVC_POSTFIX_MAP_SENDER) "\n"
		"virtual_transport = lmtp:inet:127.0.0.1:%d\n"
		"recipient_delimiter = +\n\n"
		"# opendkim beside it signs and checks; without it mail still flows.\n"
		"smtpd_milters = inet:127.0.0.1:%d\n"
		"non_smtpd_milters = $smtpd_milters\n"
		"milter_default_action = accept\n\n"
		"# Accounts log in through dovecot, only over TLS from the cell's CA.\n"
		"smtpd_sasl_type = dovecot\n"
		"smtpd_sasl_path = inet:127.0.0.1:%d\n"
		"smtpd_tls_chain_files = " SVC_ROOT "/" SVC_TLS_KEY_FILE ", " SVC_ROOT "/" SVC_TLS_CERT_FILE "\n"
		"smtpd_tls_security_level = may\n"
		"smtpd_tls_auth_only = yes\n"
		"smtpd_tls_mandatory_protocols = >=TLSv1.2\n"
		"# Nothing is relayed for anyone who has not logged in, but dovecot\n"
		"# beside it (sieve's replies and forwards, over loopback).\n"
		"smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination\n"
		"# A full mailbox refuses at once (552), so the sender is told.\n"
		"smtpd_recipient_restrictions = check_policy_service inet:127.0.0.1:%d\n",
		zone, zone, zone, MESSAGE_SIZE_LIMIT, SVC_MAIL_LMTP_PORT, SVC_OPENDKIM_PORT, SVC_MAIL_AUTH_PORT,
		SVC_MAIL_QUOTA_PORT);
	return r == 0 ? render_relay(in->email, out) : r;
}

/* Submission: log in first, then send only as one's own addresses. */
#define SUBMISSION_OPTIONS                                                   \
	"  -o smtpd_sasl_auth_enable=yes\n"                                  \
	"  -o smtpd_client_restrictions=permit_sasl_authenticated,reject\n" \
	"  -o smtpd_sender_restrictions=reject_sender_login_mismatch\n"      \
	"  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n"

/* Debian's services, none chrooted (the socket paths are absolute). */
const char svc_postfix_master_cf[] =
	"# master.cf for the cell's mail service, written by picd.\n"
	"# service  type  private unpriv chroot wakeup maxproc command\n"
	"smtp       inet  n       -      n      -      -       smtpd\n"
	"submission inet  n       -      n      -      -       smtpd\n"
	"  -o syslog_name=postfix/submission\n"
	"  -o smtpd_tls_security_level=encrypt\n"
	SUBMISSION_OPTIONS
	"submissions inet n       -      n      -      -       smtpd\n"
	"  -o syslog_name=postfix/submissions\n"
	"  -o smtpd_tls_wrappermode=yes\n"
	SUBMISSION_OPTIONS
	"pickup     unix  n       -      n      60     1       pickup\n"
	"cleanup    unix  n       -      n      -      0       cleanup\n"
	"qmgr       unix  n       -      n      300    1       qmgr\n"
	"tlsmgr     unix  -       -      n      1000?  1       tlsmgr\n"
	"rewrite    unix  -       -      n      -      -       trivial-rewrite\n"
	"bounce     unix  -       -      n      -      0       bounce\n"
	"defer      unix  -       -      n      -      0       bounce\n"
	"trace      unix  -       -      n      -      0       bounce\n"
	"verify     unix  -       -      n      -      1       verify\n"
	"flush      unix  n       -      n      1000?  0       flush\n"
	"proxymap   unix  -       -      n      -      -       proxymap\n"
	"proxywrite unix  -       -      n      -      1       proxymap\n"
	"smtp       unix  -       -      n      -      -       smtp\n"
	"relay      unix  -       -      n      -      -       smtp\n"
	"showq      unix  n       -      n      -      -       showq\n"
	"error      unix  -       -      n      -      -       error\n"
	"retry      unix  -       -      n      -      -       error\n"
	"discard    unix  -       -      n      -      -       discard\n"
	"lmtp       unix  -       -      n      -      -       lmtp\n"
	"anvil      unix  -       -      n      -      1       anvil\n"
	"scache     unix  -       -      n      -      1       scache\n"
	"postlog    unix-dgram n  -      n      -      1       postlogd\n";

static const struct svc_file files[] = {
	{ "master.cf", svc_postfix_master_cf },
};

static int postfix_probe_send(const struct netplan_service *net, int *ret_fd, char *err, size_t errlen)
{
	return probe_banner_send(net->addrs[0], SMTP_PORT, ret_fd, err, errlen);
}

static int postfix_probe_check(int fd, char *err, size_t errlen)
{
	return probe_banner_check(fd, "220 ", "postfix", err, errlen);
}

/* The queue and data directories as postfix's own post-install makes
 * them (/etc/postfix/postfix-files): made here, the first check does not
 * spend seconds making them with a hundred short processes. */
#define POSTFIX_USER "postfix"
#define QUEUE_DIR(name) { .path = "queue/" name, .user = POSTFIX_USER, .mode = 0700 }
static const struct svc_dir queue_dirs[] = {
	{ .path = "data", .user = POSTFIX_USER, .mode = 0700 },
	{ .path = "queue" },
	QUEUE_DIR("active"), QUEUE_DIR("bounce"), QUEUE_DIR("corrupt"), QUEUE_DIR("defer"),
	QUEUE_DIR("deferred"), QUEUE_DIR("flush"), QUEUE_DIR("hold"), QUEUE_DIR("incoming"),
	QUEUE_DIR("private"), QUEUE_DIR("saved"), QUEUE_DIR("trace"),
	{ .path = "queue/maildrop", .user = POSTFIX_USER, .group = "postdrop", .mode = 0730 },
	{ .path = "queue/public", .user = POSTFIX_USER, .group = "postdrop", .mode = 0710 },
	{ .path = "queue/pid" },
	{ .path = NULL },
};

static const char *const leaf_labels[] = SVC_MAIL_LEAF_LABELS;

const struct svc_ops svc_postfix_ops = {
	.name = "smtp",
	.daemon = "postfix",
	.package = "postfix",
	.binary = "/usr/lib/postfix/sbin/master",
	.config_file = "main.cf",
	.dir_mode = 0711, /* postfix's processes reach the maps' socket */
	.dirs = queue_dirs,
	.netns = SVC_MAIL_NETNS,
	.files = files,
	.n_files = sizeof(files) / sizeof(files[0]),
	.check_dir = "check",
	.config_backdate_s = 2,
	.run_argv = run_argv,
	.check_argv = check_argv,
	.needs_leaf = true,
	.leaf_labels = leaf_labels,
	.reload = SVC_RELOAD_SIGHUP,
	.render = svc_postfix_render,
	.probe_send = postfix_probe_send,
	.probe_check = postfix_probe_check,
	.probe_wait_ms = 1000,
};
