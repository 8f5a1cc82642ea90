/* Aliases across all accounts: which address reaches whom, one given to
 * an account or taken away. An alias is a local part of every mail
 * domain (info@<zone>, info@example.org). The account page edits the
 * same lists, one account at a time. */
import { useState } from "react";
import { useForm } from "react-hook-form";
import { ApiError, errorMessage, fieldError } from "../../api/errors";
import { ConfirmDialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { Name } from "../../components/Name";
import { Empty, QueryView } from "../../components/states";
import { useAccounts } from "../accounts/api";
import { alias as checkAlias, NAME_MAX } from "../accounts/rules";
import { useAddMailAlias, useMailAliases, useRemoveMailAlias } from "./aliases";

function AddAliasForm({ accounts }: { accounts: string[] }) {
  const add = useAddMailAlias();
  const { register, handleSubmit, reset, formState } = useForm<{ alias: string; user: string }>({
    mode: "onTouched",
    defaultValues: { alias: "", user: accounts[0] ?? "" },
  });
  /* 409: the alias is an account or someone's alias already; about the field too. */
  const aliasErr = fieldError(add.error, "alias") ?? (add.error instanceof ApiError && add.error.status === 409 ? add.error.message : undefined);
  const userErr = fieldError(add.error, "user");
  return (
    <form
      className="flex flex-col gap-2"
      noValidate
      aria-label="Add an alias"
      onSubmit={handleSubmit((f) => add.mutate({ alias: f.alias.trim(), user: f.user }, { onSuccess: () => reset({ alias: "", user: f.user }) }))}
    >
      <div className="grid gap-2 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-start">
        <Field label="Alias" error={formState.errors.alias?.message ?? aliasErr} hint="A local part: info, sales, postmaster">
          <input className="input font-mono" maxLength={NAME_MAX} autoComplete="off" spellCheck={false} placeholder="info"
            {...register("alias", { validate: (v) => checkAlias(v.trim()) })} />
        </Field>
        <Field label="Reaches" error={userErr}>
          <select className="input" {...register("user", { required: "Choose an account" })}>
            {accounts.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </Field>
        <button type="submit" className="btn-primary sm:mt-6" disabled={add.isPending}>Add alias</button>
      </div>
      {add.error && !aliasErr && !userErr && <p role="alert" className="text-sm break-words text-red-700 dark:text-red-400">{errorMessage(add.error)}</p>}
      {add.isSuccess && !formState.isDirty && (
        <p role="status" className="text-sm text-teal-700 dark:text-teal-400" data-testid="mail-alias-added">
          {add.data.address} now reaches {add.data.user}.
        </p>
      )}
    </form>
  );
}

export function MailAliasesCard() {
  const aliases = useMailAliases();
  const accounts = useAccounts();
  const remove = useRemoveMailAlias();
  const [removing, setRemoving] = useState<string | null>(null);
  function close() {
    setRemoving(null);
    remove.reset();
  }
  return (
    <section className="card flex flex-col gap-3" aria-label="Aliases">
      <h2 className="font-semibold">Aliases</h2>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        More addresses for an account, at the cell zone and every extra mail domain. A change takes effect with the next message.
      </p>
      <QueryView query={aliases}>
        {(list) =>
          list.length === 0 ? <Empty>No aliases yet.</Empty> : (
            <ul className="flex flex-col divide-y divide-slate-200 text-sm dark:divide-slate-700" aria-label="Alias list">
              {list.map((a) => (
                <li key={a.alias} className="flex min-w-0 items-center gap-2 py-1.5">
                  <Name value={a.address} mono className="min-w-0 flex-1" />
                  <span className="text-slate-500">→</span>
                  <Name value={a.user} className="min-w-0 max-w-[40%]" />
                  <button type="button" className="btn-secondary" aria-label={`Remove ${a.alias}`} onClick={() => setRemoving(a.alias)}>Remove</button>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
      <QueryView query={accounts} label="Loading the accounts…">
        {(list) => (list.length === 0 ? <Empty>Add an account first: an alias reaches one.</Empty> : <AddAliasForm accounts={list.map((a) => a.name)} />)}
      </QueryView>
      <ConfirmDialog
        open={removing !== null}
        title={`Remove the alias ${removing ?? ""}?`}
        confirmLabel="Remove alias"
        busy={remove.isPending}
        onClose={close}
        onConfirm={() => removing && remove.mutate(removing, { onSuccess: close })}
      >
        <p>Mail to {removing}@ any of the cell's mail domains is refused from the next message on.</p>
        {remove.error && <p role="alert" className="mt-2 text-red-700 dark:text-red-400">{errorMessage(remove.error)}</p>}
      </ConfirmDialog>
    </section>
  );
}
