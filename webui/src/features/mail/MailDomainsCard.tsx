/* The domains the cell takes mail for: the cell zone, always first and
 * there for good, then the extra ones the admin added. Every account with
 * mail receives at <name>@<domain> on each, its aliases too, and may send
 * as it, DKIM-signed. Each domain lists the DNS records it needs (MX,
 * SPF, DKIM, DMARC) and whether the cell's own DNS serves them already or
 * the owner must publish them where the domain is hosted. */
import { useState } from "react";
import { useForm } from "react-hook-form";
import { ApiError, errorMessage, fieldError } from "../../api/errors";
import { CopyButton } from "../../components/CopyButton";
import { ConfirmDialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { Empty, QueryView } from "../../components/states";
import { dnsName } from "../../lib/validate";
import { useAddMailDomain, useMailDomains, useRemoveMailDomain, type MailDomain, type MailDomainRecord } from "./api";

/* As picd stores it: no trailing dot, lower case. */
function normalize(v: string): string {
  return v.trim().replace(/\.$/, "").toLowerCase();
}

/* The API's rules, so the form says what is wrong before sending; the
 * API stays the judge (and also counts the domains). */
function checkDomain(v: string, zone: string | undefined): string | undefined {
  const d = normalize(v);
  const bad = dnsName(d);
  if (bad) return bad;
  if (!d.includes(".")) return "Two labels or more, e.g. example.org";
  if (zone && (d === zone || d.endsWith(`.${zone}`))) return `Not the cell zone (${zone}) nor a name inside it`;
  return undefined;
}

function Where({ published }: { published: boolean }) {
  return published ? (
    <span className="text-xs font-medium text-emerald-800 dark:text-emerald-300">In the cell's DNS</span>
  ) : (
    <span className="text-xs font-medium text-amber-800 dark:text-amber-300">Publish where the domain is hosted</span>
  );
}

function RecordRow({ r }: { r: MailDomainRecord }) {
  return (
    <tr>
      <td className="align-top"><code className="font-mono text-xs break-all">{r.name}</code></td>
      <td className="align-top text-xs">{r.type}</td>
      <td className="align-top">
        <div className="flex items-start gap-2">
          {/* DKIM keys run to hundreds of characters: they wrap, and one click selects the whole value. */}
          <code className="min-w-0 flex-1 font-mono text-xs break-all select-all">{r.value}</code>
          <CopyButton text={r.value} what={`${r.type} ${r.name}`} />
        </div>
      </td>
      <td className="align-top"><Where published={r.published} /></td>
    </tr>
  );
}

function DomainBlock({ d, onRemove }: { d: MailDomain; onRemove: () => void }) {
  return (
    <div className="flex min-w-0 flex-col gap-2 rounded-md border border-slate-200 p-3 dark:border-slate-700" data-testid={`mail-domain-${d.domain}`}>
      <div className="flex flex-wrap items-center gap-2">
        <div className="mr-auto flex min-w-0 flex-wrap items-center gap-2">
          <h3 className="min-w-0 font-mono text-sm font-semibold break-all">{d.domain}</h3>
          {d.cell_zone && <span className="badge bg-teal-100 text-teal-800 dark:bg-teal-950 dark:text-teal-300">Cell zone</span>}
        </div>
        {!d.cell_zone && (
          <button type="button" className="btn-secondary" aria-label={`Remove ${d.domain}`} onClick={onRemove}>Remove</button>
        )}
      </div>
      {d.cell_zone && <p className="text-xs text-slate-500">The cell's own zone, which its DNS serves; it cannot be removed.</p>}
      {d.records.length === 0 ? (
        <Empty>No records to show yet.</Empty>
      ) : (
        <div className="overflow-x-auto">
          {/* Narrower than this the table scrolls sideways; the values wrap inside it. */}
          <table className="table min-w-[40rem]" aria-label={`DNS records of ${d.domain}`}>
            <thead>
              <tr>
                <th className="w-[26%]">Name</th>
                <th className="w-14">Type</th>
                <th>Value</th>
                <th className="w-40">Where</th>
              </tr>
            </thead>
            <tbody>
              {d.records.map((r, i) => <RecordRow key={`${r.type}-${r.name}-${i}`} r={r} />)}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function AddDomainForm({ zone }: { zone: string | undefined }) {
  const add = useAddMailDomain();
  const { register, handleSubmit, reset, formState } = useForm<{ domain: string }>({ mode: "onTouched", defaultValues: { domain: "" } });
  /* 400 names the field; 409 (already a mail domain) is about it too. */
  const apiErr = fieldError(add.error, "domain") ?? (add.error instanceof ApiError && add.error.status === 409 ? add.error.message : undefined);
  return (
    <form
      className="flex flex-col gap-2"
      noValidate
      aria-label="Add a mail domain"
      onSubmit={handleSubmit((f) => add.mutate(normalize(f.domain), { onSuccess: () => reset({ domain: "" }) }))}
    >
      <div className="grid gap-2 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-start">
        <Field label="Domain" error={formState.errors.domain?.message ?? apiErr} hint="A domain you own, outside the cell zone, e.g. example.org">
          <input
            className="input font-mono"
            maxLength={253}
            autoComplete="off"
            spellCheck={false}
            placeholder="example.org"
            {...register("domain", { validate: (v) => checkDomain(v, zone) })}
          />
        </Field>
        {/* Level with the input, under the label's line. */}
        <button type="submit" className="btn-primary sm:mt-6" disabled={add.isPending}>Add domain</button>
      </div>
      {add.error && !apiErr && <p role="alert" className="text-sm break-words text-red-700 dark:text-red-400">{errorMessage(add.error)}</p>}
      {add.isSuccess && !formState.isDirty && (
        <p role="status" className="text-sm text-teal-700 dark:text-teal-400" data-testid="mail-domain-added">
          Added {add.data.domain}: publish its records where it is hosted.
        </p>
      )}
    </form>
  );
}

export function MailDomainsCard() {
  const domains = useMailDomains();
  const remove = useRemoveMailDomain();
  const [removing, setRemoving] = useState<string | null>(null);
  function close() {
    setRemoving(null);
    remove.reset();
  }
  return (
    <section className="card flex flex-col gap-3" aria-label="Mail domains">
      <h2 className="font-semibold">Mail domains</h2>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Every account with mail receives at its name (and its aliases) @ each of these domains, and may send as it. An extra domain
        needs the records marked “Publish where the domain is hosted” at its DNS host, or mail from the world does not arrive there
        and other servers do not trust the mail the cell sends as it.
      </p>
      <QueryView query={domains}>
        {(list) => (
          <>
            <div className="flex flex-col gap-3">
              {list.map((d) => <DomainBlock key={d.domain} d={d} onRemove={() => setRemoving(d.domain)} />)}
            </div>
            <AddDomainForm zone={list.find((d) => d.cell_zone)?.domain} />
          </>
        )}
      </QueryView>
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing ?? ""}?`}
        confirmLabel="Remove domain"
        busy={remove.isPending}
        onClose={close}
        onConfirm={() => removing && remove.mutate(removing, { onSuccess: close })}
      >
        <p>
          Its addresses (each account's name and aliases @{removing}) stop receiving mail: the cell refuses mail for them from then
          on. Its records at the DNS host can go too.
        </p>
        {remove.error && <p role="alert" className="mt-2 text-red-700 dark:text-red-400">{errorMessage(remove.error)}</p>}
      </ConfirmDialog>
    </section>
  );
}
