/* Per-peer traffic rates from successive readings of the WireGuard
 * counters (GET /api/wireguard/peers, polled): bounded history kept in
 * the browser while the dashboard is open. */
export interface Reading {
  at: number; /* seconds */
  rx: number;
  tx: number;
}

export interface RateSeries {
  t: number[];
  rx: number[]; /* bytes/s */
  tx: number[];
}

export const HISTORY = 120;

export class TrafficHistory {
  private last = new Map<string, Reading>();
  private series = new Map<string, RateSeries>();

  add(key: string, r: Reading): void {
    const prev = this.last.get(key);
    this.last.set(key, r);
    if (!prev || r.at <= prev.at) return;
    const dt = r.at - prev.at;
    /* A counter that went back (peer re-added, interface restarted) starts over. */
    const rx = r.rx >= prev.rx ? (r.rx - prev.rx) / dt : 0;
    const tx = r.tx >= prev.tx ? (r.tx - prev.tx) / dt : 0;
    let s = this.series.get(key);
    if (!s) {
      s = { t: [], rx: [], tx: [] };
      this.series.set(key, s);
    }
    s.t.push(r.at);
    s.rx.push(rx);
    s.tx.push(tx);
    if (s.t.length > HISTORY) {
      s.t.shift();
      s.rx.shift();
      s.tx.shift();
    }
  }

  get(key: string): RateSeries | undefined {
    return this.series.get(key);
  }

  /* Keys by their latest total rate, busiest first. */
  busiest(n: number): string[] {
    return [...this.series.entries()]
      .map(([k, s]) => [k, (s.rx[s.rx.length - 1] ?? 0) + (s.tx[s.tx.length - 1] ?? 0)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k]) => k);
  }

  /* Forgets peers that are gone. */
  retain(keys: Set<string>): void {
    for (const k of [...this.last.keys()]) if (!keys.has(k)) this.last.delete(k);
    for (const k of [...this.series.keys()]) if (!keys.has(k)) this.series.delete(k);
  }
}
