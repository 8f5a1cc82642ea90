import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { api, unwrap, type Schemas } from "../../api/client";
import { Field } from "../../components/Field";
import { fieldOrItemError, SaveState } from "../../components/SaveState";
import { QueryView } from "../../components/states";
import { fromLines, toLines } from "../../lib/lines";

type DnsSettings = Schemas["DnsSettings"];
const key = ["dns", "config"] as const;

interface Form {
  upstreams: string;
  recursion: boolean;
  dnssec: boolean;
}

function DnsForm({ settings }: { settings: DnsSettings }) {
  const qc = useQueryClient();
  const { register, handleSubmit, reset } = useForm<Form>({
    defaultValues: { upstreams: toLines(settings.upstreams), recursion: settings.recursion ?? false, dnssec: settings.dnssec ?? true },
  });
  const save = useMutation({
    mutationFn: (f: Form) => unwrap(api.PUT("/api/dns/config", { body: { upstreams: fromLines(f.upstreams), recursion: f.recursion, dnssec: f.dnssec } })),
    onSuccess: (s) => {
      qc.setQueryData(key, s);
      reset({ upstreams: toLines(s.upstreams), recursion: s.recursion ?? false, dnssec: s.dnssec ?? true });
    },
  });
  return (
    <form className="card flex flex-col gap-3" aria-label="DNS resolver" noValidate onSubmit={handleSubmit((f) => save.mutate(f))}>
      <h2 className="font-semibold">DNS resolver</h2>
      <Field label="Upstream servers" error={fieldOrItemError(save.error, "upstreams")} hint="One IP address per line (port with @, e.g. 9.9.9.9@53); empty: resolve from the root">
        <textarea className="input font-mono" rows={3} maxLength={2048} {...register("upstreams")} />
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" {...register("recursion")} /> Resolve from the root servers (alone, or when the upstreams fail)
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" {...register("dnssec")} /> Validate DNSSEC
      </label>
      {fieldOrItemError(save.error, "recursion") && <p role="alert" className="text-xs text-red-700">{fieldOrItemError(save.error, "recursion")}</p>}
      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={save.isPending}>Save resolver</button>
        <SaveState error={save.error} saved={save.isSuccess} fields={["upstreams", "recursion"]} />
      </div>
    </form>
  );
}

export function DnsSettingsCard() {
  const q = useQuery({ queryKey: key, queryFn: () => unwrap(api.GET("/api/dns/config")) });
  return <QueryView query={q}>{(s) => <DnsForm settings={s} />}</QueryView>;
}
