/* The VPN's recent traffic as picd keeps it (GET /api/wireguard/traffic):
 * ten minutes of rates for the interface and its busiest peers, there the
 * moment the dashboard opens. */
import { useQuery } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../../api/client";

export type Traffic = Schemas["WireguardTraffic"];
export type RateSeries = Schemas["TrafficSeries"];

export const trafficKey = ["wireguard", "traffic"] as const;
/* Every peer picd follows (it follows at most this many). */
export const TRAFFIC_PEERS = 32;

export function useTraffic(refetchInterval = 5_000) {
  return useQuery({
    queryKey: trafficKey,
    queryFn: () => unwrap(api.GET("/api/wireguard/traffic", { params: { query: { limit: TRAFFIC_PEERS } } })),
    refetchInterval,
    retry: false,
  });
}

export interface ChartView {
  key: string; /* "": the whole interface */
  label: string;
  series: RateSeries;
}

/* What the chart shows: the chosen peer while picd still follows it, else
 * the whole interface. */
export function chartView(t: Traffic, chosen: string): ChartView {
  const peer = chosen ? t.peers.find((p) => p.public_key === chosen) : undefined;
  if (!peer) return { key: "", label: "All peers", series: t.total };
  return { key: peer.public_key, label: peer.name ?? peer.public_key.slice(0, 12), series: peer };
}
