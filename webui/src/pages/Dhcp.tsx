/* DHCP on the LAN: settings, active leases (reserve one in a click), and
 * reservations. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { api, unwrap, type Schemas } from "../api/client";
import { errorMessage, fieldError } from "../api/errors";
import { Field } from "../components/Field";
import { Name } from "../components/Name";
import { SaveState } from "../components/SaveState";
import { Empty, QueryView } from "../components/states";
import { formatTime } from "../lib/time";
import { parseIpv4 } from "../lib/validate";

type Settings = Schemas["DhcpSettings"];
const keys = { config: ["dhcp", "config"], leases: ["dhcp", "leases"], reservations: ["dhcp", "reservations"] } as const;
const ipOrEmpty = (v: string) => v === "" || parseIpv4(v) !== null || "An IPv4 address";
const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

interface SettingsForm {
  interface: string;
  range_start: string;
  range_end: string;
  lease_time: string;
  gateway: string;
}

function SettingsCard({ s }: { s: Settings }) {
  const qc = useQueryClient();
  const { register, handleSubmit, formState, reset } = useForm<SettingsForm>({
    mode: "onTouched",
    defaultValues: { interface: s.interface ?? "", range_start: s.range_start ?? "", range_end: s.range_end ?? "", lease_time: String(s.lease_time ?? 43200), gateway: s.gateway ?? "" },
  });
  const save = useMutation({
    mutationFn: (f: SettingsForm) =>
      unwrap(api.PUT("/api/dhcp/config", { body: { interface: f.interface || null, range_start: f.range_start || null, range_end: f.range_end || null, lease_time: Number(f.lease_time), gateway: f.gateway || null } })),
    onSuccess: (n) => {
      qc.setQueryData(keys.config, n);
      reset({ interface: n.interface ?? "", range_start: n.range_start ?? "", range_end: n.range_end ?? "", lease_time: String(n.lease_time ?? 43200), gateway: n.gateway ?? "" });
    },
  });
  const err = (f: keyof SettingsForm) => formState.errors[f]?.message ?? fieldError(save.error, f);
  return (
    <form className="card flex flex-col gap-3" aria-label="DHCP settings" noValidate onSubmit={handleSubmit((f) => save.mutate(f))}>
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="mr-auto font-semibold">Settings</h2>
        <span className={`badge ${s.enabled ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300" : "bg-slate-200 dark:bg-slate-800"}`}>{s.enabled ? "serving" : "off"}</span>
      </div>
      {s.lan && <p className="text-xs text-slate-500">LAN: {s.lan.address} in {s.lan.network}</p>}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="LAN interface" error={err("interface")} hint="Empty turns DHCP off">
          <input className="input font-mono" maxLength={15} {...register("interface")} />
        </Field>
        <Field label="Lease time (seconds)" error={err("lease_time")}>
          <input className="input" inputMode="numeric" maxLength={7} {...register("lease_time", { validate: (v) => (/^\d+$/.test(v) && Number(v) >= 120 && Number(v) <= 7776000) || "120 to 7776000" })} />
        </Field>
        <Field label="First address" error={err("range_start")}>
          <input className="input font-mono" maxLength={15} {...register("range_start", { validate: ipOrEmpty })} />
        </Field>
        <Field label="Last address" error={err("range_end")}>
          <input className="input font-mono" maxLength={15} {...register("range_end", { validate: ipOrEmpty })} />
        </Field>
        <Field label="Gateway" error={err("gateway")} hint="Empty: the LAN's own router is not announced">
          <input className="input font-mono" maxLength={15} {...register("gateway", { validate: ipOrEmpty })} />
        </Field>
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={save.isPending}>Save DHCP settings</button>
        <SaveState error={save.error} saved={save.isSuccess} fields={["interface", "range_start", "range_end", "lease_time", "gateway"]} />
      </div>
    </form>
  );
}

function Reservations() {
  const qc = useQueryClient();
  const leases = useQuery({ queryKey: keys.leases, queryFn: async () => (await unwrap(api.GET("/api/dhcp/leases"))).leases ?? [], refetchInterval: 10_000 });
  const reservations = useQuery({ queryKey: keys.reservations, queryFn: async () => (await unwrap(api.GET("/api/dhcp/reservations"))).reservations ?? [] });
  const { register, handleSubmit, reset, formState } = useForm<{ mac: string; ip: string; hostname: string }>({ mode: "onTouched" });
  const reserve = useMutation({
    mutationFn: (r: { mac: string; ip: string; hostname: string }) => unwrap(api.POST("/api/dhcp/reservations", { body: { mac: r.mac, ip: r.ip, ...(r.hostname ? { hostname: r.hostname } : {}) } })),
    onSuccess: () => {
      reset({ mac: "", ip: "", hostname: "" });
      void qc.invalidateQueries({ queryKey: keys.reservations });
    },
  });
  const remove = useMutation({
    mutationFn: (mac: string) => unwrap(api.DELETE("/api/dhcp/reservations/{mac}", { params: { path: { mac } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: keys.reservations }),
  });
  const reserved = new Set((reservations.data ?? []).map((r) => r.mac.toLowerCase()));
  return (
    <>
      <section className="card flex flex-col gap-3" aria-label="Leases">
        <h2 className="font-semibold">Active leases</h2>
        <QueryView query={leases}>
          {(list) =>
            list.length === 0 ? <Empty>No device holds a lease.</Empty> : (
              <div className="overflow-x-auto">
                <table className="table min-w-[36rem]">
                  <thead><tr><th>Host</th><th className="w-36">MAC</th><th className="w-32">Address</th><th className="w-44">Expires</th><th className="w-28"><span className="sr-only">Actions</span></th></tr></thead>
                  <tbody>
                    {list.map((l) => (
                      <tr key={l.mac}>
                        <td><Name value={l.hostname} /></td>
                        <td className="font-mono text-xs">{l.mac}</td>
                        <td className="font-mono text-xs">{l.ip}</td>
                        <td className="text-xs">{formatTime(l.expires_at)}</td>
                        <td>
                          {reserved.has((l.mac ?? "").toLowerCase()) ? <span className="text-xs text-slate-500">reserved</span> : (
                            <button type="button" className="btn-secondary" disabled={reserve.isPending} onClick={() => reserve.mutate({ mac: l.mac ?? "", ip: l.ip ?? "", hostname: l.hostname ?? "" })}>Reserve</button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </QueryView>
      </section>
      <section className="card flex flex-col gap-3" aria-label="Reservations">
        <h2 className="font-semibold">Reservations</h2>
        <QueryView query={reservations}>
          {(list) =>
            list.length === 0 ? <Empty>No reserved addresses.</Empty> : (
              <table className="table">
                <thead><tr><th>Host</th><th className="w-36">MAC</th><th className="w-32">Address</th><th className="w-24"><span className="sr-only">Actions</span></th></tr></thead>
                <tbody>
                  {list.map((r) => (
                    <tr key={r.mac}>
                      <td><Name value={r.hostname} /></td>
                      <td className="font-mono text-xs">{r.mac}</td>
                      <td className="font-mono text-xs">{r.ip}</td>
                      <td><button type="button" className="btn-secondary" disabled={remove.isPending} onClick={() => remove.mutate(r.mac)}>Remove</button></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </QueryView>
        <form className="grid gap-2 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-end" noValidate onSubmit={handleSubmit((f) => reserve.mutate(f))}>
          <Field label="MAC" error={formState.errors.mac?.message ?? fieldError(reserve.error, "mac")}>
            <input className="input font-mono" maxLength={17} placeholder="aa:bb:cc:dd:ee:ff" {...register("mac", { validate: (v) => MAC_RE.test(v) || "Six hex pairs separated by colons" })} />
          </Field>
          <Field label="Address" error={formState.errors.ip?.message ?? fieldError(reserve.error, "ip")}>
            <input className="input font-mono" maxLength={15} {...register("ip", { validate: (v) => parseIpv4(v) !== null || "An IPv4 address" })} />
          </Field>
          <Field label="Host name (optional)" error={fieldError(reserve.error, "hostname")}>
            <input className="input" maxLength={63} {...register("hostname")} />
          </Field>
          <button type="submit" className="btn-primary" disabled={reserve.isPending}>Reserve</button>
        </form>
        {(reserve.error || remove.error) && !["mac", "ip", "hostname"].some((f) => fieldError(reserve.error, f)) && (
          <p role="alert" className="text-sm text-red-700">{errorMessage(reserve.error ?? remove.error)}</p>
        )}
      </section>
    </>
  );
}

export function Page() {
  const config = useQuery({ queryKey: keys.config, queryFn: () => unwrap(api.GET("/api/dhcp/config")) });
  return (
    <>
      <h1 className="text-xl font-semibold">DHCP</h1>
      <QueryView query={config}>{(s) => <SettingsCard s={s} />}</QueryView>
      <Reservations />
    </>
  );
}
