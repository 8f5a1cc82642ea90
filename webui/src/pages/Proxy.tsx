/* The TLS proxy's routes, where the cell answers over HTTPS (and which of
 * the host's addresses and names its certificate leaves out), the cell's
 * CA (download with install hints, replace), and the certificates it
 * issued (issue, revoke). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, unwrap, type Schemas } from "../api/client";
import { errorMessage, fieldError } from "../api/errors";
import { CaInstallHints } from "../components/CaInstallHints";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { CopyButton } from "../components/CopyButton";
import { Field } from "../components/Field";
import { fieldOrItemError } from "../components/SaveState";
import { Name } from "../components/Name";
import { Empty, QueryView } from "../components/states";
import { fromLines } from "../lib/lines";
import { KIND_LABEL, accessKey, httpsAddresses, useAccess } from "../features/access/api";
import { certsKey, readable, useCerts, type Cert } from "../features/vault/certs";
import { formatTime } from "../lib/time";

type Route = Schemas["ProxyRoute"];
const keys = { routes: ["proxy", "routes"], ca: ["vault", "ca"], certs: certsKey, access: accessKey } as const;

function Routes() {
  const qc = useQueryClient();
  const routes = useQuery({ queryKey: keys.routes, queryFn: async () => (await unwrap(api.GET("/api/proxy/routes"))).routes ?? [] });
  const toggle = useMutation({
    mutationFn: (r: { vip: Route["vip"]; enabled: boolean }) => unwrap(api.PUT("/api/proxy/routes/{vip}", { params: { path: { vip: r.vip } }, body: { enabled: r.enabled } })),
    onSettled: () => qc.invalidateQueries({ queryKey: keys.routes }),
  });
  return (
    <section className="card flex flex-col gap-3" aria-label="Routes">
      <h2 className="font-semibold">Web routes</h2>
      <QueryView query={routes}>
        {(list) =>
          list.length === 0 ? <Empty>No web routes.</Empty> : (
            <div className="overflow-x-auto">
              <table className="table min-w-[36rem]">
                <thead><tr><th>Host</th><th className="w-32">Address</th><th className="w-28">State</th><th className="w-28">Enabled</th></tr></thead>
                <tbody>
                  {list.map((r) => (
                    <tr key={r.vip}>
                      <td><Name value={r.host} mono /></td>
                      <td className="font-mono text-xs">{r.address}</td>
                      <td>{r.state}</td>
                      <td>
                        <label className="flex items-center gap-2 text-sm">
                          <input type="checkbox" checked={r.enabled} disabled={toggle.isPending || r.vip === "webui"} title={r.vip === "webui" ? "The web interface's route cannot be switched off" : undefined} onChange={(e) => toggle.mutate({ vip: r.vip, enabled: e.target.checked })} />
                          {r.enabled ? "on" : "off"}
                        </label>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      {toggle.error && <p role="alert" className="text-sm text-red-700">{errorMessage(toggle.error)}</p>}
    </section>
  );
}

function Reach() {
  const access = useAccess();
  return (
    <section className="card flex flex-col gap-3" aria-label="Reach the cell over HTTPS">
      <h2 className="font-semibold">Reach the cell over HTTPS</h2>
      <QueryView query={access}>
        {(a) => {
          const list = httpsAddresses(a.https);
          return (
            <>
              {list.length === 0 ? <Empty>The proxy serves the web interface at no HTTPS address yet.</Empty> : (
                <ul className="flex flex-col gap-1 text-sm">
                  {list.map((h) => (
                    <li key={h.url} className="flex min-w-0 items-center gap-2">
                      <a className="min-w-0 truncate font-mono text-xs text-teal-700 underline dark:text-teal-400" href={h.url} title={h.url}>{h.url}</a>
                      <span className="badge shrink-0 bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300">{KIND_LABEL[h.kind]}</span>
                    </li>
                  ))}
                </ul>
              )}
              {a.uncovered.length > 0 && (
                <div role="note" className="flex min-w-0 flex-col gap-1 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
                  <p>The certificate does not cover these addresses and names of the host; a browser reaching the cell there warns:</p>
                  <ul className="flex flex-col gap-1">
                    {a.uncovered.map((u, i) => (
                      <li key={`${i}:${u.host}`} className="flex min-w-0 flex-col sm:flex-row sm:gap-2">
                        <span className="min-w-0 shrink-0 truncate font-mono text-xs sm:max-w-[16rem]" title={u.host}>{u.host}</span>
                        <span className="min-w-0 break-words">{u.reason}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function CaCard() {
  const qc = useQueryClient();
  const ca = useQuery({ queryKey: keys.ca, queryFn: () => unwrap(api.GET("/api/vault/ca")) });
  const [confirm, setConfirm] = useState(false);
  const replace = useMutation({
    mutationFn: (force: boolean) => unwrap(api.POST("/api/vault/ca/replace", { body: { force } })),
    onSuccess: (root) => {
      qc.setQueryData(keys.ca, root);
      setConfirm(false);
      void qc.invalidateQueries({ queryKey: keys.certs });
      void qc.invalidateQueries({ queryKey: keys.access });
    },
  });
  return (
    <section className="card flex flex-col gap-3" aria-label="Certificate authority">
      <h2 className="font-semibold">The cell's certificate authority</h2>
      <QueryView query={ca}>
        {(root) => (
          <>
            <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-sm">
              <dt className="text-slate-500">Subject</dt><dd className="min-w-0"><Name value={root.subject} /></dd>
              <dt className="text-slate-500">SHA-256</dt><dd className="flex min-w-0 items-center gap-2"><Name value={root.sha256} mono /><CopyButton text={root.sha256} /></dd>
              <dt className="text-slate-500">Valid until</dt><dd>{formatTime(root.not_after)}</dd>
              <dt className="text-slate-500">Limited to</dt><dd className="min-w-0"><Name value={[root.constraints.zone, ...(root.constraints.networks ?? [])].filter(Boolean).join(", ")} mono /></dd>
            </dl>
            {root.warning && <p role="alert" className="text-sm text-amber-800 dark:text-amber-300">{root.warning}</p>}
            <CaInstallHints />
            <div>
              <button type="button" className="btn-danger" onClick={() => setConfirm(true)}>Replace the CA…</button>
            </div>
            <ConfirmDialog open={confirm} title="Replace the certificate authority?" confirmLabel="Replace" busy={replace.isPending} onClose={() => setConfirm(false)} onConfirm={() => replace.mutate(root.matches_config)}>
              <p>
                Every device that trusts the current CA must be given the new one: until then it will refuse the cell's HTTPS, mail and calendar. All service certificates are issued again.
              </p>
              {root.matches_config && <p className="mt-2">The current CA still matches the configuration; replace it only if its key may have leaked.</p>}
              {replace.error && <p role="alert" className="mt-2 text-red-700">{errorMessage(replace.error)}</p>}
            </ConfirmDialog>
          </>
        )}
      </QueryView>
    </section>
  );
}

function IssueDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const { register, handleSubmit, reset } = useForm<{ names: string; ips: string; days: string }>({ defaultValues: { names: "", ips: "", days: "365" } });
  const issue = useMutation({
    mutationFn: (f: { names: string; ips: string; days: string }) =>
      unwrap(api.POST("/api/vault/certs", { body: { names: fromLines(f.names), ...(f.ips.trim() ? { ips: fromLines(f.ips) } : {}), days: Number(f.days) } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.certs }),
  });
  const close = () => {
    issue.reset();
    reset();
    onClose();
  };
  return (
    <Dialog open={open} title="Issue a certificate" onClose={close} wide={issue.isSuccess}>
      {issue.data ? (
        <div className="flex flex-col gap-3 text-sm">
          <p>Certificate {issue.data.serial} issued. Save the key now: it is not kept.</p>
          {(["cert", "key"] as const).map((k) => (
            <div key={k} className="flex flex-col gap-1">
              <div className="flex items-center gap-2"><span className="font-medium">{k === "cert" ? "Certificate" : "Private key"}</span><CopyButton text={issue.data[k] ?? ""} /></div>
              <textarea readOnly className="input font-mono text-xs" rows={4} value={issue.data[k] ?? ""} aria-label={k} />
            </div>
          ))}
          <div className="flex justify-end"><button type="button" className="btn-secondary" onClick={close}>Done</button></div>
        </div>
      ) : (
        <form className="flex flex-col gap-3" noValidate onSubmit={handleSubmit((f) => issue.mutate(f))}>
          <Field label="Names" error={fieldOrItemError(issue.error, "names")} hint="One per line, inside the cell zone">
            <textarea className="input font-mono" rows={3} maxLength={8192} {...register("names")} />
          </Field>
          <Field label="IP addresses (optional)" error={fieldOrItemError(issue.error, "ips")}>
            <input className="input font-mono" maxLength={1024} {...register("ips")} />
          </Field>
          <Field label="Valid for (days)" error={fieldError(issue.error, "days")}>
            <input className="input" inputMode="numeric" maxLength={3} {...register("days")} />
          </Field>
          {issue.error && !["names", "ips", "days"].some((f) => fieldOrItemError(issue.error, f)) && <p role="alert" className="text-sm text-red-700">{errorMessage(issue.error)}</p>}
          <div className="flex justify-end gap-2">
            <button type="button" className="btn-secondary" onClick={close}>Cancel</button>
            <button type="submit" className="btn-primary" disabled={issue.isPending}>Issue</button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function Certs() {
  const qc = useQueryClient();
  const certs = useCerts();
  const [issuing, setIssuing] = useState(false);
  const [revoking, setRevoking] = useState<Cert | null>(null);
  const revoke = useMutation({
    mutationFn: (serial: string) => unwrap(api.POST("/api/vault/certs/{serial}/revoke", { params: { path: { serial } } })),
    onSuccess: () => {
      setRevoking(null);
      void qc.invalidateQueries({ queryKey: keys.certs });
    },
  });
  return (
    <section className="card flex flex-col gap-3" aria-label="Certificates">
      <div className="flex items-center gap-2">
        <h2 className="mr-auto font-semibold">Certificates</h2>
        <button type="button" className="btn-primary" onClick={() => setIssuing(true)}>Issue…</button>
      </div>
      <QueryView query={certs}>
        {(list) =>
          list.length === 0 ? <Empty>No certificates yet.</Empty> : (
            <div className="overflow-x-auto">
              <table className="table min-w-[40rem]">
                <thead><tr><th>Names</th><th className="w-20">Kind</th><th className="w-24">Status</th><th className="w-44">Expires</th><th className="w-24"><span className="sr-only">Actions</span></th></tr></thead>
                <tbody>
                  {list.map((c) => !readable(c) ? (
                    <tr key={c.serial}><td colSpan={5} className="text-xs text-amber-800">Certificate {c.serial}: the cell cannot read it</td></tr>
                  ) : (
                    <tr key={c.serial}>
                      <td><Name value={[...c.names, ...c.ips].join(", ") || c.subject} mono /></td>
                      <td>{c.kind}</td>
                      <td>{c.status}</td>
                      <td className="text-xs">{formatTime(c.not_after)}</td>
                      <td>{c.status === "valid" && c.kind === "issued" && <button type="button" className="btn-secondary" onClick={() => setRevoking(c)}>Revoke</button>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      <IssueDialog open={issuing} onClose={() => setIssuing(false)} />
      <ConfirmDialog open={revoking !== null} title="Revoke this certificate?" confirmLabel="Revoke" busy={revoke.isPending} onClose={() => setRevoking(null)} onConfirm={() => revoking?.serial && revoke.mutate(revoking.serial)}>
        <Name value={(revoking?.names ?? []).join(", ")} mono />
        {revoke.error && <p role="alert" className="mt-2 text-red-700">{errorMessage(revoke.error)}</p>}
      </ConfirmDialog>
    </section>
  );
}

export function Page() {
  return (
    <>
      <h1 className="text-xl font-semibold">Proxy & certificates</h1>
      <Routes />
      <Reach />
      <CaCard />
      <Certs />
    </>
  );
}
