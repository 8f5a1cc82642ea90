/* One WireGuard device, two ways to reach it (see wg_device.h). */
#include "wg_device.h"

#include "wg_netlink.h"
#include "wg_uapi.h"
#include "common/banned.h"

const char *wg_backend_name(enum wg_backend b)
{
	return b == WG_BACKEND_KERNEL ? "kernel" : "wireguard-go";
}

int wg_device_get(const struct wg_device *dev, struct wg_device_state *ret, char *err, size_t errlen)
{
	if (dev->backend == WG_BACKEND_KERNEL)
		return wg_nl_get(dev->ifname, ret, err, errlen);
	return wg_uapi_get(dev->sock, ret, WG_UAPI_TIMEOUT_MS, err, errlen);
}

int wg_device_set(const struct wg_device *dev, const uint8_t private_key[WG_KEY_LEN], uint16_t listen_port,
		  char *err, size_t errlen)
{
	if (dev->backend == WG_BACKEND_KERNEL)
		return wg_nl_set_device(dev->ifname, private_key, listen_port, err, errlen);
	return wg_uapi_set_device(dev->sock, private_key, listen_port, WG_UAPI_TIMEOUT_MS, err, errlen);
}

int wg_device_apply(const struct wg_device *dev, const struct wg_peer_config *set, size_t n_set,
		    const uint8_t (*remove)[WG_KEY_LEN], size_t n_remove, char *err, size_t errlen)
{
	if (dev->backend == WG_BACKEND_KERNEL)
		return wg_nl_apply(dev->ifname, set, n_set, remove, n_remove, err, errlen);
	return wg_uapi_apply(dev->sock, set, n_set, remove, n_remove, WG_UAPI_TIMEOUT_MS, err, errlen);
}
