/* One peer: what it may reach and why (GET /api/peers/{name}/access),
 * service toggles, enable/disable, expiry, its config, delete. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { errorMessage, fieldError } from "../../api/errors";
import { ConfirmDialog, Dialog } from "../../components/Dialog";
import { Name } from "../../components/Name";
import { QueryView } from "../../components/states";
import { formatTime } from "../../lib/time";
import { expiresAt, PeerQr } from "./AddPeerDialog";
import { GRANTABLE, peersKey, usePeers, type Peer, type PeerService } from "./api";

type PeerChange = { services?: PeerService[]; enabled?: boolean; expires_at?: number | null };

function dateOf(s: number | null | undefined): string {
  if (!s) return "";
  const d = new Date(s * 1000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export function PeerDialog({ peer, onClose }: { peer: Peer; onClose: () => void }) {
  const qc = useQueryClient();
  const name = peer.name ?? "";
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [showConfig, setShowConfig] = useState(false);
  const accessKey = ["peers", name, "access"];
  const access = useQuery({ queryKey: accessKey, queryFn: () => unwrap(api.GET("/api/peers/{name}/access", { params: { path: { name } } })) });
  const peers = usePeers();
  /* The change shows at once; a refusal puts the peer back as it was. */
  const change = useMutation({
    mutationFn: (body: PeerChange) => unwrap(api.PUT("/api/peers/{name}", { params: { path: { name } }, body })),
    onMutate: async (body) => {
      await qc.cancelQueries({ queryKey: peersKey });
      const before = qc.getQueryData<Peer[]>(peersKey);
      qc.setQueryData<Peer[]>(peersKey, (old) => old?.map((x) => (x.name === name ? { ...x, ...body } : x)));
      return { before };
    },
    onError: (_e, _body, ctx) => {
      if (ctx?.before) qc.setQueryData(peersKey, ctx.before);
    },
    onSuccess: (p) => {
      qc.setQueryData<Peer[]>(peersKey, (old) => old?.map((x) => (x.name === name ? p : x)));
    },
    onSettled: () => qc.invalidateQueries({ queryKey: accessKey }),
  });
  const del = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/peers/{name}", { params: { path: { name } } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: peersKey });
      onClose();
    },
  });
  const current = (peers.data ?? []).find((x) => x.name === name) ?? peer;
  const services = new Set(current.services ?? []);
  const toggle = (id: PeerService) => {
    const next = new Set(services);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    change.mutate({ services: GRANTABLE.map((g) => g.id).filter((g) => next.has(g)) });
  };

  return (
    <Dialog open title={`Peer ${name}`} onClose={onClose} wide>
      <dl className="grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-500">Address</dt><dd><Name value={current.address} mono /></dd>
        <dt className="text-slate-500">Public key</dt><dd className="min-w-0"><Name value={current.public_key} mono /></dd>
        <dt className="text-slate-500">Tunnel</dt><dd>{current.tunnel}</dd>
        <dt className="text-slate-500">Created</dt><dd>{formatTime(current.created_at)}</dd>
      </dl>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={current.enabled ?? true} disabled={change.isPending} onChange={(e) => change.mutate({ enabled: e.target.checked })} /> Enabled
        </label>
        <label className="flex items-center gap-2">
          Expires
          <input className="input w-auto" type="date" aria-label="Expiry date" defaultValue={dateOf(current.expires_at)} onChange={(e) => change.mutate({ expires_at: expiresAt(e.target.value) })} />
        </label>
        {!current.active && <span className="badge bg-slate-200 dark:bg-slate-800">inactive</span>}
      </div>
      <section aria-label="Access" className="flex flex-col gap-1">
        <h3 className="text-sm font-semibold">May reach</h3>
        <QueryView query={access}>
          {(a) => (
            <ul className="flex flex-col gap-1.5 text-sm">
              {("services" in a ? a.services : []).map((s) => {
                const grantable = GRANTABLE.find((g) => g.id === s.service);
                return (
                  <li key={s.service} className="flex min-w-0 items-start gap-2">
                    {grantable ? (
                      <input type="checkbox" className="mt-1" aria-label={`Allow ${grantable.label}`} checked={services.has(grantable.id)} disabled={change.isPending} onChange={() => toggle(grantable.id)} />
                    ) : (
                      <input type="checkbox" className="mt-1" aria-label="DNS (always)" checked disabled />
                    )}
                    <div className="min-w-0">
                      <span className="font-medium">{grantable?.label ?? s.service.toUpperCase()}</span>{" "}
                      <span className={`badge ${s.allowed ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300" : "bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300"}`}>{s.allowed ? "allowed" : "blocked"}</span>
                      <p className="text-xs break-words text-slate-500">{s.reason}</p>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </QueryView>
        {change.error && <p role="alert" className="text-sm text-red-700">{fieldError(change.error, "services") ?? errorMessage(change.error)}</p>}
      </section>
      {current.provisioned_by_cell && (
        <div>
          <button type="button" className="btn-secondary" aria-expanded={showConfig} onClick={() => setShowConfig(!showConfig)}>{showConfig ? "Hide" : "Show"} QR code and config</button>
          {showConfig && <div className="mt-3"><PeerQr peer={current} /></div>}
        </div>
      )}
      <div className="flex justify-between gap-2">
        <button type="button" className="btn-danger" onClick={() => setConfirmDelete(true)}>Delete peer</button>
        <button type="button" className="btn-secondary" onClick={onClose}>Close</button>
      </div>
      <ConfirmDialog open={confirmDelete} title={`Delete ${name}?`} confirmLabel="Delete" busy={del.isPending} onClose={() => setConfirmDelete(false)} onConfirm={() => del.mutate()}>
        The device loses its VPN at once, and its configuration cannot be used again.
        {del.error && <p role="alert" className="mt-2 text-red-700">{errorMessage(del.error)}</p>}
      </ConfirmDialog>
    </Dialog>
  );
}
