/* Add or edit one DNS record; the fields shown follow its type. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { api, unwrap, type Schemas } from "../../api/client";
import { errorMessage, fieldError } from "../../api/errors";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { RECORD_TYPES, type RecordInput, type RecordType } from "./zonefile";

export type DnsRecord = Schemas["DnsRecord"];

interface Form {
  name: string;
  type: RecordType;
  ttl: string;
  value: string;
  priority: string;
  weight: string;
  port: string;
  flags: string;
  tag: "issue" | "issuewild" | "iodef";
}

const VALUE_HINT: Record<RecordType, string> = {
  A: "An IPv4 address",
  AAAA: "An IPv6 address",
  CNAME: "The host name this name is an alias of",
  MX: "The mail server's host name",
  TXT: "Text, up to 2048 bytes",
  SRV: "The target host (or . for none)",
  CAA: "For issue/issuewild a CA's domain; for iodef a mailto: or https: URL",
};

function toForm(r: DnsRecord | null): Form {
  return {
    name: r?.name ?? "",
    type: (r?.type as RecordType | undefined) ?? "A",
    ttl: String(r?.ttl ?? 3600),
    value: r?.value ?? "",
    priority: String(r?.priority ?? (r?.type === "SRV" ? 0 : 10)),
    weight: String(r?.weight ?? 0),
    port: String(r?.port ?? ""),
    flags: String(r?.flags ?? 0),
    tag: r?.tag ?? "issue",
  };
}

function toInput(f: Form): RecordInput {
  const base: RecordInput = { name: f.name.trim(), type: f.type, ttl: Number(f.ttl), value: f.value };
  if (f.type === "MX") return { ...base, priority: Number(f.priority) };
  if (f.type === "SRV") return { ...base, priority: Number(f.priority), weight: Number(f.weight), port: Number(f.port) };
  if (f.type === "CAA") return { ...base, flags: Number(f.flags), tag: f.tag };
  return base;
}

const u16 = (v: string) => (/^\d{1,5}$/.test(v) && Number(v) <= 65535) || "0 to 65535";

export function RecordDialog({ open, record, zone, onClose }: { open: boolean; record: DnsRecord | null; zone: string; onClose: () => void }) {
  const qc = useQueryClient();
  const { register, handleSubmit, watch, formState } = useForm<Form>({ values: toForm(record), mode: "onTouched" });
  const type = watch("type");
  const save = useMutation({
    mutationFn: (f: Form) =>
      record
        ? unwrap(api.PUT("/api/dns/records/{id}", { params: { path: { id: record.id } }, body: toInput(f) }))
        : unwrap(api.POST("/api/dns/records", { body: toInput(f) })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["dns", "records"] });
      onClose();
    },
  });
  const err = (f: keyof Form) => formState.errors[f]?.message ?? fieldError(save.error, f);
  const shownFields = ["name", "type", "ttl", "value", ...(type === "MX" ? ["priority"] : []), ...(type === "SRV" ? ["priority", "weight", "port"] : []), ...(type === "CAA" ? ["flags", "tag"] : [])];
  const otherError = save.error && !shownFields.some((f) => fieldError(save.error, f));
  return (
    <Dialog open={open} title={record ? `Edit record ${record.name}` : "Add a DNS record"} onClose={onClose}>
      <form className="flex flex-col gap-3" noValidate onSubmit={handleSubmit((f) => save.mutate(f))}>
        <div className="grid gap-3 sm:grid-cols-[1fr_8rem]">
          <Field label="Name" error={err("name")} hint={`Relative to ${zone} (@ for ${zone} itself)`}>
            <input className="input font-mono" maxLength={255} autoFocus {...register("name", { required: "Required" })} />
          </Field>
          <Field label="Type" error={err("type")}>
            <select className="input" disabled={record !== null} {...register("type")}>
              {RECORD_TYPES.map((t) => <option key={t}>{t}</option>)}
            </select>
          </Field>
        </div>
        {type === "CAA" && (
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Flags" error={err("flags")}>
              <input className="input" inputMode="numeric" maxLength={3} {...register("flags", { validate: (v) => (/^\d{1,3}$/.test(v) && Number(v) <= 255) || "0 to 255" })} />
            </Field>
            <Field label="Tag" error={err("tag")}>
              <select className="input" {...register("tag")}>
                <option>issue</option><option>issuewild</option><option>iodef</option>
              </select>
            </Field>
          </div>
        )}
        {(type === "MX" || type === "SRV") && (
          <div className="grid gap-3 sm:grid-cols-3">
            <Field label="Priority" error={err("priority")}>
              <input className="input" inputMode="numeric" maxLength={5} {...register("priority", { validate: u16 })} />
            </Field>
            {type === "SRV" && (
              <>
                <Field label="Weight" error={err("weight")}>
                  <input className="input" inputMode="numeric" maxLength={5} {...register("weight", { validate: u16 })} />
                </Field>
                <Field label="Port" error={err("port")}>
                  <input className="input" inputMode="numeric" maxLength={5} {...register("port", { validate: u16 })} />
                </Field>
              </>
            )}
          </div>
        )}
        <Field label="Value" error={err("value")} hint={VALUE_HINT[type]}>
          {type === "TXT" ? (
            <textarea className="input font-mono" rows={3} maxLength={2048} {...register("value", { required: "Required" })} />
          ) : (
            <input className="input font-mono" maxLength={2048} {...register("value", { required: "Required" })} />
          )}
        </Field>
        <Field label="TTL (seconds)" error={err("ttl")}>
          <input className="input" inputMode="numeric" maxLength={6} {...register("ttl", { validate: (v) => (/^\d+$/.test(v) && Number(v) >= 60 && Number(v) <= 604800) || "60 to 604800" })} />
        </Field>
        {otherError && <p role="alert" className="text-sm text-red-700 dark:text-red-400">{errorMessage(save.error)}</p>}
        <div className="flex justify-end gap-2">
          <button type="button" className="btn-secondary" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn-primary" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save record"}</button>
        </div>
      </form>
    </Dialog>
  );
}
