/* The one context of picd, passed explicitly to everything that needs
 * more than its arguments. The configuration is a snapshot replaced whole
 * after each committed change, never edited in place by a handler. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "model/config.h"
#include "model/dkim.h"
#include "model/mail_stats.h"
#include "net/host_access.h"
#include "net/netplan.h"
#include "svc/svc.h"
#include "vpn/wg_device.h"

struct loop;
struct store;
struct throttle;
struct http_server;
struct sse_hub;
struct loop_source;
struct pki_ca;
struct nft_session;
struct worker;
struct wg_traffic;
struct store_syncer;
struct lookup_server;
struct auth_hasher;
struct deferred_set;
struct apply_async;

/* The port picd serves on the cell bridge's host address, for the proxy. */
#define DAEMON_CELL_PORT 3000

struct daemon_options {
	const char *state_dir;  /* absolute (state_dir_abs), whatever was given */
	char state_dir_abs[4096];
	const char *listen_addr; /* "host:port" */
	int listen_fd;           /* > 0: an inherited listening socket instead */
	const char *socket_path;
	const char *ui_dir;      /* the built web UI, served at / (api/ui_static.h); absolute */
	char ui_dir_abs[4096];
	int64_t session_ttl_s;
	bool foreground;
	bool teardown;          /* picd --teardown: remove what picd created */
	bool purge;             /* with --teardown: the state directory too */
	const char *test_faults; /* test-only fault injection, see svc_chrony.c */
	int64_t test_leaf_lifetime_s; /* test-only: the proxy leaf's lifetime; 0: the default */
	char run_dir[4096];     /* <state_dir>/run: namespaces, runtime files */
	char ca_dir[4096];      /* <state_dir>/ca: the certificate authority */
};

struct daemon {
	struct daemon_options opt;
	struct loop *loop;
	struct store *store;
	struct store_syncer *syncer; /* commits onto the disk off the loop (store_syncer.h) */
	struct throttle *login_throttle;
	struct http_server *http;  /* TCP listener */
	struct http_server *local; /* control socket */
	struct http_server *cell;  /* host address on the bridge, for the proxy */
	struct lookup_server *mail_maps;    /* postfix's lookups (api/mail_lookup.h) */
	struct lookup_server *account_dict; /* dovecot's (api/account_dict.h) */
	struct mail_stats mail_stats;       /* postfix's outcomes since picd started */
	struct dkim_key dkim;               /* the signing key (apply/apply_dkim.h); selector "": none */
	unsigned long long mail_stats_cursor; /* its log's total when last counted */
	struct loop_source *cell_reopen_timer;

	struct cell_config config; /* applied configuration */
	uint64_t config_rev;
	struct netplan net;        /* the network derived from config */
	struct nft_session *nft;   /* one nftables socket for picd's life (net/nft.h) */
	struct supervisor sup;
	struct sse_hub *events;    /* GET /api/events and log followers */
	struct worker *worker;     /* the thread for argon2id (common/worker.h) */
	struct auth_hasher *hasher; /* the process it runs argon2id in (api/auth_hasher.h) */
	struct deferred_set *deferred; /* answers that come later (api/deferred.h) */
	struct apply_async *applying;  /* changes applied off the loop (apply/apply.h) */
	struct pki_ca *ca;          /* the cell's certificate authority, or NULL */
	bool ca_checked;            /* daemon_ca_check ran at start */
	struct dns_host *dns_hosts; /* LAN host names published in DNS */
	size_t n_dns_hosts;
	struct worker *dns_pusher; /* live DNS record changes off the loop (apply_dns.h) */
	struct worker *queries;    /* short questions to daemons that wait on them (chronyc) */
	struct worker *mail_cleaner; /* removes purged mailboxes (apply/mail_boxes.h); made on demand */
	bool dns_stopping;
	uint64_t proxy_refresh_at_ms; /* monotonic; 0: none due (apply_routes.h) */
	enum wg_backend vpn_backend;  /* kernel or wireguard-go (apply_vpn_choose_backend) */
	struct wg_traffic *traffic;   /* the VPN's recent traffic (apply_traffic.h) */
	bool traffic_reading;         /* a reading is in the queries worker */
	int64_t vpn_next_expiry;      /* wall clock; 0: no active peer expires (apply_vpn.h) */
	uint64_t dns_views_install_at_ms; /* monotonic; 0: unbound.conf is current (apply_vpn.h) */

	struct host_access host_access; /* the host's HTTPS addresses (apply_host.h) */
	bool host_access_known;

	uint64_t started_ms; /* monotonic */
	int64_t admin_user_id;
};

/* Reloads the configuration snapshot from the store after a commit. */
int daemon_reload_config(struct daemon *d);

/* The certificate authority, loaded once: at start by daemon_ca_check,
 * which reads its constraints to warn about a stale root (so libcrypto's
 * pages are touched at every start again); NULL, logged, if it cannot
 * be. */
struct pki_ca *daemon_ca(struct daemon *d);

/* Logs one warning naming `pic ca replace` when the root no longer
 * covers the configuration (daemon_ca_stale). picd calls it at start;
 * daemon_reload_config calls it again when the zone or a network changed,
 * so each change that leaves the root behind is logged once, never per
 * request. */
void daemon_ca_check(struct daemon *d);

/* Whether the loaded root's constraints differ from the applied
 * configuration; false when no CA is loaded. */
bool daemon_ca_stale(const struct daemon *d);

/* Replaces the root by one for the current configuration (see
 * pki_ca_replace.h), marks every certificate in the store as superseded
 * in the same store transaction, and makes it d->ca. The caller re-applies
 * the services that hold a leaf. `ret_old_serial` gets the old root's
 * serial (PKI_SERIAL_HEX_MAX bytes suffice); on failure `err` says why (d->ca is then the root on disk). */
int daemon_ca_replace(struct daemon *d, int64_t now, char *ret_old_serial, size_t serial_len, char *err,
		      size_t errlen);

/* Creates the admin account on first start: returns 1 and writes its new
 * random password into `ret_password` (to be shown once), or 0 when it
 * already exists (and writes ""). Sets d->admin_user_id either way. */
#include <stddef.h>
int daemon_bootstrap_admin(struct daemon *d, char *ret_password, size_t len);
