/* One stream of cell events (GET /api/events, Server-Sent Events) per
 * session, shared by every page: the dashboard lists the recent ones,
 * Apply shows the steps of its own. The browser's EventSource reconnects
 * by itself; the cookie authenticates it. */
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

export interface CellEvent {
  seq: number;
  type: string;
  at: number; /* ms since the epoch, when the browser got it */
  data: Record<string, unknown>;
}

const KEEP = 100;
const TYPES = ["apply"];

interface EventsCtx {
  events: CellEvent[]; /* newest last */
  connected: boolean;
}

const Ctx = createContext<EventsCtx>({ events: [], connected: false });

export function EventsProvider({ children }: { children: ReactNode }) {
  const [events, setEvents] = useState<CellEvent[]>([]);
  const [connected, setConnected] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const es = new EventSource("/api/events");
    const onEvent = (e: MessageEvent<string>) => {
      let data: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(e.data);
        if (parsed && typeof parsed === "object") data = parsed as Record<string, unknown>;
      } catch {
        data = { text: e.data };
      }
      const ev: CellEvent = { seq: ++seq.current, type: e.type, at: Date.now(), data };
      setEvents((old) => [...old.slice(-(KEEP - 1)), ev]);
    };
    for (const t of TYPES) es.addEventListener(t, onEvent);
    es.onmessage = onEvent;
    es.onopen = () => setConnected(true);
    es.onerror = () => setConnected(es.readyState === EventSource.OPEN);
    return () => es.close();
  }, []);

  const value = useMemo(() => ({ events, connected }), [events, connected]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useEvents(): EventsCtx {
  return useContext(Ctx);
}

/* A one-line account of an event for people. */
export function describeEvent(e: CellEvent): string {
  const d = e.data;
  if (typeof d.step === "string") {
    if (d.step === "network") return "Applying network changes…";
    if (d.step === "done") {
      const r = d.result as { ok?: boolean; error?: string } | undefined;
      return r?.ok ? "Network changes applied" : `Applying failed: ${r?.error ?? "unknown error"}`;
    }
    return `Step: ${d.step}`;
  }
  if (typeof d.service === "string") return d.ok ? `${d.service}: new configuration applied` : `${d.service}: apply failed — ${String(d.error ?? "")}`;
  return `${e.type}: ${JSON.stringify(d)}`;
}
