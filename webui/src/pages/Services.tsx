/* The managed daemons: state, health, uptime, restarts, address; start,
 * stop, restart; live logs. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../api/client";
import { errorMessage } from "../api/errors";
import { Name } from "../components/Name";
import { Empty, QueryView } from "../components/states";
import { LogViewer } from "../features/services/LogViewer";
import { formatDuration, servicesKey, stateLabel, stateTone, useServices, type Service } from "../features/services/api";

type Action = "restart" | "stop" | "start";

function ServiceRow({ s, selected, onLogs }: { s: Service; selected: boolean; onLogs: () => void }) {
  const qc = useQueryClient();
  const act = useMutation({
    mutationFn: (a: Action) => {
      const params = { params: { path: { name: s.name } } };
      if (a === "restart") return unwrap(api.POST("/api/services/{name}/restart", params));
      if (a === "stop") return unwrap(api.POST("/api/services/{name}/stop", params));
      return unwrap(api.POST("/api/services/{name}/start", params));
    },
    onSettled: () => qc.invalidateQueries({ queryKey: servicesKey }),
  });
  const unavailable = s.state === "unavailable" || s.state === "disabled";
  return (
    <li className="card flex min-w-0 flex-col gap-2" aria-label={`Service ${s.name}`}>
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="min-w-0 font-semibold"><Name value={s.name} /></h2>
        <span className={`badge ${stateTone(s)}`} data-testid={`state-${s.name}`}>{stateLabel(s)}</span>
        <span className="min-w-0 truncate text-xs text-slate-500" title={s.daemon}>{s.daemon}</span>
        <div className="ml-auto flex flex-wrap gap-1">
          <button type="button" className="btn-secondary" disabled={act.isPending || unavailable} onClick={() => act.mutate("restart")}>Restart</button>
          {s.state === "running" ? (
            <button type="button" className="btn-secondary" disabled={act.isPending} onClick={() => act.mutate("stop")}>Stop</button>
          ) : (
            <button type="button" className="btn-secondary" disabled={act.isPending || unavailable} onClick={() => act.mutate("start")}>Start</button>
          )}
          <button type="button" className="btn-secondary" aria-pressed={selected} onClick={onLogs}>Logs</button>
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-4">
        <div className="min-w-0"><dt className="text-slate-500">Uptime</dt><dd>{formatDuration(s.uptime_s)}</dd></div>
        <div className="min-w-0"><dt className="text-slate-500">Restarts</dt><dd>{s.restarts}</dd></div>
        <div className="min-w-0"><dt className="text-slate-500">Address</dt><dd><Name value={s.address} mono /></dd></div>
        <div className="min-w-0"><dt className="text-slate-500">PID</dt><dd>{s.pid ?? "—"}</dd></div>
      </dl>
      {(s.health_error || s.last_error || s.disabled_reason) && (
        <p className="text-xs break-words text-amber-800 dark:text-amber-300">{s.disabled_reason ?? s.health_error ?? s.last_error}</p>
      )}
      {act.isPending && <p role="status" className="text-xs">{`Working…`}</p>}
      {act.error && <p role="alert" className="text-xs text-red-700 dark:text-red-400">{errorMessage(act.error)}</p>}
    </li>
  );
}

export function Page() {
  const services = useServices(3_000);
  const [logsOf, setLogsOf] = useState<string | null>(null);
  return (
    <>
      <h1 className="text-xl font-semibold">Services</h1>
      <QueryView query={services}>
        {(list) =>
          list.length === 0 ? (
            <Empty>No managed services.</Empty>
          ) : (
            <ul className="grid gap-3 lg:grid-cols-2">
              {list.map((s) => (
                <ServiceRow key={s.name} s={s} selected={logsOf === s.name} onLogs={() => setLogsOf(logsOf === s.name ? null : s.name)} />
              ))}
            </ul>
          )
        }
      </QueryView>
      {logsOf && <div className="card"><LogViewer service={logsOf} /></div>}
    </>
  );
}
