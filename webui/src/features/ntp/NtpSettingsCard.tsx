import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { api, unwrap } from "../../api/client";
import { Field } from "../../components/Field";
import { fieldOrItemError, SaveState } from "../../components/SaveState";
import { QueryView } from "../../components/states";
import { fromLines, toLines } from "../../lib/lines";

export const ntpConfigKey = ["ntp", "config"] as const;

function NtpForm({ servers }: { servers: string[] }) {
  const qc = useQueryClient();
  const { register, handleSubmit, reset } = useForm<{ servers: string }>({ defaultValues: { servers: toLines(servers) } });
  const save = useMutation({
    mutationFn: (f: { servers: string }) => unwrap(api.PUT("/api/ntp/config", { body: { servers: fromLines(f.servers) } })),
    onSuccess: (c) => {
      qc.setQueryData(ntpConfigKey, c);
      reset({ servers: toLines(c.servers) });
    },
  });
  return (
    <form className="card flex flex-col gap-3" aria-label="Time servers" noValidate onSubmit={handleSubmit((f) => save.mutate(f))}>
      <h2 className="font-semibold">Time servers (NTP)</h2>
      <Field label="Upstream NTP servers" error={fieldOrItemError(save.error, "servers")} hint="One host name or IP address per line">
        <textarea className="input font-mono" rows={3} maxLength={2048} {...register("servers")} />
      </Field>
      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={save.isPending}>Save time servers</button>
        <SaveState error={save.error} saved={save.isSuccess} fields={["servers"]} />
      </div>
    </form>
  );
}

export function NtpSettingsCard() {
  const q = useQuery({ queryKey: ntpConfigKey, queryFn: () => unwrap(api.GET("/api/ntp/config")) });
  return <QueryView query={q}>{(c) => <NtpForm servers={c.servers} />}</QueryView>;
}
