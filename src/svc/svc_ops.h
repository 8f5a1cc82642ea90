/* What PIC knows about each managed daemon, one `struct svc_ops` per
 * daemon in one table (svc_table.c). Everything here is static
 * description or a pure function; running the daemon is the
 * supervisor's job (svc.c), changing its config the apply engine's. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "model/config.h"
#include "model/dhcp.h"
#include "model/dkim.h"
#include "model/dns.h"
#include "model/email.h"
#include "model/ntp.h"
#include "model/proxy.h"
#include "model/vpn_peer.h"
#include "net/netplan.h"

/* A LAN host name the DNS service publishes (DHCP reservations and active
 * leases): <hostname>.<cell zone> → ip, and its PTR. */
struct host_access;

struct dns_host {
	char hostname[DHCP_HOSTNAME_MAX + 1];
	uint32_t ip;
};

/* The host's side of the LAN (the interface DHCP serves), when set. */
struct lan_info {
	bool present;
	char interface[IFNAMSIZ];
	struct ipv4_net net; /* the interface's subnet */
	uint32_t addr;       /* the host's address on it */
};

/* A web route a service declares: the proxy sends requests for its
 * virtual IP's host name (svc_caddy_host) to `port` on the service's own
 * address while the service runs and is healthy, and answers 503 "<name>
 * is not running yet." otherwise. */
struct svc_route {
	const char *vip;  /* a web virtual IP of the address plan: "calendar" */
	unsigned port;    /* 1..65535, in the service's namespace */
	const char *name; /* for people: "The calendar" */
};

/* Everything a renderer may read: a snapshot of the store and of the
 * parts of the system it depends on. */
struct svc_input {
	const struct cell_config *cell;
	const struct netplan *plan;
	const struct netplan_service *net; /* this service's; NULL for host_network services */
	const struct ntp_settings *ntp;
	const struct dns_settings *dns;
	const struct dns_forward *forwards;
	size_t n_forwards;
	const struct dhcp_settings *dhcp;
	const struct lan_info *lan;
	bool dnssec_anchor; /* the root trust anchor file is installed */
	const char *ui_upstream; /* picd's API and UI as the proxy reaches it: "host:port" */
	/* Per svc_table entry: running and healthy (the proxy routes to it);
	 * NULL: none is. */
	const bool *serving;
	const struct proxy_settings *proxy; /* the owner's route switches; NULL: all on */
	/* The host's own HTTPS addresses and names, for the proxy; NULL: none. */
	const struct host_access *host;
	/* The mail service's settings (how mail leaves); NULL: direct. */
	const struct email_settings *email;
	/* Mail domains besides the cell zone (opendkim signs for them). */
	const struct email_domains *email_domains;
	/* The cell's DKIM key (opendkim signs with it, the DNS publishes it);
	 * NULL: none yet. */
	const struct dkim_key *dkim;
	/* VPN peers, for the DNS service's per-peer views (loaded only for it). */
	const struct vpn_peer *peers;
	size_t n_peers;
	int64_t now; /* wall clock, for peers' expiry */
	/* Test-only fault injection (picd --test-faults); NULL normally. */
	const char *faults;
};

/* What a daemon's verify hook gets once it took a new config. */
struct svc_verify {
	const struct cell_config *cell;
	const char *svc_dir;
	const char *config; /* the installed config */
	size_t len;
	const char *ca_file; /* the cell's root certificate, PEM */
	unsigned timeout_ms;
};

enum svc_reload {
	SVC_RELOAD_RESTART, /* the daemon has no way to re-read its config */
	SVC_RELOAD_SIGHUP,
};

/* Where a service's TLS leaf and key are, in its directory (PEM). */
#define SVC_TLS_CERT_FILE "tls/cell.crt"
#define SVC_TLS_KEY_FILE "tls/cell.key"

/* A file of fixed content a daemon reads beside its config (postfix's
 * master.cf). */
/* A directory picd makes in the service directory before the daemon
 * starts or is checked, its owner and mode set every time. */
struct svc_dir {
	const char *path;  /* relative; parents listed before their children */
	const char *user;  /* owner (NULL: root) */
	const char *group; /* NULL: the owner's own group */
	unsigned mode;     /* 0: 0755 */
};

struct svc_file {
	const char *name; /* in the service directory */
	const char *content;
};

struct svc_ops {
	const char *name;        /* the address-plan name, or the service's own: "ntp" */
	const char *daemon;      /* "chronyd" */
	const char *package;     /* Debian package providing `binary` */
	const char *binary;
	const char *config_file; /* in the service directory */
	const char *user;        /* unprivileged user the daemon drops to, or NULL */
	/* The service directory: mode (0 = 0700), whether `user` owns it (a
	 * daemon that writes there after dropping privileges; never one that
	 * reads its config there as root later), and the directories picd
	 * makes in it (NULL, or ended by { NULL }). */
	unsigned dir_mode;
	bool user_owns_dir;
	const struct svc_dir *dirs;
	/* NULL: the daemon has a network namespace of its own, its `name`
	 * in the address plan. Else the address-plan name of a namespace
	 * it shares with the other daemons naming it (postfix and dovecot
	 * share "mail"); see svc_ops_netns. */
	const char *netns;
	/* Written into the service directory (and check_dir) before the
	 * daemon starts or its config is checked; none: NULL, 0. */
	const struct svc_file *files;
	size_t n_files;
	/* NULL: the candidate config is config_file".new" beside the live
	 * one. Else a subdirectory the candidate is written to under
	 * config_file's own name, with `files` beside it, for a checker
	 * that reads a directory (postfix -c DIR check). */
	const char *check_dir;
	/* Seconds picd dates the config file back when it writes it (0:
	 * none), for a daemon that waits until its file is that old before
	 * it reads it (postfix: a main.cf changed within the last second
	 * may still be being written, so it reads it again every 300 ms). */
	unsigned config_backdate_s;
	/* argv, with paths under SVC_ROOT; the check runs on config_file".new" */
	const char *const *run_argv;
	const char *const *check_argv;
	/* A pidfile the daemon itself writes in its directory, or NULL. It
	 * is removed before a start: one left by a daemon that died as an
	 * unreaped orphan names a zombie that still "exists". */
	const char *own_pidfile;
	/* 0, or a loopback TCP port picd connects to in the daemon's
	 * namespace right after its SIGTERM: libmilter (opendkim) looks at
	 * its stop flag only when its listener's poll returns, up to 5 s
	 * later; a connection wakes it at once. */
	uint16_t stop_wake_port;
	/* Environment beyond PATH and LANG ("NAME=value", NULL-ended), or NULL. */
	const char *const *env;
	/* NULL, or a subdirectory of the service directory the daemon sees as
	 * /run/<run_link> (spawn_spec.run_link). */
	const char *run_link;
	/* Serves TLS with a leaf from the cell's CA in tls/ of its directory
	 * (names: the cell zone and its web services; addresses: its own). */
	bool needs_leaf;
	/* NULL: the leaf is the proxy's (above). Else the labels of the
	 * cell zone it names instead ("imap": imap.<zone>), NULL-ended; it
	 * then carries no addresses. */
	const char *const *leaf_labels;
	enum svc_reload reload;
	/* NULL, or how to hand the running daemon its new config without a
	 * restart (caddy's admin API); on failure it is restarted instead.
	 * `force`: the config is the running one but files it names (the
	 * leaf) changed, and must be read again. */
	int (*apply_live)(const char *svc_dir, const char *config, size_t len, bool force, char *err,
			  size_t errlen);
	/* Runs in picd's own network namespace (DHCP needs the LAN's
	 * broadcast domain) instead of a namespace of its own. */
	bool host_network;
	/* NULL: always wanted. Else whether the settings ask for it to run
	 * (DHCP is off until an interface is set). */
	bool (*enabled)(const struct svc_input *in);
	/* NULL for a daemon with no config file, which picd configures live
	 * once it runs (WireGuard: apply_vpn.c); the apply engine then only
	 * starts it. */
	int (*render)(const struct svc_input *in, struct buf *out);
	/* Health, in two steps so the loop never waits: probe_send asks the
	 * daemon on the wire and returns a socket; when it is readable (or
	 * the time is up) probe_check reads the answer: 0, or -errno with a
	 * reason in `err`. */
	/* NULL: no probe; a running daemon counts as healthy. */
	int (*probe_send)(const struct netplan_service *net, int *ret_fd, char *err, size_t errlen);
	int (*probe_check)(int fd, char *err, size_t errlen);
	/* How long one wire probe waits for its answer before asking again
	 * (0: 5 ms, for a datagram the kernel may have dropped). */
	unsigned probe_wait_ms;
	/* NULL, or a check from a client's side, after the health probe,
	 * that the daemon serves the config just installed (the proxy: an
	 * HTTPS request through it). 0, or -errno with `err`. */
	int (*verify)(const struct svc_verify *v, char *err, size_t errlen);
	/* The web routes it serves through the proxy (none: NULL, 0). */
	const struct svc_route *routes;
	size_t n_routes;
};

extern const struct svc_ops *const svc_table[];
extern const size_t svc_table_len;

const struct svc_ops *svc_ops_find(const char *name);

/* The address-plan name of the network namespace the daemon runs in:
 * ops->netns, or its own name. */
const char *svc_ops_netns(const struct svc_ops *ops);
/* The same for the daemon named `name`; `name` itself when none is. */
const char *svc_netns_of(const char *name);
/* The daemon's namespace in plan `p`, or NULL (none planned for it). */
const struct netplan_service *svc_ops_net(const struct netplan *p, const struct svc_ops *ops);
