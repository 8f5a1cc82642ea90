/* Keeping the WireGuard device and the firewall sets equal to the store
 * (see apply_vpn.h). */
#include "apply_vpn.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "apply.h"
#include "common/buf.h"
#include "common/cleanup.h"
#include "common/log.h"
#include "common/loop.h"
#include "daemon.h"
#include "model/ipplan.h"
#include "net/link.h"
#include "net/nft.h"
#include "store/store_vpn.h"
#include "svc/svc_unbound.h"
#include "svc/svc_wireguard.h"
#include "svc/unbound_views.h"
#include "vpn/vpn_keys.h"
#include "vpn/vpn_nft.h"
#include "vpn/wg_device.h"
#include "common/banned.h"

#define VPN_SERVICE "vpn"
#define DNS_SERVICE "dns"
#define NFT_COMMANDS_MAX (64u << 20)

static int server_key(struct daemon *d, uint8_t priv[VPN_KEY_LEN], char *err, size_t errlen)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s/" APPLY_VPN_SERVER_KEY, d->opt.state_dir);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	bool created = false;
	int r = vpn_server_key(path, priv, &created);
	if (r < 0)
		snprintf(err, errlen, "the VPN server key %s: %s", path,
			 r == -EPERM ? "readable by others (must be 0600)" : strerror(-r));
	else if (created)
		log_info("vpn: created the server key pair (%s)", path);
	return r;
}

int apply_vpn_public_key(struct daemon *d, char out[45], char *err, size_t errlen)
{
	uint8_t priv[VPN_KEY_LEN], pub[VPN_KEY_LEN];
	int r = server_key(d, priv, err, errlen);
	if (r == 0) {
		wg_key_public(priv, pub);
		wg_key_to_base64(pub, out);
	}
	sodium_memzero(priv, sizeof(priv));
	return r;
}

/* --- the firewall, for one peer ------------------------------------
 *
 * One transaction deletes the elements a peer had and adds the ones it has
 * now: a peer that leaves (deleted, disabled, expired) is cut at its
 * commit. Through picd's long-lived nftables session a deletion costs what
 * an addition does (nft.h). */

static int run_nft(struct daemon *d, struct buf *cmds, char *err, size_t errlen)
{
	char nerr[512] = "";
	int r = cmds->len ? nft_run(d->nft, cmds->data, nerr, sizeof(nerr)) : 0;
	if (r < 0)
		snprintf(err, errlen, "the VPN's firewall sets: %s", nerr[0] ? nerr : strerror(-r));
	return r;
}

static int firewall_change(struct daemon *d, const struct vpn_peer *before, const struct vpn_peer *after,
			   int64_t now, char *err, size_t errlen)
{
	struct buf cmds;
	buf_init(&cmds, NFT_COMMANDS_MAX);
	int r = vpn_nft_peer_commands(before, after, &d->config.ip_range, now, &cmds);
	if (r == 0)
		r = run_nft(d, &cmds, err, errlen);
	buf_free(&cmds);
	return r;
}

/* The grant sets, from every peer (active ones only make it in). */
static int sync_firewall(struct daemon *d, const struct vpn_peer *peers, size_t n, char *err, size_t errlen)
{
	struct buf cmds;
	buf_init(&cmds, NFT_COMMANDS_MAX);
	int r = vpn_nft_commands(peers, n, &d->config.ip_range, time(NULL), &cmds);
	if (r == 0)
		r = run_nft(d, &cmds, err, errlen);
	buf_free(&cmds);
	return r;
}

static bool key_equal(const uint8_t a[VPN_KEY_LEN], const uint8_t b[VPN_KEY_LEN])
{
	return sodium_memcmp(a, b, VPN_KEY_LEN) == 0;
}

/* The peer as the device should have it. */
static int peer_config(const struct vpn_peer *p, struct wg_peer_config *c)
{
	*c = (struct wg_peer_config){ .n_allowed = 1, .allowed = { { p->address, 32 } } };
	if (wg_key_from_base64(p->public_key, c->public_key) < 0)
		return -EINVAL;
	c->has_psk = p->preshared_key[0] != '\0';
	if (c->has_psk && wg_key_from_base64(p->preshared_key, c->psk) < 0)
		return -EINVAL;
	return 0;
}

static bool peer_matches(const struct wg_peer_state *have, const struct wg_peer_config *want)
{
	return have->has_psk == want->has_psk && (!want->has_psk || key_equal(have->psk, want->psk)) &&
	       have->n_allowed == want->n_allowed && have->n_allowed_unlisted == 0 &&
	       have->allowed[0].addr == want->allowed[0].addr && have->allowed[0].prefix == want->allowed[0].prefix &&
	       have->keepalive_s == want->keepalive_s;
}

/* Public keys are not secret: plain memcmp orders them. */
static int key_vs_peer(const void *key, const void *peer)
{
	return memcmp(key, ((const struct wg_peer_state *)peer)->public_key, WG_KEY_LEN);
}

static int peer_vs_peer(const void *a, const void *b)
{
	return memcmp(((const struct wg_peer_state *)a)->public_key, ((const struct wg_peer_state *)b)->public_key,
		      WG_KEY_LEN);
}

/* wireguard-go's socket appears a moment after the daemon starts: waits
 * for it. */
static void socket_wait(const char *sock)
{
	uint64_t deadline = loop_now_ms() + APPLY_VPN_SOCKET_WAIT_MS;
	while (access(sock, F_OK) < 0 && loop_now_ms() < deadline) {
		struct timespec pause = { 0, 5 * 1000 * 1000 };
		nanosleep(&pause, NULL);
	}
}

int apply_vpn_device(struct daemon *d, struct wg_device *dev)
{
	*dev = (struct wg_device){ .backend = d->vpn_backend, .ifname = SVC_WG_IFNAME };
	if (dev->backend == WG_BACKEND_KERNEL)
		return 0;
	struct svc *s = supervisor_find(&d->sup, VPN_SERVICE);
	if (!s || s->pid <= 0)
		return -ENODEV;
	snprintf(dev->sock, sizeof(dev->sock), "%s/" SVC_WG_SOCKET, s->dir);
	socket_wait(dev->sock);
	return 0;
}

int apply_vpn_choose_backend(struct daemon *d)
{
	_cleanup_(link_socket_closep) struct nl_sock *sk = NULL;
	int r = link_socket_open(&sk);
	if (r == 0)
		r = link_wireguard_add(sk, SVC_WG_IFNAME);
	d->vpn_backend = r == 0 ? WG_BACKEND_KERNEL : WG_BACKEND_USERSPACE;
	struct svc *daemon = supervisor_find(&d->sup, VPN_SERVICE);
	if (r == 0 && daemon && daemon->state != SVC_UNAVAILABLE) {
		daemon->state = SVC_DISABLED;
		daemon->disabled_reason = "WireGuard runs in the kernel: wireguard-go is not needed";
	}
	if (r == 0)
		log_info("vpn: the kernel's WireGuard, interface %s", SVC_WG_IFNAME);
	else if (r == -EOPNOTSUPP)
		log_info("vpn: this kernel has no WireGuard: wireguard-go runs the interface");
	else if (r == -EEXIST)
		log_info("vpn: %s is wireguard-go's device: wireguard-go keeps it", SVC_WG_IFNAME);
	else
		log_warn("vpn: cannot create a kernel WireGuard interface (%s): wireguard-go runs it", strerror(-r));
	return r == 0 || r == -EOPNOTSUPP || r == -EEXIST ? 0 : r;
}

static int sync_device(struct daemon *d, const struct wg_device *dev, const struct vpn_peer *peers, size_t n,
		       char *err, size_t errlen)
{
	uint8_t priv[VPN_KEY_LEN], pub[VPN_KEY_LEN];
	int r = server_key(d, priv, err, errlen);
	if (r < 0)
		return r;
	wg_key_public(priv, pub);
	struct wg_device_state st = { 0 };
	r = wg_device_get(dev, &st, err, errlen);
	if (r == 0 && (!st.has_private_key || !key_equal(st.public_key, pub) ||
		       st.listen_port != d->config.wireguard_port))
		r = wg_device_set(dev, priv, d->config.wireguard_port, err, errlen);
	sodium_memzero(priv, sizeof(priv));

	/* What to set (new or changed) and what to remove (gone or inactive):
	 * the device's peers sorted by key, each of ours looked up in them. */
	if (r == 0 && st.n_peers > 1)
		qsort(st.peers, st.n_peers, sizeof(*st.peers), peer_vs_peer);
	int64_t now = time(NULL);
	struct wg_peer_config *set = r == 0 ? calloc(n ? n : 1, sizeof(*set)) : NULL;
	uint8_t(*remove)[WG_KEY_LEN] = r == 0 ? calloc(st.n_peers ? st.n_peers : 1, WG_KEY_LEN) : NULL;
	size_t n_set = 0, n_remove = 0;
	if (r == 0 && (!set || !remove))
		r = -ENOMEM;
	bool *kept = r == 0 ? calloc(st.n_peers ? st.n_peers : 1, sizeof(bool)) : NULL;
	if (r == 0 && !kept)
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (!vpn_peer_active(&peers[i], now))
			continue;
		struct wg_peer_config want;
		if (peer_config(&peers[i], &want) < 0)
			continue; /* the store holds only validated keys */
		const struct wg_peer_state *have =
			st.n_peers ? bsearch(want.public_key, st.peers, st.n_peers, sizeof(*st.peers), key_vs_peer) : NULL;
		if (have)
			kept[have - st.peers] = true;
		if (!have || !peer_matches(have, &want))
			set[n_set++] = want;
		sodium_memzero(&want, sizeof(want));
	}
	for (size_t j = 0; r == 0 && j < st.n_peers; j++)
		if (!kept[j])
			memcpy(remove[n_remove++], st.peers[j].public_key, WG_KEY_LEN);
	if (r == 0 && (n_set || n_remove))
		r = wg_device_apply(dev, set, n_set, (const uint8_t(*)[WG_KEY_LEN])remove, n_remove, err, errlen);
	if (r == 0 && (n_set || n_remove))
		log_debug("vpn: %zu peer(s) set, %zu removed", n_set, n_remove);
	if (set)
		sodium_memzero(set, (n ? n : 1) * sizeof(*set));
	free(set);
	free(remove);
	free(kept);
	wg_device_state_free(&st);
	if (r < 0)
		return r;

	/* The interface: up, with the server's address on the VPN subnet. */
	_cleanup_(link_socket_closep) struct nl_sock *sk = NULL;
	int ifindex = 0;
	uint32_t addr = ipplan_vpn_server(&d->config.vpn_subnet);
	r = link_socket_open(&sk);
	if (r == 0)
		r = link_up(sk, SVC_WG_IFNAME, &ifindex);
	if (r == 0)
		r = link_addrs_sync(sk, ifindex, &addr, 1, d->config.vpn_subnet.prefix);
	if (r < 0)
		snprintf(err, errlen, "interface %s: %s", SVC_WG_IFNAME, strerror(-r));
	return r;
}

int apply_vpn_sync(struct daemon *d, char *err, size_t errlen)
{
	return apply_vpn_sync_parts(d, VPN_SYNC_DEVICE | VPN_SYNC_FIREWALL, err, errlen);
}

int apply_vpn_sync_parts(struct daemon *d, unsigned parts, char *err, size_t errlen)
{
	struct vpn_peer *peers = NULL;
	size_t n = 0;
	int r = store_vpn_peer_list(d->store, &peers, &n);
	if (r < 0) {
		snprintf(err, errlen, "reading the peers: %s", strerror(-r));
		return r;
	}
	int64_t now = time(NULL), next = 0;
	for (size_t i = 0; i < n; i++)
		if (vpn_peer_active(&peers[i], now) && peers[i].expires_at && (!next || peers[i].expires_at < next))
			next = peers[i].expires_at;
	d->vpn_next_expiry = next;
	struct wg_device dev;
	if ((parts & VPN_SYNC_DEVICE) && apply_vpn_device(d, &dev) == 0)
		r = sync_device(d, &dev, peers, n, err, errlen);
	if (r == 0 && (parts & VPN_SYNC_FIREWALL))
		r = sync_firewall(d, peers, n, err, errlen);
	store_vpn_peers_free(peers, n);
	return r;
}

/* The peer's DNS view, live (when the DNS service runs; else its next
 * start renders it from the store). */
static int views_change(struct daemon *d, const struct vpn_peer *before, const struct vpn_peer *after, int64_t now,
			char *err, size_t errlen)
{
	struct svc *dns = supervisor_find(&d->sup, DNS_SERVICE);
	char sock[PATH_MAX + 32];
	if (!dns || dns->pid <= 0)
		return 0;
	snprintf(sock, sizeof(sock), "%s/" SVC_UNBOUND_CTL_FILE, dns->dir);
	/* A config rendered before now must not be reloaded over this. */
	dns->live_edits++;
	int r = unbound_views_change(sock, &d->config, before, after, now, err, errlen);
	if (r == 0)
		d->dns_views_install_at_ms = loop_now_ms() + APPLY_VPN_VIEWS_INSTALL_MS;
	return r;
}

int apply_vpn_peer(struct daemon *d, const struct vpn_peer *before, const struct vpn_peer *after, char *err,
		   size_t errlen)
{
	int64_t now = time(NULL);
	bool was = before && vpn_peer_active(before, now), is = after && vpn_peer_active(after, now);
	int r = 0;
	struct wg_device dev;
	if (apply_vpn_device(d, &dev) == 0) {
		struct wg_peer_config want = { 0 };
		uint8_t gone[1][WG_KEY_LEN];
		size_t n_gone = 0;
		if (was && (!is || strcmp(before->public_key, after->public_key) != 0) &&
		    wg_key_from_base64(before->public_key, gone[0]) == 0)
			n_gone = 1;
		if (is && peer_config(after, &want) < 0)
			r = -EINVAL;
		if (r == 0 && (is || n_gone))
			r = wg_device_apply(&dev, &want, is ? 1 : 0, (const uint8_t(*)[WG_KEY_LEN])gone, n_gone, err,
					    errlen);
		sodium_memzero(&want, sizeof(want));
	}
	if (r < 0)
		return r;
	r = firewall_change(d, before, after, now, err, errlen);
	if (r < 0)
		return r;
	r = views_change(d, before, after, now, err, errlen);
	if (r < 0)
		return r;
	if (is && after->expires_at && (!d->vpn_next_expiry || after->expires_at < d->vpn_next_expiry))
		d->vpn_next_expiry = after->expires_at;
	return 0;
}

/* unbound restarted by the supervisor runs the file it had: peers
 * changed since are live changes it lost. Render it again (after a
 * change to it in flight, which may be the views' own install). */
static void views_reapplied(struct daemon *d, int r, const char *err, void *cls)
{
	struct svc *s = cls;
	char why[512] = "";
	if (r == APPLY_NOT_ASYNC) {
		r = apply_service(d, s, false, why, sizeof(why));
		err = why;
	}
	if (r < 0)
		log_err("dns: the VPN views could not be brought up to date: %s", err);
}

static void views_reapply(struct daemon *d, void *cls)
{
	struct svc *s = cls;
	char err[512] = "";
	/* 8 MB and unbound-checkconf at 10,000 peers: in the DNS worker. */
	int r = apply_change_async(d, s, views_reapplied, s, err, sizeof(err));
	if (r != APPLY_STARTED)
		views_reapplied(d, r, err, s);
}

void apply_vpn_on_serving(struct daemon *d, struct svc *s)
{
	char err[512] = "";
	if (strcmp(s->ops->name, DNS_SERVICE) == 0 && s->serving) {
		if (apply_when_free(d, s, views_reapply, s) < 0)
			log_err("dns: the VPN views could not be brought up to date: out of memory");
		return;
	}
	if (strcmp(s->ops->name, VPN_SERVICE) != 0 || !s->serving)
		return;
	/* The firewall sets were filled when the cell network came up
	 * (apply_cell) and follow every change since: the device only. */
	if (apply_vpn_sync_parts(d, VPN_SYNC_DEVICE, err, sizeof(err)) < 0)
		log_err("vpn: cannot configure the interface: %s", err);
	else
		log_info("vpn: interface %s configured", SVC_WG_IFNAME);
}

static void views_installed(struct daemon *d, int r, const char *err, void *cls)
{
	(void)d;
	(void)cls;
	if (r < 0)
		log_err("dns: cannot write the VPN views to unbound.conf: %s", err);
}

/* unbound runs the peers' views as changed live; its file follows once
 * the changes pause, so a restart starts from the same state: rendered,
 * checked and installed in the service's worker, or here when `wait`
 * (picd is stopping). */
static int64_t views_tick(struct daemon *d, bool wait)
{
	if (!d->dns_views_install_at_ms)
		return -1;
	uint64_t now = loop_now_ms();
	if (now < d->dns_views_install_at_ms)
		return (int64_t)(d->dns_views_install_at_ms - now);
	struct svc *dns = supervisor_find(&d->sup, DNS_SERVICE);
	char err[512] = "";
	int r = APPLY_NOT_ASYNC;
	if (dns && !wait) {
		if (apply_busy(d, dns)) {
			/* A change to unbound is under way: after it. */
			d->dns_views_install_at_ms = now + APPLY_VPN_VIEWS_RETRY_MS;
			return APPLY_VPN_VIEWS_RETRY_MS;
		}
		r = apply_install_async(d, dns, views_installed, NULL, err, sizeof(err));
	}
	d->dns_views_install_at_ms = 0;
	if (dns && r == APPLY_NOT_ASYNC)
		r = apply_install(d, dns, err, sizeof(err));
	if (r < 0)
		log_err("dns: cannot write the VPN views to unbound.conf: %s", err);
	return -1;
}

static int64_t shortest(int64_t a, int64_t b)
{
	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

static int64_t on_tick(struct loop *l, void *data)
{
	struct daemon *d = data;
	int64_t views = views_tick(d, false);
	if (!d->vpn_next_expiry)
		return views;
	int64_t now = time(NULL);
	if (now < d->vpn_next_expiry)
		return shortest(views, (d->vpn_next_expiry - now) * 1000);
	char err[512] = "";
	if (apply_vpn_sync(d, err, sizeof(err)) < 0) {
		log_err("vpn: taking expired peers off: %s", err);
		d->vpn_next_expiry = now + 5; /* again soon */
	} else {
		log_info("vpn: expired peers taken off the interface");
	}
	return views;
}

int apply_vpn_follow(struct daemon *d)
{
	return loop_add_tick(d->loop, on_tick, d);
}

void apply_vpn_finish(struct daemon *d)
{
	if (d->dns_views_install_at_ms) {
		d->dns_views_install_at_ms = 1; /* due now */
		views_tick(d, true);
	}
}
