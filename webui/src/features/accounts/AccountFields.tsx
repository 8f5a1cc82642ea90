/* The fields the add and edit dialogs share: display name, services,
 * mail quota, aliases. Each shows the form's check first, then what the
 * API said about it (`aliases[2]` goes under Aliases). */
import type { FieldErrors, FieldValues, Path, UseFormRegister } from "react-hook-form";
import { fieldError } from "../../api/errors";
import { Field } from "../../components/Field";
import { fieldOrItemError } from "../../components/SaveState";
import { SERVICES } from "./api";
import { aliasList, displayName, parseAliases, quota } from "./rules";

export interface SharedFields {
  display_name: string;
  services: string[];
  mail_quota_mb: string;
  aliases: string; /* as typed: comma or space separated */
}

/* The API's fields these inputs answer for (for SaveState). */
export const SHARED_API_FIELDS = ["display_name", "services", "mail_quota_mb", "aliases"];

export function AccountFields<T extends SharedFields & FieldValues>({ register, errors, apiError, nameOf, idPrefix }: {
  register: UseFormRegister<T>;
  errors: FieldErrors<T>;
  apiError: unknown;
  nameOf: (all: T) => string; /* the account's name, for the alias check */
  idPrefix: string; /* data-testid prefix: "add-account" or "edit-account" */
}) {
  const reg = (f: keyof SharedFields, opts?: Parameters<UseFormRegister<T>>[1]) => register(f as Path<T>, opts);
  const msg = (f: keyof SharedFields) => errors[f]?.message as string | undefined;
  return (
    <>
      <Field label="Display name" error={msg("display_name") ?? fieldError(apiError, "display_name")} hint="The person's name as mail clients show it; may be empty">
        <input className="input" maxLength={128} autoComplete="off" data-testid={`${idPrefix}-display-name`} {...reg("display_name", { validate: (v: string) => displayName(v) ?? true })} />
      </Field>
      <fieldset className="flex flex-col gap-1">
        <legend className="text-sm font-medium">Services</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {SERVICES.map((s) => (
            <label key={s.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" value={s.id} data-testid={`${idPrefix}-service-${s.id}`} {...reg("services")} /> {s.label}
            </label>
          ))}
        </div>
        {fieldOrItemError(apiError, "services") && <p role="alert" className="text-xs text-red-700 dark:text-red-400">{fieldOrItemError(apiError, "services")}</p>}
      </fieldset>
      <Field label="Mail quota (MiB)" error={msg("mail_quota_mb") ?? fieldError(apiError, "mail_quota_mb")} hint="0: no limit; 1024 is 1 GiB">
        <input className="input" type="number" inputMode="numeric" min={0} max={1048576} step={1} data-testid={`${idPrefix}-quota`} {...reg("mail_quota_mb", { validate: (v: string) => quota(v) ?? true })} />
      </Field>
      <Field label="Aliases" error={msg("aliases") ?? fieldOrItemError(apiError, "aliases")} hint="Other addresses that deliver here: lower-case letters, digits, hyphens; separated by commas or spaces">
        <input
          className="input"
          autoComplete="off"
          spellCheck={false}
          placeholder="asmith, info"
          data-testid={`${idPrefix}-aliases`}
          {...reg("aliases", { validate: (v: string, all: T) => aliasList(parseAliases(v), nameOf(all)) ?? true })}
        />
      </Field>
    </>
  );
}
