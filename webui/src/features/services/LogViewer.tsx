/* A service's output, followed live (GET /api/services/{name}/logs?follow=1,
 * Server-Sent Events: the last lines, then each new one). Pause keeps the
 * stream but stops the view; search filters what is held; download saves
 * it. At most MAX_LINES are kept. */
import { useEffect, useMemo, useRef, useState } from "react";

const MAX_LINES = 5_000;

export function LogViewer({ service }: { service: string }) {
  const [lines, setLines] = useState<string[]>([]);
  const [paused, setPaused] = useState(false);
  const [search, setSearch] = useState("");
  const [connected, setConnected] = useState(false);
  const pausedRef = useRef(paused);
  const held = useRef<string[]>([]);
  const box = useRef<HTMLPreElement>(null);
  pausedRef.current = paused;

  useEffect(() => {
    setLines([]);
    held.current = [];
    const es = new EventSource(`/api/services/${encodeURIComponent(service)}/logs?follow=1&tail=200`);
    es.onopen = () => setConnected(true);
    es.onerror = () => setConnected(es.readyState === EventSource.OPEN);
    es.onmessage = (e: MessageEvent<string>) => {
      held.current.push(e.data);
      if (held.current.length > MAX_LINES) held.current.splice(0, held.current.length - MAX_LINES);
      if (!pausedRef.current) setLines([...held.current]);
    };
    return () => es.close();
  }, [service]);

  useEffect(() => {
    if (!paused) setLines([...held.current]);
  }, [paused]);

  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return q ? lines.filter((l) => l.toLowerCase().includes(q)) : lines;
  }, [lines, search]);

  useEffect(() => {
    const b = box.current;
    if (b && !paused) b.scrollTop = b.scrollHeight;
  }, [shown, paused]);

  const download = () => {
    const url = URL.createObjectURL(new Blob([held.current.join("\n") + "\n"], { type: "text/plain" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${service}.log`;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <section className="flex min-w-0 flex-col gap-2" aria-label={`Logs of ${service}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className={`badge ${connected ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300" : "bg-slate-200 text-slate-700 dark:bg-slate-800"}`}>
          {connected ? (paused ? "paused" : "following") : "connecting…"}
        </span>
        <button type="button" className="btn-secondary" onClick={() => setPaused(!paused)}>
          {paused ? "Resume" : "Pause"}
        </button>
        <input className="input max-w-xs" type="search" aria-label="Search the logs" placeholder="Search" maxLength={200} value={search} onChange={(e) => setSearch(e.target.value)} />
        <button type="button" className="btn-secondary" onClick={download}>
          Download
        </button>
        <span className="text-xs text-slate-500">{shown.length} line(s)</span>
      </div>
      <pre ref={box} data-testid="log-lines" className="h-80 overflow-auto rounded-md bg-slate-950 p-3 text-xs leading-5 whitespace-pre-wrap break-all text-slate-100">
        {shown.length ? shown.join("\n") : "No output yet."}
      </pre>
    </section>
  );
}
