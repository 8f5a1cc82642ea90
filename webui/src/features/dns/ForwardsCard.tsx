/* Forward zones: names answered by other DNS servers. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { api, unwrap } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { Field } from "../../components/Field";
import { fieldOrItemError } from "../../components/SaveState";
import { Name } from "../../components/Name";
import { Empty, QueryView } from "../../components/states";
import { fromLines } from "../../lib/lines";
import { dnsName } from "../../lib/validate";

const key = ["dns", "forwards"] as const;

export function ForwardsCard() {
  const qc = useQueryClient();
  const forwards = useQuery({ queryKey: key, queryFn: async () => (await unwrap(api.GET("/api/dns/forwards"))).forwards });
  const { register, handleSubmit, reset, formState } = useForm<{ zone: string; servers: string }>({ mode: "onTouched" });
  const add = useMutation({
    mutationFn: (f: { zone: string; servers: string }) => unwrap(api.POST("/api/dns/forwards", { body: { zone: f.zone.trim(), servers: fromLines(f.servers) } })),
    onSuccess: () => {
      reset({ zone: "", servers: "" });
      void qc.invalidateQueries({ queryKey: key });
    },
  });
  const remove = useMutation({
    mutationFn: (zone: string) => unwrap(api.DELETE("/api/dns/forwards/{zone}", { params: { path: { zone } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: key }),
  });
  return (
    <section className="card flex flex-col gap-3" aria-label="Forward zones">
      <h2 className="font-semibold">Forward zones</h2>
      <QueryView query={forwards}>
        {(list) =>
          list.length === 0 ? (
            <Empty>No forward zones: every name outside the cell is resolved by the upstreams.</Empty>
          ) : (
            <table className="table">
              <thead><tr><th>Zone</th><th>Servers</th><th className="w-24"><span className="sr-only">Actions</span></th></tr></thead>
              <tbody>
                {list.map((f) => (
                  <tr key={f.zone}>
                    <td><Name value={f.zone} mono /></td>
                    <td><Name value={f.servers.join(", ")} mono /></td>
                    <td><button type="button" className="btn-secondary" disabled={remove.isPending} onClick={() => remove.mutate(f.zone)}>Remove</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
      {remove.error && <p role="alert" className="text-sm text-red-700">{errorMessage(remove.error)}</p>}
      <form className="grid gap-2 sm:grid-cols-[1fr_1fr_auto] sm:items-end" noValidate onSubmit={handleSubmit((f) => add.mutate(f))}>
        <Field label="Zone" error={formState.errors.zone?.message ?? fieldOrItemError(add.error, "zone")}>
          <input className="input font-mono" maxLength={255} placeholder="corp.example" {...register("zone", { validate: (v) => dnsName(v.replace(/\.$/, "")) })} />
        </Field>
        <Field label="Servers" error={fieldOrItemError(add.error, "servers")}>
          <input className="input font-mono" maxLength={1024} placeholder="10.1.0.53, 10.1.0.54" {...register("servers", { required: "Required" })} />
        </Field>
        <button type="submit" className="btn-primary" disabled={add.isPending}>Add forward</button>
      </form>
      {add.error && !fieldOrItemError(add.error, "zone") && !fieldOrItemError(add.error, "servers") && <p role="alert" className="text-sm text-red-700">{errorMessage(add.error)}</p>}
    </section>
  );
}
