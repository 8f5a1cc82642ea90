/* Changing one's own password (POST /api/auth/password): the admin's on
 * Account, a cell account's on My account. `check` adds the role's rules
 * to the form; the API's answer is shown next to the field it names (a
 * cell account's rules may come back as `password`). */
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { api, unwrap } from "../api/client";
import { errorMessage, fieldError } from "../api/errors";
import { Field } from "../components/Field";

interface PasswordForm {
  current_password: string;
  new_password: string;
  repeat: string;
}

export function PasswordCard({ check, hint }: { check?: (pw: string) => string | undefined; hint?: string }) {
  const { register, handleSubmit, formState, reset } = useForm<PasswordForm>({ mode: "onTouched" });
  const change = useMutation({
    mutationFn: (f: PasswordForm) => unwrap(api.POST("/api/auth/password", { body: { current_password: f.current_password, new_password: f.new_password } })),
    onSuccess: () => reset({ current_password: "", new_password: "", repeat: "" }),
  });
  const newError = fieldError(change.error, "new_password") ?? fieldError(change.error, "password");
  const currentError = fieldError(change.error, "current_password");
  return (
    <form className="card flex flex-col gap-3" aria-label="Change password" data-testid="change-password-form" noValidate onSubmit={handleSubmit((f) => change.mutate(f))}>
      <h2 className="font-semibold">Change password</h2>
      <Field label="Current password" error={formState.errors.current_password?.message ?? currentError}>
        <input className="input" type="password" autoComplete="current-password" maxLength={1024} {...register("current_password", { required: "Enter your current password" })} />
      </Field>
      <Field label="New password" error={formState.errors.new_password?.message ?? newError} hint={hint}>
        <input
          className="input"
          type="password"
          autoComplete="new-password"
          maxLength={1024}
          {...register("new_password", { required: "Enter a new password", minLength: { value: 10, message: "At least 10 characters" }, validate: (v) => check?.(v) ?? true })}
        />
      </Field>
      <Field label="New password again" error={formState.errors.repeat?.message}>
        <input className="input" type="password" autoComplete="new-password" maxLength={1024} {...register("repeat", { validate: (v, all) => v === all.new_password || "The two new passwords differ" })} />
      </Field>
      {change.error && !currentError && !newError && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">{errorMessage(change.error)}</p>
      )}
      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={change.isPending}>Change password</button>
        {change.isSuccess && <span role="status" className="text-sm text-teal-700 dark:text-teal-400">Password changed; your other sessions were logged out.</span>}
      </div>
    </form>
  );
}
