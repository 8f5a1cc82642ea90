/* The cell at a glance: identity and address plan, services, VPN peers,
 * certificate expiry, pending changes (the banner above), recent events
 * and live traffic. Six requests at most on load: session, config,
 * services, the VPN's traffic, certificates and the event stream. */
import { lazy, Suspense, useState } from "react";
import { Link } from "react-router";
import { Name } from "../components/Name";
import { Empty, Loading, QueryView } from "../components/states";
import { useConfig } from "../features/config/api";
import { describeEvent, useEvents } from "../features/events/EventsContext";
import { stateLabel, stateTone, useServices } from "../features/services/api";
import { chartView, useTraffic } from "../features/vpn/traffic";
import { readable, useCerts } from "../features/vault/certs";
import { formatTime } from "../lib/time";

const TrafficChart = lazy(() => import("../features/vpn/TrafficChart"));
const DAY = 86400;

function Identity() {
  const config = useConfig();
  return (
    <section className="card flex min-w-0 flex-col gap-2" aria-label="Identity">
      <h2 className="font-semibold">Identity</h2>
      <QueryView query={config}>
        {({ config: c }) => (
          <>
            <dl className="grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1 text-sm">
              <dt className="text-slate-500">Zone</dt><dd className="min-w-0"><Name value={`${c.cell_name}.${c.domain}`} /></dd>
              <dt className="text-slate-500">Cell network</dt><dd className="font-mono text-xs">{c.ip_range}</dd>
              <dt className="text-slate-500">VPN subnet</dt><dd className="font-mono text-xs">{c.vpn_subnet}</dd>
              <dt className="text-slate-500">VPN endpoint</dt><dd className="min-w-0"><Name value={c.endpoint ? c.endpoint : `(none) port ${c.wireguard_port}`} mono /></dd>
            </dl>
            <details className="text-sm">
              <summary className="cursor-pointer text-slate-600 dark:text-slate-300">Address plan</summary>
              <dl className="mt-2 grid grid-cols-[7rem_1fr] gap-x-3 gap-y-0.5 font-mono text-xs">
                {Object.entries({ ...c.addresses, ...Object.fromEntries(Object.entries(c.virtual_ips).map(([k, v]) => [`${k} (web)`, v])) }).map(([k, v]) => (
                  <div key={k} className="contents"><dt className="min-w-0 truncate text-slate-500" title={k}>{k}</dt><dd>{v}</dd></div>
                ))}
              </dl>
            </details>
          </>
        )}
      </QueryView>
    </section>
  );
}

function Services() {
  const services = useServices(10_000);
  return (
    <section className="card flex min-w-0 flex-col gap-2" aria-label="Services">
      <div className="flex items-center"><h2 className="mr-auto font-semibold">Services</h2><Link to="/services" className="text-sm text-teal-700 underline dark:text-teal-400">Manage</Link></div>
      <QueryView query={services}>
        {(list) =>
          list.length === 0 ? <Empty>No services.</Empty> : (
            <ul className="grid grid-cols-2 gap-1.5 text-sm sm:grid-cols-3">
              {list.map((s) => (
                <li key={s.name} className="flex min-w-0 items-center gap-2">
                  <span className={`badge ${stateTone(s)}`}>{stateLabel(s)}</span>
                  <Name value={s.name} />
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}

function Certificates() {
  const certs = useCerts();
  return (
    <section className="card flex min-w-0 flex-col gap-2" aria-label="Certificates">
      <div className="flex items-center"><h2 className="mr-auto font-semibold">Certificates</h2><Link to="/proxy" className="text-sm text-teal-700 underline dark:text-teal-400">Manage</Link></div>
      <QueryView query={certs}>
        {(list) => {
          const valid = list.filter(readable).filter((c) => c.status === "valid");
          if (valid.length === 0) return <Empty>No valid certificate.</Empty>;
          const first = valid.reduce((a, b) => (a.not_after <= b.not_after ? a : b));
          const days = Math.floor((first.not_after - Date.now() / 1000) / DAY);
          return (
            <p className="text-sm">
              {valid.length} valid. Next to expire: <Name value={first.names.join(", ") || first.subject} className="inline-block max-w-full align-bottom" /> on {formatTime(first.not_after)}{" "}
              <span className={`badge ${days < 14 ? "bg-amber-100 text-amber-800" : "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300"}`}>{days} days</span>
            </p>
          );
        }}
      </QueryView>
    </section>
  );
}

function Vpn() {
  const traffic = useTraffic();
  const [chosen, setChosen] = useState<string>("");
  return (
    <section className="card flex min-w-0 flex-col gap-2 lg:col-span-2" aria-label="VPN">
      <div className="flex items-center"><h2 className="mr-auto font-semibold">VPN</h2><Link to="/vpn" className="text-sm text-teal-700 underline dark:text-teal-400">Peers</Link></div>
      <QueryView query={traffic}>
        {(t) => {
          const view = chartView(t, chosen);
          return (
            <>
              <p className="text-sm" data-testid="vpn-online"><strong>{t.peers_online}</strong> online of {t.peers_total} peer(s) on the interface</p>
              {t.peers_total > 0 && <div className="flex flex-col gap-2">
                <label className="flex min-w-0 items-center gap-2 text-sm">
                  Traffic of
                  <select className="input w-auto min-w-0" value={view.key} onChange={(e) => setChosen(e.target.value)}>
                    <option value="">All peers</option>
                    {t.peers.map((p) => <option key={p.public_key} value={p.public_key}>{p.name ?? p.public_key.slice(0, 12)}</option>)}
                  </select>
                </label>
                {view.series.t.length > 1 ? (
                  <Suspense fallback={<Loading label="Loading the chart…" />}>
                    <TrafficChart key={view.key} series={view.series} label={view.label} />
                  </Suspense>
                ) : (
                  <p className="text-xs text-slate-500">The chart fills in as the counters are read (every {t.interval_s} s).</p>
                )}
                {t.peers.length === 0 && <p className="text-xs text-slate-500">No peer moved any traffic in the last {Math.round((t.points * t.interval_s) / 60)} minutes.</p>}
              </div>}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function RecentEvents() {
  const { events, connected } = useEvents();
  return (
    <section className="card flex min-w-0 flex-col gap-2" aria-label="Recent events">
      <div className="flex items-center gap-2"><h2 className="mr-auto font-semibold">Recent events</h2><span className="text-xs text-slate-500">{connected ? "live" : "connecting…"}</span></div>
      {events.length === 0 ? <Empty>No events since this page opened.</Empty> : (
        <ol className="flex max-h-64 flex-col gap-1 overflow-auto text-sm">
          {[...events].reverse().slice(0, 30).map((e) => (
            <li key={e.seq} className="flex min-w-0 gap-2"><span className="shrink-0 text-xs text-slate-500">{new Date(e.at).toLocaleTimeString()}</span><span className="min-w-0 break-words">{describeEvent(e)}</span></li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function Page() {
  return (
    <>
      <h1 className="text-xl font-semibold">Dashboard</h1>
      <div className="grid gap-4 lg:grid-cols-2">
        <Identity />
        <Services />
        <Vpn />
        <Certificates />
        <RecentEvents />
      </div>
    </>
  );
}
