import type { Config } from "../features/config/api";

/* A configuration document as GET /api/config answers it. */
export function configFixture(over: Partial<Config> = {}): Config {
  return {
    cell_name: "mycell",
    domain: "cell",
    ip_range: "172.20.0.0/16",
    vpn_subnet: "10.0.0.0/24",
    wireguard_port: 51820,
    endpoint: null,
    addresses: { host: "172.20.0.1", dns: "172.20.0.2", dhcp: "172.20.0.3", ntp: "172.20.0.4", vpn: "172.20.0.5", proxy: "172.20.0.6", mail: "172.20.0.7", dav: "172.20.0.8", files: "172.20.0.9", webui: "172.20.0.10" },
    virtual_ips: { calendar: "172.20.0.20", files: "172.20.0.21", mail: "172.20.0.22", webui: "172.20.0.23" },
    vpn: { server: "10.0.0.1" },
    pending: [],
    ...over,
  };
}
