/* How mail for other servers leaves the cell: straight to each
 * recipient's server, or through a relay host (a smarthost) with an
 * optional login. The stored password is never shown: the field stays
 * empty, and left empty it is not sent, so the stored one stays. */
import { useForm } from "react-hook-form";
import { fieldError } from "../../api/errors";
import { Field } from "../../components/Field";
import { SaveState } from "../../components/SaveState";
import { QueryView } from "../../components/states";
import { useEmailConfig, useSaveEmailConfig, type EmailConfig, type RelayChange } from "./api";

interface Form {
  mode: "direct" | "relay";
  host: string;
  port: string;
  username: string;
  password: string; /* only ever what is typed here */
}

type RelayField = "host" | "port" | "username" | "password";

const DEFAULT_PORT = 587;
const RELAY_FIELDS = ["relay.host", "relay.port", "relay.username", "relay.password"];

function formOf(c: EmailConfig): Form {
  const r = c.relay;
  return r
    ? { mode: "relay", host: r.host, port: String(r.port), username: r.username ?? "", password: "" }
    : { mode: "direct", host: "", port: String(DEFAULT_PORT), username: "", password: "" };
}

/* The PUT's relay: an empty port is the API's default (587), an empty
 * user name none, an empty password "keep the stored one". */
function relayOf(f: Form): RelayChange | null {
  if (f.mode === "direct") return null;
  const port = f.port.trim();
  const username = f.username.trim();
  return {
    host: f.host.trim(),
    ...(port ? { port: Number(port) } : {}),
    ...(username ? { username } : {}),
    ...(f.password ? { password: f.password } : {}),
  };
}

/* "Saved: mail for other servers goes …" */
function describeDelivery(c: EmailConfig): string {
  const r = c.relay;
  if (!r) return "straight to each recipient's server";
  return `through ${r.host}:${r.port}${r.username ? `, logged in as ${r.username}` : ""}`;
}

function OutgoingForm({ config }: { config: EmailConfig }) {
  const save = useSaveEmailConfig();
  const { register, handleSubmit, reset, watch, formState } = useForm<Form>({ mode: "onTouched", defaultValues: formOf(config) });
  const relay = watch("mode") === "relay";
  const stored = config.relay;
  const err = (f: RelayField) => formState.errors[f]?.message ?? fieldError(save.error, `relay.${f}`);
  return (
    <form
      className="flex flex-col gap-3"
      noValidate
      onSubmit={handleSubmit((f) => save.mutate(relayOf(f), { onSuccess: (c) => reset(formOf(c)) }))}
    >
      <fieldset className="flex flex-col gap-1">
        <legend className="text-sm font-medium">Mail for other servers goes</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" value="direct" {...register("mode")} /> Direct to each recipient's server
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" value="relay" {...register("mode")} /> Through a relay host
        </label>
      </fieldset>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Most home connections need a relay host: providers often block port 25 to other servers, and many servers refuse mail from
        home addresses, which are on dial-up block lists. The relay is usually your internet provider's or a mail service's.
      </p>
      {relay && (
        <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_8rem]">
          <Field label="Relay host" error={err("host")} hint="A host name or IPv4 address, e.g. smtp.example.net">
            <input className="input font-mono" maxLength={255} autoComplete="off" spellCheck={false} {...register("host")} />
          </Field>
          <Field label="Port" error={err("port")} hint={`Usually ${DEFAULT_PORT}`}>
            <input
              className="input"
              inputMode="numeric"
              maxLength={5}
              {...register("port", { validate: (v) => v.trim() === "" || /^\d+$/.test(v.trim()) || "A port number, 1 to 65535" })}
            />
          </Field>
          <Field label="User name" error={err("username")} hint="Empty when the relay needs no login; with one, the cell logs in over TLS only">
            <input className="input" maxLength={255} autoComplete="off" spellCheck={false} {...register("username")} />
          </Field>
          <Field label="Password" error={err("password")} hint={stored?.has_password ? "A password is stored; leave empty to keep it" : undefined}>
            <input className="input" type="password" maxLength={255} autoComplete="new-password" {...register("password")} />
          </Field>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn-primary" aria-label="Save outgoing mail" disabled={save.isPending}>Save</button>
        <SaveState error={save.error} saved={false} fields={relay ? RELAY_FIELDS : []} />
        {save.isSuccess && !formState.isDirty && (
          <p role="status" className="text-sm text-teal-700 dark:text-teal-400" data-testid="relay-saved">
            Saved: mail for other servers goes {describeDelivery(save.data)}.
          </p>
        )}
      </div>
    </form>
  );
}

export function OutgoingMailCard() {
  const q = useEmailConfig();
  return (
    <section className="card flex flex-col gap-3" aria-label="Outgoing mail" id="outgoing-mail">
      <h2 className="font-semibold">Outgoing mail</h2>
      <QueryView query={q}>{(c) => <OutgoingForm config={c} />}</QueryView>
    </section>
  );
}
