/* The cell's WireGuard interface, whichever implements it: the kernel's
 * (generic netlink, wg_netlink.h) where the kernel has WireGuard, else
 * wireguard-go's (its UAPI socket, wg_uapi.h). The two are the same
 * device to everything above: the same requests (wg_config.h), the same
 * state read back (wg_dump.h). */
#pragma once

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "wg_config.h"
#include "wg_dump.h"

enum wg_backend {
	WG_BACKEND_USERSPACE, /* wireguard-go, a daemon picd supervises */
	WG_BACKEND_KERNEL,    /* the kernel module; no daemon */
};

struct wg_device {
	enum wg_backend backend;
	const char *ifname;
	char sock[PATH_MAX + 32]; /* USERSPACE: its UAPI socket */
};

/* "kernel", "wireguard-go". */
const char *wg_backend_name(enum wg_backend b);

/* As wg_uapi_get() / wg_nl_get(). */
int wg_device_get(const struct wg_device *dev, struct wg_device_state *ret, char *err, size_t errlen);
/* The private key and listen port. */
int wg_device_set(const struct wg_device *dev, const uint8_t private_key[WG_KEY_LEN], uint16_t listen_port,
		  char *err, size_t errlen);
/* Removes `remove`, then sets `set`; other peers are untouched. */
int wg_device_apply(const struct wg_device *dev, const struct wg_peer_config *set, size_t n_set,
		    const uint8_t (*remove)[WG_KEY_LEN], size_t n_remove, char *err, size_t errlen);
