/* The cell zone's records (paged and filtered by the API), import, and
 * forward zones. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../api/client";
import { errorMessage } from "../api/errors";
import { ConfirmDialog } from "../components/Dialog";
import { Name } from "../components/Name";
import { Pager } from "../components/Pager";
import { Empty, QueryView } from "../components/states";
import { useConfig } from "../features/config/api";
import { ForwardsCard } from "../features/dns/ForwardsCard";
import { ImportDialog } from "../features/dns/ImportDialog";
import { RecordDialog, type DnsRecord } from "../features/dns/RecordDialog";
import { RECORD_TYPES, type RecordType } from "../features/dns/zonefile";

const LIMIT = 50;

function recordData(r: DnsRecord): string {
  if (r.type === "MX") return `${r.priority ?? ""} ${r.value}`;
  if (r.type === "SRV") return `${r.priority ?? ""} ${r.weight ?? ""} ${r.port ?? ""} ${r.value}`;
  if (r.type === "CAA") return `${r.flags ?? 0} ${r.tag ?? "issue"} "${r.value}"`;
  return r.value;
}

export function Page() {
  const qc = useQueryClient();
  const config = useConfig();
  const zone = config.data ? `${config.data.config.cell_name}.${config.data.config.domain}` : "the cell zone";
  const [filterName, setFilterName] = useState("");
  const [filterType, setFilterType] = useState("");
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<DnsRecord | null | "new">(null);
  const [deleting, setDeleting] = useState<DnsRecord | null>(null);
  const [importing, setImporting] = useState(false);

  const query = { offset, limit: LIMIT, ...(filterName.trim() ? { name: filterName.trim() } : {}), ...(filterType ? { type: filterType as RecordType } : {}) };
  const records = useQuery({
    queryKey: ["dns", "records", query],
    queryFn: () => unwrap(api.GET("/api/dns/records", { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const del = useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE("/api/dns/records/{id}", { params: { path: { id } } })),
    onSuccess: () => {
      setDeleting(null);
      void qc.invalidateQueries({ queryKey: ["dns", "records"] });
    },
  });

  return (
    <>
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-auto text-xl font-semibold">DNS</h1>
        <button type="button" className="btn-secondary" onClick={() => setImporting(true)}>Import zone file</button>
        <button type="button" className="btn-primary" onClick={() => setEditing("new")}>Add record</button>
      </div>
      <section className="card flex flex-col gap-3" aria-label="Records">
        <h2 className="min-w-0 font-semibold"><Name value={`Records of ${zone}`} /></h2>
        <div className="flex flex-wrap gap-2">
          <input className="input max-w-xs" type="search" aria-label="Filter by name" placeholder="Filter by name (and its subdomains)" maxLength={255} value={filterName} onChange={(e) => { setFilterName(e.target.value); setOffset(0); }} />
          <select className="input max-w-36" aria-label="Filter by type" value={filterType} onChange={(e) => { setFilterType(e.target.value); setOffset(0); }}>
            <option value="">All types</option>
            {RECORD_TYPES.map((t) => <option key={t}>{t}</option>)}
          </select>
        </div>
        <QueryView query={records}>
          {(page) =>
            (page.records ?? []).length === 0 ? (
              <Empty>{filterName || filterType ? "No record matches." : "No records yet: the cell's own names are published by itself."}</Empty>
            ) : (
              <>
                <div className="overflow-x-auto">
                  <table className="table min-w-[36rem]">
                    <thead><tr><th className="w-1/3">Name</th><th className="w-20">Type</th><th>Data</th><th className="w-20">TTL</th><th className="w-36"><span className="sr-only">Actions</span></th></tr></thead>
                    <tbody>
                      {(page.records ?? []).map((r) => (
                        <tr key={r.id}>
                          <td><Name value={r.name} mono /></td>
                          <td>{r.type}</td>
                          <td><Name value={recordData(r)} mono /></td>
                          <td>{r.ttl}</td>
                          <td className="flex gap-1">
                            <button type="button" className="btn-secondary" onClick={() => setEditing(r)}>Edit</button>
                            <button type="button" className="btn-secondary" onClick={() => setDeleting(r)}>Delete</button>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <Pager offset={page.offset ?? offset} limit={page.limit ?? LIMIT} total={page.total ?? 0} onChange={setOffset} />
              </>
            )
          }
        </QueryView>
      </section>
      <ForwardsCard />
      {editing !== null && <RecordDialog open record={editing === "new" ? null : editing} zone={zone} onClose={() => setEditing(null)} />}
      <ImportDialog open={importing} onClose={() => setImporting(false)} />
      <ConfirmDialog open={deleting !== null} title={`Delete ${deleting?.name ?? ""} ${deleting?.type ?? ""}?`} confirmLabel="Delete" busy={del.isPending} onClose={() => setDeleting(null)} onConfirm={() => deleting && del.mutate(deleting.id)}>
        <Name value={deleting ? recordData(deleting) : ""} mono />
        {del.error && <p role="alert" className="mt-2 text-red-700">{errorMessage(del.error)}</p>}
      </ConfirmDialog>
    </>
  );
}
