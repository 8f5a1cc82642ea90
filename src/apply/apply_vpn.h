/* The VPN follows the store: the WireGuard device (its key, its port, its
 * address on picwg0) and its peers, and the firewall's grant sets. Only
 * what differs is sent to the device — one request (UAPI for
 * wireguard-go, generic netlink for the kernel; wg_device.h) that sets
 * the changed peers and removes the gone ones — so the other peers'
 * sessions never drop. Run after every peer change, when the daemon (re)starts
 * (wireguard-go forgets everything when it exits; the kernel interface
 * is synced at picd start), and after the cell
 * network was rebuilt (a new table has empty sets). */
#pragma once

#include <stddef.h>

#include "model/vpn_peer.h"
#include "vpn/wg_device.h"

struct daemon;
struct svc;

#define APPLY_VPN_SERVER_KEY "vpn/server.key" /* in the state directory */
#define APPLY_VPN_SOCKET_WAIT_MS 2000
/* unbound.conf is rewritten (not reloaded) this long after the last live
 * change of a peer's DNS view. */
#define APPLY_VPN_VIEWS_INSTALL_MS 2000
/* ... and again this long after a change to unbound that was under way. */
#define APPLY_VPN_VIEWS_RETRY_MS 200

/* 0 when the device and the sets match the store (or the daemon is not
 * running: then only the sets); -errno with `err`. */
int apply_vpn_sync(struct daemon *d, char *err, size_t errlen);

enum {
	VPN_SYNC_DEVICE = 1,   /* the WireGuard device and its peers */
	VPN_SYNC_FIREWALL = 2, /* the nftables grant sets */
};
/* apply_vpn_sync for some of it: after the cell network was rebuilt the
 * sets are empty but the device is not; when the daemon (re)starts the
 * device is empty but the sets are not. */
int apply_vpn_sync_parts(struct daemon *d, unsigned parts, char *err, size_t errlen);

/* One peer changed: `before` (NULL: it is new) became `after` (NULL: it
 * is gone). Only that peer is touched — on the device (set or removed in
 * one request, no read of the others) and in the firewall sets (its
 * old elements deleted, its new ones added, one transaction) — so the
 * cost does not grow with the number of peers. On failure the caller
 * runs apply_vpn_sync. */
int apply_vpn_peer(struct daemon *d, const struct vpn_peer *before, const struct vpn_peer *after, char *err,
		   size_t errlen);

/* Picks how the interface is run, once at start before any service
 * starts: the kernel's WireGuard when picd can create (or finds) a
 * wireguard link picwg0, else wireguard-go (whose TUN device may already
 * be there, left running by an earlier picd). Sets d->vpn_backend;
 * -errno only when netlink itself fails. */
int apply_vpn_choose_backend(struct daemon *d);

/* The device as it is reached now: 0, or -ENODEV when it is wireguard-go
 * and the daemon does not run. */
int apply_vpn_device(struct daemon *d, struct wg_device *dev);

/* The server's public key in base64 (45 bytes with the NUL); creates the
 * key pair on first use. */
int apply_vpn_public_key(struct daemon *d, char out[45], char *err, size_t errlen);

/* Hook for the supervisor: the VPN daemon started or stopped serving. */
void apply_vpn_on_serving(struct daemon *d, struct svc *s);

/* Registers the tick that takes a peer off the interface and out of the
 * firewall the moment it expires (d->vpn_next_expiry, kept by
 * apply_vpn_sync). */
int apply_vpn_follow(struct daemon *d);

/* At exit: writes unbound.conf now if live view changes are still
 * waiting for it. */
void apply_vpn_finish(struct daemon *d);
