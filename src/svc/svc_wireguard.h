/* The VPN: WireGuard on an interface in picd's own (the host's) network
 * namespace, listening on wireguard_port, the first address of
 * vpn_subnet its own, routed into the cell like the LAN. Where the kernel
 * has WireGuard, picd creates the interface itself and this service is
 * disabled (apply_vpn_choose_backend); otherwise it runs wireguard-go
 * (user space, a TUN device). The daemon has no config file: picd sets
 * the device and each peer live through its UAPI socket (apply_vpn.c,
 * wg_uapi.h), which wireguard-go puts in /run/wireguard — inside the
 * service's mount namespace that is the service directory's wireguard/. */
#pragma once

#include "net/netplan.h"
#include "svc_ops.h"

#define SVC_WG_IFNAME NETPLAN_VPN_IFNAME
#define SVC_WG_RUN_DIR "wireguard"
/* In the service directory. */
#define SVC_WG_SOCKET SVC_WG_RUN_DIR "/" SVC_WG_IFNAME ".sock"

extern const struct svc_ops svc_wireguard_ops;
