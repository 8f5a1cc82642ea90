import { useForm } from "react-hook-form";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { ApiError, errorMessage } from "../api/errors";
import { CaInstallHints } from "../components/CaInstallHints";
import { Field } from "../components/Field";
import { httpsUrl, plainHttpOverNetwork } from "../lib/transport";
import { safeNext, useLogin, useSession } from "./session";

interface LoginForm {
  username: string;
  password: string;
}

function loginError(e: unknown): string {
  if (e instanceof ApiError && e.status === 401) return "Wrong user name or password.";
  if (e instanceof ApiError && (e.status === 429 || e.status === 503))
    return `${e.message} Try again in ${e.retryAfter ?? "a few"} second(s).`;
  return errorMessage(e);
}

function PlainHttpWarning() {
  return (
    <div role="alert" className="flex flex-col gap-3 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
      <p>
        <strong>This connection is not encrypted.</strong> Your password would cross the network in clear. Use the
        cell over HTTPS instead:{" "}
        <a className="font-medium underline" href={httpsUrl(window.location)}>
          {httpsUrl({ hostname: window.location.hostname, pathname: "/" })}
        </a>
        . Your browser will trust it once it trusts the cell's certificate authority:
      </p>
      <CaInstallHints />
    </div>
  );
}

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const login = useLogin();
  const next = safeNext(params.get("next"));
  const { register, handleSubmit, formState } = useForm<LoginForm>({ defaultValues: { username: "admin", password: "" } });

  if (session.data) return <Navigate to={next} replace />;

  const submit = handleSubmit((v) => login.mutate(v, { onSuccess: () => navigate(next, { replace: true }) }));
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-4 p-4">
      <h1 className="text-2xl font-semibold">PIC — log in</h1>
      {plainHttpOverNetwork(window.location) && <PlainHttpWarning />}
      <form onSubmit={submit} className="card flex flex-col gap-3" noValidate>
        <Field label="User name" error={formState.errors.username?.message}>
          <input className="input" autoComplete="username" maxLength={64} {...register("username", { required: "Enter your user name" })} />
        </Field>
        <Field label="Password" error={formState.errors.password?.message}>
          <input className="input" type="password" autoComplete="current-password" maxLength={1024} autoFocus {...register("password", { required: "Enter your password" })} />
        </Field>
        {login.error && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {loginError(login.error)}
          </p>
        )}
        <button type="submit" className="btn-primary" disabled={login.isPending}>
          {login.isPending ? "Logging in…" : "Log in"}
        </button>
      </form>
    </main>
  );
}
