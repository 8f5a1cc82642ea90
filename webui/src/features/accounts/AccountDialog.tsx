/* One account: display name, services, quota, aliases, disabled (PUT
 * /api/users/{name}, only what changed), a password reset, delete. */
import { useState } from "react";
import { useForm } from "react-hook-form";
import { fieldError } from "../../api/errors";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { Name } from "../../components/Name";
import { SaveState } from "../../components/SaveState";
import { formatTime } from "../../lib/time";
import { AccountFields, SHARED_API_FIELDS, type SharedFields } from "./AccountFields";
import { DeleteAccountDialog } from "./DeleteAccountDialog";
import { accountChanges, orderedServices, useUpdateAccount, type Account } from "./api";
import { accountPassword, formatAliases, parseAliases } from "./rules";

interface Form extends SharedFields {
  disabled: boolean;
}

function formOf(a: Account): Form {
  return { display_name: a.display_name, services: orderedServices(a.services), mail_quota_mb: String(a.mail_quota_mb), aliases: formatAliases(a.aliases), disabled: a.disabled };
}

interface ResetForm {
  password: string;
  repeat: string;
}

function ResetPassword({ name }: { name: string }) {
  const { register, handleSubmit, formState, reset } = useForm<ResetForm>({ mode: "onTouched", defaultValues: { password: "", repeat: "" } });
  const update = useUpdateAccount(name);
  return (
    <form className="flex flex-col gap-3 border-t border-slate-200 pt-3 dark:border-slate-700" aria-label="Reset password" data-testid="reset-password-form" noValidate onSubmit={handleSubmit((f) => update.mutate({ password: f.password }, { onSuccess: () => reset() }))}>
      <h3 className="text-sm font-semibold">Reset password</h3>
      <p className="text-xs text-slate-500">For a person who forgot theirs. Their sessions end; tell them the new one.</p>
      <Field label="New password" error={formState.errors.password?.message ?? fieldError(update.error, "password")}>
        <input className="input" type="password" autoComplete="new-password" maxLength={1024} data-testid="reset-password-new" {...register("password", { validate: (v) => accountPassword(v, name) ?? true })} />
      </Field>
      <Field label="New password again" error={formState.errors.repeat?.message}>
        <input className="input" type="password" autoComplete="new-password" maxLength={1024} data-testid="reset-password-repeat" {...register("repeat", { validate: (v, all) => v === all.password || "The two passwords differ" })} />
      </Field>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn-secondary" disabled={update.isPending} data-testid="reset-password-submit">Reset password</button>
        {update.isSuccess && <span role="status" className="text-sm text-teal-700 dark:text-teal-400">Password reset.</span>}
        <SaveState error={update.error} saved={false} fields={["password"]} />
      </div>
    </form>
  );
}

export function AccountDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const name = account.name;
  const [deleting, setDeleting] = useState(false);
  const { register, handleSubmit, formState, reset } = useForm<Form>({ mode: "onTouched", defaultValues: formOf(account) });
  const update = useUpdateAccount(name);
  const save = handleSubmit((f) => {
    const body = accountChanges(account, {
      display_name: f.display_name.trim(),
      services: orderedServices(f.services),
      mail_quota_mb: Number(f.mail_quota_mb),
      aliases: parseAliases(f.aliases),
      disabled: f.disabled,
    });
    if (Object.keys(body).length === 0) return onClose();
    update.mutate(body, {
      onSuccess: (a) => {
        reset(formOf(a));
        onClose();
      },
    });
  });

  return (
    <Dialog open title={`Account ${name}`} onClose={onClose} wide>
      <dl className="grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-500">Addresses</dt>
        <dd className="min-w-0">{account.addresses.map((a) => <Name key={a} value={a} mono />)}</dd>
        <dt className="text-slate-500">Created</dt><dd>{formatTime(account.created_at)}</dd>
        <dt className="text-slate-500">Changed</dt><dd>{formatTime(account.updated_at)}</dd>
      </dl>
      <form className="flex flex-col gap-3" aria-label={`Edit ${name}`} data-testid="edit-account-form" noValidate onSubmit={save}>
        <AccountFields register={register} errors={formState.errors} apiError={update.error} nameOf={() => name} idPrefix="edit-account" />
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" className="mt-1" data-testid="edit-account-disabled" {...register("disabled")} />
          <span>
            <span className="font-medium">Disabled</span>
            <span className="block text-xs text-slate-500">Cannot log in to any service; their sessions end at once.</span>
          </span>
        </label>
        <SaveState error={update.error} saved={false} fields={[...SHARED_API_FIELDS, "disabled"]} />
        <div className="flex justify-end gap-2">
          <button type="button" className="btn-secondary" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn-primary" disabled={update.isPending} data-testid="edit-account-submit">{update.isPending ? "Saving…" : "Save changes"}</button>
        </div>
      </form>
      <ResetPassword name={name} />
      <div className="flex justify-start border-t border-slate-200 pt-3 dark:border-slate-700">
        <button type="button" className="btn-danger" onClick={() => setDeleting(true)} data-testid="edit-account-delete">Delete account</button>
      </div>
      <DeleteAccountDialog account={deleting ? account : null} onClose={() => setDeleting(false)} onDeleted={onClose} />
    </Dialog>
  );
}
