import { useQuery } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../../api/client";

export type Service = Schemas["Service"];
export const servicesKey = ["services"] as const;

export function useServices(refetchInterval: number | false = 5_000) {
  return useQuery({
    queryKey: servicesKey,
    queryFn: async () => (await unwrap(api.GET("/api/services"))).services,
    refetchInterval,
  });
}

export function stateTone(s: Service): string {
  if (s.state === "running" && s.healthy) return "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300";
  if (s.state === "running") return "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300";
  if (s.state === "failed") return "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300";
  return "bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300";
}

export function stateLabel(s: Service): string {
  return s.state === "running" && !s.healthy ? "unhealthy" : s.state;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${seconds % 60}s`;
  return `${seconds}s`;
}
