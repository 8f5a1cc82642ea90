/* A cell account's own page: who they are on the cell (name, addresses,
 * services), their password, how to set up a device, and with mail, how
 * to set up a mail app and how full their mailbox is. The only page a
 * user sees. */
import { PasswordCard } from "../auth/PasswordCard";
import { useSession } from "../auth/session";
import { Name } from "../components/Name";
import { QueryView } from "../components/states";
import { DevicesCard } from "../features/accounts/DevicesCard";
import { SERVICES, useMe } from "../features/accounts/api";
import { accountPassword } from "../features/accounts/rules";
import { MailSetupCard } from "../features/mail/MailSetupCard";

export function Page() {
  const me = useMe();
  const session = useSession();
  /* The session's name is the account's: the form checks without waiting for /api/me. */
  const name = me.data?.name ?? session.data?.username ?? "";
  return (
    <>
      <h1 className="text-xl font-semibold">My account</h1>
      <QueryView query={me}>
        {(a) => (
          <section className="card flex flex-col gap-3" aria-label="Your account" data-testid="my-account">
            <h2 className="font-semibold">{a.display_name || a.name}</h2>
            <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-2 text-sm">
              <dt className="text-slate-500">Name</dt>
              <dd className="min-w-0" data-testid="my-name"><Name value={a.name} /></dd>
              <dt className="text-slate-500">Display name</dt>
              <dd className="min-w-0" data-testid="my-display-name"><Name value={a.display_name || "—"} /></dd>
              <dt className="text-slate-500">Addresses</dt>
              <dd className="min-w-0">
                <ul aria-label="Addresses" data-testid="my-addresses">
                  {a.addresses.map((x) => <li key={x}><Name value={x} mono /></li>)}
                </ul>
              </dd>
              <dt className="text-slate-500">Aliases</dt>
              <dd className="min-w-0" data-testid="my-aliases">{a.aliases.length > 0 ? a.aliases.join(", ") : "none"}</dd>
              <dt className="text-slate-500">Services</dt>
              <dd>
                <ul aria-label="Services" data-testid="my-services" className="flex flex-wrap gap-1">
                  {SERVICES.map((s) => {
                    const on = a.services.includes(s.id);
                    return (
                      <li key={s.id} className={`badge ${on ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300" : "bg-slate-200 text-slate-500 line-through dark:bg-slate-800 dark:text-slate-400"}`}>
                        {s.label}<span className="sr-only">{on ? ": enabled" : ": not enabled"}</span>
                      </li>
                    );
                  })}
                </ul>
              </dd>
            </dl>
            <p className="text-xs text-slate-500">The same name and password log you in to mail, calendar & contacts, files and webmail. Ask the cell's admin to change what is above.</p>
          </section>
        )}
      </QueryView>
      <PasswordCard check={(pw) => accountPassword(pw, name)} hint="At least 10 characters, not containing your name" />
      <DevicesCard />
      {/* After the CA card: a mail app needs the cell's CA installed first. */}
      {me.data?.services.includes("mail") && <MailSetupCard account={me.data} />}
    </>
  );
}
