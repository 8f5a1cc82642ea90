/* The cell's clock: stratum, offset, and the upstream sources. */
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { Name } from "../components/Name";
import { Empty, QueryView } from "../components/states";
import { NtpSettingsCard } from "../features/ntp/NtpSettingsCard";

function seconds(v: number | undefined): string {
  if (v === undefined) return "—";
  const a = Math.abs(v);
  return a < 1e-3 ? `${(v * 1e6).toFixed(0)} µs` : a < 1 ? `${(v * 1e3).toFixed(2)} ms` : `${v.toFixed(3)} s`;
}

export function Page() {
  const status = useQuery({ queryKey: ["ntp", "status"], queryFn: () => unwrap(api.GET("/api/ntp/status")), refetchInterval: 10_000 });
  return (
    <>
      <h1 className="text-xl font-semibold">Time (NTP)</h1>
      <section className="card flex flex-col gap-3" aria-label="NTP status">
        <h2 className="font-semibold">Status</h2>
        <QueryView query={status}>
          {(s) => (
            <>
              <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
                <div className="min-w-0"><dt className="text-slate-500">Reference</dt><dd><Name value={s.reference ?? s.reference_id} /></dd></div>
                <div><dt className="text-slate-500">Stratum</dt><dd>{s.stratum ?? "—"}</dd></div>
                <div><dt className="text-slate-500">Offset</dt><dd>{seconds(s.system_offset_s)}</dd></div>
                <div><dt className="text-slate-500">Leap status</dt><dd>{s.leap_status ?? "—"}</dd></div>
              </dl>
              {(s.sources ?? []).length === 0 ? (
                <Empty>No sources yet.</Empty>
              ) : (
                <div className="overflow-x-auto">
                  <table className="table min-w-[32rem]">
                    <thead><tr><th>Source</th><th className="w-24">State</th><th className="w-20">Stratum</th><th className="w-20">Reach</th><th className="w-28">Offset</th></tr></thead>
                    <tbody>
                      {(s.sources ?? []).map((src, i) => (
                        <tr key={`${src.name ?? ""}-${i}`}>
                          <td><Name value={src.name} mono /></td>
                          <td>{src.state ?? "—"}</td>
                          <td>{src.stratum ?? "—"}</td>
                          <td className="font-mono">{src.reach !== undefined ? src.reach.toString(8) : "—"}</td>
                          <td>{seconds(src.offset_s)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          )}
        </QueryView>
      </section>
      <NtpSettingsCard />
    </>
  );
}
