/* VPN peers with their live state; a long list is virtualised (only the
 * rows in view are in the page), so 10,000 peers stay responsive. */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useDeferredValue, useMemo, useRef, useState } from "react";
import { Name } from "../components/Name";
import { Empty, ErrorNote, QueryView } from "../components/states";
import { formatAgo, formatBytes } from "../lib/time";
import { AddPeerDialog } from "../features/vpn/AddPeerDialog";
import { PeerDialog } from "../features/vpn/PeerDialog";
import { usePeers, useWgPeers, type Peer, type WgPeer } from "../features/vpn/api";

const ROW_PX = 52;
const COLS = "grid grid-cols-[minmax(0,1.4fr)_minmax(0,1fr)_5.5rem] sm:grid-cols-[minmax(0,1.4fr)_minmax(0,1fr)_6rem_7rem_minmax(0,1fr)_8rem] items-center gap-2 px-2";

function PeerList({ peers, live, onOpen }: { peers: Peer[]; live: Map<string, WgPeer>; onOpen: (p: Peer) => void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: peers.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 10 });
  return (
    <div role="table" aria-label="VPN peers" aria-rowcount={peers.length} className="text-sm">
      <div role="row" className={`${COLS} border-b border-slate-200 py-1.5 font-medium text-slate-500 dark:border-slate-700`}>
        <span role="columnheader">Name</span>
        <span role="columnheader">Address</span>
        <span role="columnheader">State</span>
        <span role="columnheader" className="hidden sm:block">Handshake</span>
        <span role="columnheader" className="hidden sm:block">Endpoint</span>
        <span role="columnheader" className="hidden sm:block">Traffic ↓/↑</span>
      </div>
      <div ref={scroller} className="max-h-[60vh] overflow-auto" data-testid="peer-scroller">
        <div style={{ height: v.getTotalSize(), position: "relative" }}>
          {v.getVirtualItems().map((item) => {
            const p = peers[item.index]!;
            const w = p.public_key ? live.get(p.public_key) : undefined;
            const state = !p.enabled ? "disabled" : !p.active ? "expired" : w?.online ? "online" : "offline";
            return (
              <div
                role="row"
                aria-rowindex={item.index + 1}
                key={p.name}
                className={`${COLS} absolute inset-x-0 cursor-pointer border-b border-slate-100 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800`}
                style={{ height: ROW_PX, transform: `translateY(${item.start}px)` }}
                onClick={() => onOpen(p)}
              >
                <span role="cell" className="min-w-0">
                  <button type="button" className="block w-full min-w-0 text-left font-medium text-teal-800 hover:underline dark:text-teal-300" onClick={(e) => { e.stopPropagation(); onOpen(p); }}>
                    <Name value={p.name} />
                  </button>
                </span>
                <span role="cell" className="min-w-0"><Name value={p.address} mono /></span>
                <span role="cell">
                  <span data-testid={`peer-state-${p.name}`} className={`badge ${state === "online" ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300" : "bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300"}`}>{state}</span>
                </span>
                <span role="cell" className="hidden text-xs sm:block">{formatAgo(w?.last_handshake)}</span>
                <span role="cell" className="hidden min-w-0 sm:block"><Name value={w?.endpoint} mono /></span>
                <span role="cell" className="hidden text-xs sm:block">{w ? `${formatBytes(w.rx_bytes)} / ${formatBytes(w.tx_bytes)}` : "—"}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

export function Page() {
  const peers = usePeers();
  const wg = useWgPeers();
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<Peer | null>(null);
  const [filter, setFilter] = useState("");
  const deferredFilter = useDeferredValue(filter);
  const live = useMemo(() => new Map((wg.data ?? []).map((w) => [w.public_key, w] as const)), [wg.data]);
  const online = (wg.data ?? []).filter((w) => w.online).length;

  return (
    <>
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-auto text-xl font-semibold">VPN</h1>
        <button type="button" className="btn-primary" onClick={() => setAdding(true)}>Add peer</button>
      </div>
      <section className="card flex flex-col gap-3" aria-label="Peers">
        <div className="flex flex-wrap items-center gap-3">
          <input className="input max-w-xs" type="search" aria-label="Filter peers" placeholder="Filter by name or address" maxLength={64} value={filter} onChange={(e) => setFilter(e.target.value)} />
          <span className="text-sm text-slate-500" data-testid="peer-counts">{online} online of {peers.data?.length ?? 0}</span>
        </div>
        {wg.error && <ErrorNote error={wg.error} />}
        <QueryView query={peers}>
          {(list) => {
            const q = deferredFilter.trim().toLowerCase();
            const shown = q ? list.filter((p) => (p.name ?? "").toLowerCase().includes(q) || (p.address ?? "").includes(q)) : list;
            if (list.length === 0) return <Empty>No peers yet. Add one to get a QR code for a phone or laptop.</Empty>;
            if (shown.length === 0) return <Empty>No peer matches.</Empty>;
            return <PeerList peers={shown} live={live} onOpen={setOpen} />;
          }}
        </QueryView>
      </section>
      <AddPeerDialog open={adding} onClose={() => setAdding(false)} />
      {open && <PeerDialog peer={open} onClose={() => setOpen(null)} />}
    </>
  );
}
