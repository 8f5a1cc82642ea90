/* Times the API gives as seconds since the epoch. */
export function formatTime(s: number | null | undefined): string {
  if (s === null || s === undefined) return "—";
  return new Date(s * 1000).toLocaleString();
}

export function formatAgo(s: number | null | undefined, now = Date.now() / 1000): string {
  if (s === null || s === undefined || s === 0) return "never";
  const d = Math.max(0, Math.round(now - s));
  if (d < 60) return `${d}s ago`;
  if (d < 3600) return `${Math.floor(d / 60)}m ago`;
  if (d < 86400) return `${Math.floor(d / 3600)}h ago`;
  return `${Math.floor(d / 86400)}d ago`;
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
