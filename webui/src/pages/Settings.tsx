/* The cell's identity and the resolver/time upstreams. The identity is a
 * draft (features/config/draft.ts): edits are checked as typed, saved with
 * If-Match, and saved before an Apply. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useForm } from "react-hook-form";
import { ApiError, errorMessage, fieldError } from "../api/errors";
import { Field } from "../components/Field";
import { QueryView } from "../components/states";
import { configKey, putConfig, useConfig, type Config } from "../features/config/api";
import { useDraft } from "../features/config/DraftContext";
import { diffForm, formFromConfig, hasEdits, type DraftForm } from "../features/config/draft";
import * as v from "../lib/validate";
import { DnsSettingsCard } from "../features/dns/DnsSettingsCard";
import { NtpSettingsCard } from "../features/ntp/NtpSettingsCard";

function IdentityForm({ config, etag }: { config: Config; etag: string | null }) {
  const qc = useQueryClient();
  const { draft, setDraft } = useDraft();
  const initial = formFromConfig(config);
  const form = useForm<DraftForm>({ mode: "onChange", defaultValues: draft ? { ...initial, ...draftToForm(draft.edits) } : initial });
  const { register, handleSubmit, formState, watch, reset, getValues } = form;

  /* Every edit goes into the shared draft at once, valid or not. */
  useEffect(() => {
    const sub = watch((values) => {
      const edits = diffForm(config, values as DraftForm);
      setDraft(Object.keys(edits).length ? { edits, valid: form.formState.isValid } : null);
    });
    return () => sub.unsubscribe();
  }, [watch, config, setDraft, form.formState]);
  useEffect(() => {
    const edits = diffForm(config, getValues());
    setDraft(Object.keys(edits).length ? { edits, valid: formState.isValid } : null);
  }, [formState.isValid, config, getValues, setDraft]);

  const save = useMutation({
    mutationFn: (f: DraftForm) => putConfig(diffForm(config, f), etag),
    onSuccess: (doc) => {
      qc.setQueryData(configKey, doc);
      setDraft(null);
      reset(formFromConfig(doc.config));
    },
  });
  const conflict = save.error instanceof ApiError && save.error.isConflict;
  const apiErr = (f: string) => fieldError(save.error, f);
  const err = (f: keyof DraftForm) => formState.errors[f]?.message ?? apiErr(f);

  return (
    <form className="card flex flex-col gap-4" noValidate onSubmit={handleSubmit((f) => save.mutate(f))} aria-label="Identity">
      <h2 className="font-semibold">Identity</h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Cell name" error={err("cell_name")} hint="The cell's name; its zone is <cell name>.<domain>">
          <input className="input" maxLength={255} {...register("cell_name", { validate: v.dnsName })} />
        </Field>
        <Field label="Domain" error={err("domain")}>
          <input className="input" maxLength={255} {...register("domain", { validate: v.dnsName })} />
        </Field>
        <Field label="Cell network (ip_range)" error={err("ip_range")} hint="Private IPv4 network, /16 to /27; takes effect on Apply">
          <input className="input font-mono" maxLength={18} {...register("ip_range", { validate: v.ipRange, deps: ["vpn_subnet"] })} />
        </Field>
        <Field label="VPN subnet" error={err("vpn_subnet")} hint="Private IPv4 network, /16 to /30; takes effect on Apply">
          <input
            className="input font-mono"
            maxLength={18}
            {...register("vpn_subnet", { validate: (s, all) => v.vpnSubnet(s) ?? v.networksApart(all.ip_range, s) })}
          />
        </Field>
        <Field label="WireGuard port" error={err("wireguard_port")}>
          <input className="input" inputMode="numeric" maxLength={5} {...register("wireguard_port", { validate: v.port })} />
        </Field>
        <Field label="Public endpoint" error={err("endpoint")} hint="Host or IP (with :port) that VPN clients dial; empty: none">
          <input className="input" maxLength={255} placeholder="vpn.example.org:51820" {...register("endpoint", { validate: v.endpoint })} />
        </Field>
      </div>
      {save.error !== null && !conflict && !(save.error instanceof ApiError && save.error.field) && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">{errorMessage(save.error)}</p>
      )}
      {conflict && (
        <div role="alert" className="flex flex-wrap items-center gap-3 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm dark:bg-amber-950">
          <span className="min-w-0 flex-1">These settings were changed elsewhere since you loaded them; saving would overwrite that. Reload to see the current values (your edits here are dropped).</span>
          <button
            type="button"
            className="btn-secondary"
            onClick={async () => {
              save.reset();
              setDraft(null);
              await qc.invalidateQueries({ queryKey: configKey });
            }}
          >
            Reload
          </button>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn-primary" disabled={save.isPending || !hasEdits(draft)}>
          {save.isPending ? "Saving…" : "Save"}
        </button>
        <button type="button" className="btn-secondary" disabled={!hasEdits(draft)} onClick={() => { reset(formFromConfig(config)); setDraft(null); save.reset(); }}>
          Discard edits
        </button>
        {save.isSuccess && !hasEdits(draft) && <span role="status" className="text-sm text-teal-700 dark:text-teal-400">Saved.</span>}
      </div>
    </form>
  );
}

function draftToForm(edits: ReturnType<typeof diffForm>): Partial<DraftForm> {
  const out: Partial<DraftForm> = {};
  for (const [k, val] of Object.entries(edits)) {
    if (k === "wireguard_port") out.wireguard_port = String(val);
    else if (k === "endpoint") out.endpoint = (val as string | null) ?? "";
    else (out as Record<string, string>)[k] = val as string;
  }
  return out;
}

export function Page() {
  const config = useConfig();
  return (
    <>
      <h1 className="text-xl font-semibold">Settings</h1>
      <QueryView query={config}>{(doc) => <IdentityForm key={doc.etag ?? "x"} config={doc.config} etag={doc.etag} />}</QueryView>
      <DnsSettingsCard />
      <NtpSettingsCard />
    </>
  );
}
