/* The VPN follows the store: the WireGuard device (its key, its port, its
 * address on picwg0) and its peers, and the firewall's grant sets. Only
 * what differs is sent to the device — one UAPI request that sets the
 * changed peers and removes the gone ones — so the other peers' sessions
 * never drop. Run after every peer change, when the daemon (re)starts
 * (wireguard-go forgets everything when it exits), and after the cell
 * network was rebuilt (a new table has empty sets). */
#pragma once

#include <stddef.h>

struct daemon;
struct svc;

#define APPLY_VPN_SERVER_KEY "vpn/server.key" /* in the state directory */
#define APPLY_VPN_SOCKET_WAIT_MS 2000

/* 0 when the device and the sets match the store (or the daemon is not
 * running: then only the sets); -errno with `err`. */
int apply_vpn_sync(struct daemon *d, char *err, size_t errlen);

/* The server's public key in base64 (45 bytes with the NUL); creates the
 * key pair on first use. */
int apply_vpn_public_key(struct daemon *d, char out[45], char *err, size_t errlen);

/* Hook for the supervisor: the VPN daemon started or stopped serving. */
void apply_vpn_on_serving(struct daemon *d, struct svc *s);
