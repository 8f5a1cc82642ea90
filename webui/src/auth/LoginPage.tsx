import { useForm } from "react-hook-form";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { ApiError, errorMessage } from "../api/errors";
import { CA_URL, CaInstallHints } from "../components/CaInstallHints";
import { Field } from "../components/Field";
import { KIND_LABEL, caDownloadPath, fingerprint, httpsAddresses, httpsHost, useAccess } from "../features/access/api";
import { httpsUrl, plainHttpOverNetwork } from "../lib/transport";
import { pages } from "../pages/registry";
import { afterLogin, roleOf } from "./roles";
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

/* Over plain HTTP from another machine: where the cell answers over HTTPS
 * (the host typed first, then what GET /api/access lists) and the CA to
 * trust for it. Without that answer (an older picd, the cell busy) the
 * link and the install hints still stand. */
function PlainHttpWarning() {
  const access = useAccess();
  const here = httpsUrl({ hostname: window.location.hostname, pathname: "/" });
  const hereHost = httpsHost(here);
  const a = access.data;
  const others = a ? httpsAddresses(a.https, [here]) : [];
  const notCovered = a?.uncovered.find((u) => httpsHost(httpsUrl({ hostname: u.host, pathname: "/" })) === hereHost);
  const fp = a?.ca ? fingerprint(a.ca.sha256) : null;
  return (
    <div role="alert" className="flex min-w-0 flex-col gap-3 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
      <p>
        <strong>This connection is not encrypted.</strong> Your password would cross the network in clear. Use the
        cell over HTTPS instead:{" "}
        <a className="font-medium break-all underline" href={httpsUrl(window.location)}>
          {here}
        </a>
        .
      </p>
      {notCovered && (
        <p>
          The cell's certificate does not cover <span className="break-all">{notCovered.host}</span>, so your browser will
          warn there: {notCovered.reason.replace(/\.$/, "")}.{others.length > 0 ? " Prefer one of the addresses below." : ""}
        </p>
      )}
      {others.length > 0 && (
        <div className="flex flex-col gap-1">
          <p>{notCovered ? "The cell answers over HTTPS at:" : "It also answers over HTTPS at:"}</p>
          <ul className="flex flex-col gap-1" aria-label="HTTPS addresses">
            {others.map((o) => (
              <li key={o.url} className="flex min-w-0 flex-wrap items-baseline gap-x-2">
                <a className="min-w-0 font-medium break-all underline" href={o.url}>
                  {o.url}
                </a>
                <span className="text-xs opacity-80">{KIND_LABEL[o.kind]}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <p>Your browser will trust the cell's HTTPS once it trusts the cell's certificate authority:</p>
      {fp && (
        <div className="flex flex-col gap-1">
          <p>The certificate authority's SHA-256 fingerprint, as browsers show it:</p>
          <code className="block font-mono text-xs break-all" data-testid="ca-fingerprint">
            {fp}
          </code>
          <p>
            This page came over plain HTTP, so anyone on the network between you and the cell could have altered it, this
            fingerprint and the certificate included. Before you trust the certificate, check that the fingerprint your
            device shows for it matches the one picd printed when it started (the “cell CA SHA-256” line of the{" "}
            <code>make run</code> output: the same digits, in lower case without colons) or the one <code>pic ca show</code>{" "}
            prints on the cell.
          </p>
        </div>
      )}
      {a && a.ca === null && <p>The cell's certificate authority is not available right now: the download works once picd has it again.</p>}
      <CaInstallHints href={caDownloadPath(a?.ca?.url, CA_URL)} />
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

  /* A cell account lands on its own page, an admin where it was going. */
  if (session.data) return <Navigate to={afterLogin(roleOf(session.data), next, pages)} replace />;

  const submit = handleSubmit((v) => login.mutate(v, { onSuccess: (s) => navigate(afterLogin(roleOf(s), next, pages), { replace: true }) }));
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
