/* A rate chart (uPlot) of one peer's received and sent bytes per second. */
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatBytes } from "../../lib/time";
import type { RateSeries } from "./traffic";

export default function TrafficChart({ series, label }: { series: RateSeries; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: el.clientWidth || 300,
      height: 160,
      series: [
        {},
        { label: "received", stroke: "#0f766e", width: 1.5, value: (_u, v) => (v === null ? "—" : `${formatBytes(v)}/s`) },
        { label: "sent", stroke: "#b45309", width: 1.5, value: (_u, v) => (v === null ? "—" : `${formatBytes(v)}/s`) },
      ],
      axes: [{ stroke: "#64748b" }, { stroke: "#64748b", size: 70, values: (_u, vals) => vals.map((v) => `${formatBytes(v)}/s`) }],
      legend: { show: true },
    };
    plot.current = new uPlot(opts, [[], [], []], el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height: 160 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData([series.t, series.rx, series.tx]);
  }, [series, series.t.length]);

  return <div ref={box} aria-label={`Traffic of ${label}`} role="img" className="min-w-0" />;
}
