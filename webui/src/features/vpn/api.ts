import { useQuery } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../../api/client";

export type Peer = Schemas["Peer"];
export type PeerService = NonNullable<Peer["services"]>[number];
/* The services a peer can be granted (DNS is every peer's). */
export const GRANTABLE: { id: PeerService; label: string }[] = [
  { id: "webui", label: "This web interface" },
  { id: "calendar", label: "Calendar & contacts" },
  { id: "files", label: "Files" },
  { id: "mail", label: "Mail" },
  { id: "ntp", label: "Time (NTP)" },
  { id: "internet", label: "Internet through the cell" },
  { id: "peers", label: "Other VPN peers" },
];

export const peersKey = ["peers"] as const;
export const wgPeersKey = ["wireguard", "peers"] as const;

export function usePeers() {
  return useQuery({ queryKey: peersKey, queryFn: async () => (await unwrap(api.GET("/api/peers"))).peers ?? [] });
}

export type WgPeer = NonNullable<Awaited<ReturnType<typeof fetchWgPeers>>>[number];

async function fetchWgPeers() {
  return (await unwrap(api.GET("/api/wireguard/peers"))).peers;
}

/* The interface's view (handshakes, endpoints, counters), refreshed. */
export function useWgPeers(refetchInterval = 5_000) {
  return useQuery({ queryKey: wgPeersKey, queryFn: fetchWgPeers, refetchInterval, retry: false });
}

export function peerUrl(name: string, file: "qr.svg" | "qr.png" | "config.conf"): string {
  return `/api/peers/${encodeURIComponent(name)}/${file}`;
}
