/* wireguard-go as a managed daemon (see svc_wireguard.h). */
#include "svc_wireguard.h"

#include "common/banned.h"

/* -f: stay in the foreground, so the supervisor's pidfd is the daemon's. */
static const char *const run_argv[] = { "/usr/bin/wireguard-go", "-f", SVC_WG_IFNAME, NULL };

const struct svc_ops svc_wireguard_ops = {
	.name = "vpn",
	.daemon = "wireguard-go",
	.package = "wireguard-go",
	.binary = "/usr/bin/wireguard-go",
	/* Root in its own mount namespace: it creates a TUN device and
	 * configures it, which needs CAP_NET_ADMIN. */
	.dirs = (const struct svc_dir[]){ { .path = SVC_WG_RUN_DIR }, { .path = NULL } },
	.run_link = SVC_WG_RUN_DIR,
	.run_argv = run_argv,
	.reload = SVC_RELOAD_RESTART,
	.host_network = true,
};
