/* Add a cell account: one name and password for mail, calendar, files
 * and webmail (POST /api/users). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { api, unwrap } from "../../api/client";
import { fieldError } from "../../api/errors";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { SaveState } from "../../components/SaveState";
import { AccountFields, SHARED_API_FIELDS, type SharedFields } from "./AccountFields";
import { accountsKey, ALL_SERVICES, orderedServices, type Account, type AccountCreate } from "./api";
import { accountName, accountPassword, parseAliases, QUOTA_MB_DEFAULT } from "./rules";

interface Form extends SharedFields {
  name: string;
  password: string;
  repeat: string;
}

const DEFAULTS: Form = { name: "", password: "", repeat: "", display_name: "", services: [...ALL_SERVICES], mail_quota_mb: String(QUOTA_MB_DEFAULT), aliases: "" };

export function createBody(f: Form): AccountCreate {
  return {
    name: f.name.trim(),
    password: f.password,
    display_name: f.display_name.trim(),
    services: orderedServices(f.services),
    mail_quota_mb: Number(f.mail_quota_mb),
    aliases: parseAliases(f.aliases),
  };
}

export function AddAccountDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const { register, handleSubmit, formState, reset } = useForm<Form>({ mode: "onTouched", defaultValues: DEFAULTS });
  const add = useMutation({
    mutationFn: (f: Form) => unwrap(api.POST("/api/users", { body: createBody(f) })),
    onSuccess: (a) => {
      qc.setQueryData<Account[]>(accountsKey, (old) => (old ? [...old.filter((x) => x.name !== a.name), a].sort((x, y) => x.name.localeCompare(y.name)) : old));
      void qc.invalidateQueries({ queryKey: accountsKey });
      close();
    },
  });
  function close() {
    add.reset();
    reset(DEFAULTS);
    onClose();
  }
  const err = (f: "name" | "password" | "repeat") => formState.errors[f]?.message ?? fieldError(add.error, f);
  return (
    <Dialog open={open} title="Add an account" onClose={close}>
      <form className="flex flex-col gap-3" aria-label="Add an account" data-testid="add-account-form" noValidate onSubmit={handleSubmit((f) => add.mutate(f))}>
        <Field label="Name" error={err("name")} hint="The person's login and mail address (name@zone): lower-case letters, digits, hyphens; starts with a letter">
          <input className="input" maxLength={32} autoComplete="off" autoCapitalize="none" spellCheck={false} autoFocus data-testid="add-account-name" {...register("name", { validate: (v) => accountName(v.trim()) ?? true })} />
        </Field>
        <Field label="Password" error={err("password")} hint="At least 10 characters, not containing the name">
          <input className="input" type="password" autoComplete="new-password" maxLength={1024} data-testid="add-account-password" {...register("password", { validate: (v, all) => accountPassword(v, all.name.trim()) ?? true })} />
        </Field>
        <Field label="Password again" error={err("repeat")}>
          <input className="input" type="password" autoComplete="new-password" maxLength={1024} data-testid="add-account-repeat" {...register("repeat", { validate: (v, all) => v === all.password || "The two passwords differ" })} />
        </Field>
        <AccountFields register={register} errors={formState.errors} apiError={add.error} nameOf={(all) => all.name.trim()} idPrefix="add-account" />
        <SaveState error={add.error} saved={false} fields={["name", "password", ...SHARED_API_FIELDS]} />
        <div className="flex justify-end gap-2">
          <button type="button" className="btn-secondary" onClick={close}>Cancel</button>
          <button type="submit" className="btn-primary" disabled={add.isPending} data-testid="add-account-submit">{add.isPending ? "Creating…" : "Create account"}</button>
        </div>
      </form>
    </Dialog>
  );
}
