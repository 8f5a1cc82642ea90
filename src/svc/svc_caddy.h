/* The reverse proxy: caddy 2.6 in the "proxy" namespace, which holds the
 * web services' virtual IPs (ipplan: calendar, files, mail, webui). It
 * terminates TLS on <vip>:443 with one leaf from the cell's CA for every
 * name; each virtual IP serves its own service's host name only (to its
 * upstream, or a 503 while the service is not running) and 404 for any
 * other Host, so per-peer rules on the virtual IPs hold. On <vip>:80 it
 * redirects to HTTPS — all but /ca.crt, which stays on plain HTTP because
 * devices fetch the root there before they trust it.
 *
 * caddy.json is JSON (svc_caddy_render, a pure function of caddy_input,
 * golden-tested). picd changes the running proxy through caddy's admin
 * API on a unix socket in the service directory (svc_caddy_apply_live,
 * caddy_admin.h): caddy refuses a bad config with its reason and keeps
 * serving the old one. Automatic HTTPS — ACME, caddy's own CA, the
 * HTTP->HTTPS redirects it would add — is off; certificates come only
 * from the files named here. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "model/cidr.h"
#include "priv/priv_spawn.h"
#include "svc_ops.h"

extern const struct svc_ops svc_caddy_ops;

/* In the service directory, seen by caddy under SVC_ROOT. */
#define SVC_CADDY_CONFIG_FILE "caddy.json"
#define SVC_CADDY_ADMIN_FILE "caddy-admin.sock"
#define SVC_CADDY_DATA_DIR "data"           /* caddy's storage (locks, staples) */

/* caddy needs no variable to run, but without HOME and the XDG
 * directories it warns and falls back to the working directory for its
 * data, and with HOME set a library it links creates $HOME/.step. picd's
 * clean environment (priv_spawn: PATH and LANG only) should add these, so
 * nothing lands outside the service directory. Its storage is also set in
 * caddy.json; persist is off, so caddy writes no autosave.json. */
#define SVC_CADDY_ENV_HOME "HOME=" SVC_ROOT
#define SVC_CADDY_ENV_DATA "XDG_DATA_HOME=" SVC_ROOT "/" SVC_CADDY_DATA_DIR
#define SVC_CADDY_ENV_CONFIG "XDG_CONFIG_HOME=" SVC_ROOT "/config"

/* The URL path of the cell's root certificate on every virtual IP, over
 * HTTP and HTTPS, and where the web interface serves it. */
#define SVC_CADDY_CA_PATH "/ca.crt"
#define SVC_CADDY_CA_UPSTREAM_PATH "/api/vault/ca.crt"

/* On every HTTPS server, answered by caddy itself (never proxied) and
 * only to picd's address: the generation of the config serving it, a
 * hash of the rendered config. picd asks it over HTTPS after each change
 * (svc_caddy_verify) to know the new config serves, with the cell's
 * certificate, and the old one no longer answers. */
#define SVC_CADDY_VERIFY_PATH "/.well-known/pic/proxy-generation"
#define SVC_CADDY_GENERATION_LEN 16 /* hex digits */

#define SVC_CADDY_MAX_ROUTES 4      /* one per virtual IP */
#define SVC_CADDY_MAX_LAN_HOSTS 16 /* and the aliases below */
#define SVC_CADDY_UPSTREAM_MAX 261  /* "<DNS name>:<port>" */
#define SVC_CADDY_NAME_MAX 64       /* of a route's human name */
#define SVC_CADDY_LIVE_TIMEOUT_MS 5000

/* One web service behind the proxy. */
struct caddy_route {
	/* The ipplan virtual IP it listens on: "webui", "calendar", "files" or
	 * "mail". Its host name is the cell zone for webui, else
	 * "<vip>.<zone>". */
	const char *vip;
	/* "host:port" (an IPv4 address or a DNS name, port 1..65535), or NULL
	 * while the service is not running: the route then answers 503. */
	const char *upstream;
	/* The human name in the 503 text: "<name> is not running yet."
	 * Letters, digits, spaces and "-'.,()", at most SVC_CADDY_NAME_MAX. */
	const char *name;
	/* Switched off by the owner: 503 "<name> is switched off by the
	 * cell's owner." whatever the upstream (not for webui). */
	bool off;
};

/* The four web services, every upstream NULL: a caller copies this and
 * fills in the upstreams of the services that run. */
extern const struct caddy_route svc_caddy_routes[SVC_CADDY_MAX_ROUTES];

struct caddy_input {
	const char *zone;         /* the cell zone, "mycell.cell", lower case, no trailing dot */
	struct ipv4_net ip_range; /* the cell network: the virtual IPs are ipplan offsets in it */
	/* 1..SVC_CADDY_MAX_ROUTES, each virtual IP at most once, webui among
	 * them (it also serves /ca.crt). Rendered in this order. */
	const struct caddy_route *routes;
	size_t n_routes;
	/* Absolute paths as caddy sees them; NULL for the defaults
	 * SVC_ROOT/SVC_TLS_CERT_FILE, .../SVC_TLS_KEY_FILE and
	 * .../SVC_CADDY_ADMIN_FILE. caddy reads the certificate files when it
	 * loads the config, and so does `caddy validate`. */
	const char *cert_file;
	const char *key_file;
	const char *admin_socket;
	/* picd's address as the proxy sees it (the bridge's host address):
	 * the only client SVC_CADDY_VERIFY_PATH answers. 0: nobody. */
	uint32_t verify_from;
	/* The host's own LAN addresses and names (net/host_access.h): the
	 * host publishes ports 80 and 443 to the web interface's virtual IP,
	 * which then answers for these hosts too, and a client with no SNI
	 * (an address typed in a browser) gets the leaf of `default_sni`.
	 * IPv4 addresses or DNS names, at most SVC_CADDY_MAX_LAN_HOSTS. */
	const char *const *lan_hosts;
	size_t n_lan_hosts;
};

/* svc_ops.verify: an HTTPS GET of SVC_CADDY_VERIFY_PATH through the
 * proxy on the web interface's virtual IP, trusting only v->ca_file and
 * checking the certificate for the cell's name, until it answers the
 * installed config's generation with the installed leaf (within
 * v->timeout_ms). -EIO with what it saw instead, or tls_get's errors. */
int svc_caddy_verify(const struct svc_verify *v, char *err, size_t errlen);

/* The generation a rendered config carries (SVC_CADDY_VERIFY_PATH):
 * 0, or -EINVAL if `config` is not one svc_caddy_render wrote. */
int svc_caddy_generation(const char *config, size_t len, char out[SVC_CADDY_GENERATION_LEN + 1]);

/* The whole caddy.json, pretty-printed with a stable key order, ending in
 * a newline. -EINVAL for an input outside the rules above (a zone that is
 * not a DNS name, an unknown or repeated virtual IP, no webui route, an
 * upstream that is not host:port, a LAN host that is neither an address
 * nor a DNS name, a name or path with characters caddy
 * would read as a placeholder), -ENOMEM, or -E2BIG if `out` is full. */
int svc_caddy_render(const struct caddy_input *in, struct buf *out);

/* The host name a route answers for: the zone for "webui", else
 * "<vip>.<zone>" (the names the leaf certificate must carry). -EINVAL for
 * an unknown virtual IP, -ENAMETOOLONG if it does not fit. */
int svc_caddy_host(const char *vip, const char *zone, char *out, size_t outlen);

/* The other names of the web interface's virtual IP in the address plan
 * (ipplan_aliases: autoconfig.<zone>), which it answers for too. */
#define SVC_CADDY_MAX_ALIASES 2
size_t svc_caddy_webui_aliases(const char *zone, char out[SVC_CADDY_MAX_ALIASES][CONFIG_ZONE_MAX + 1]);

/* Loads `json` (a rendered caddy.json) into the running proxy through the
 * admin socket <svc_dir>/SVC_CADDY_ADMIN_FILE, waiting at most
 * SVC_CADDY_LIVE_TIMEOUT_MS. 0 once caddy's new servers listen (see
 * caddy_admin.h for the moments after); -EINVAL with caddy's reason in `err` if caddy refused it (the
 * old config keeps serving); else caddy_admin_load()'s errors. With
 * `force` caddy loads it even when it is the running config, and so
 * reads the certificate files again (a renewal). */
int svc_caddy_apply_live(const char *svc_dir, const char *json, size_t len, bool force, char *err,
			 size_t errlen);
