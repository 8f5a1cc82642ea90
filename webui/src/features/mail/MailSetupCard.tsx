/* On a cell account's own page, when it has mail: what to type into a
 * mail client. The servers come from the domain of the account's first
 * address (its name's), so the page asks nothing the user may not read. */
import { Name } from "../../components/Name";
import { QuotaBar } from "../../components/QuotaBar";
import type { Account } from "../accounts/api";
import { ClientSettings, domainOf, mailHosts } from "./ClientSettings";

export function MailSetupCard({ account }: { account: Account }) {
  const domain = domainOf(account.addresses[0]);
  return (
    <section className="card flex flex-col gap-3" aria-label="Set up mail on your devices" data-testid="my-mail">
      <h2 className="font-semibold">Set up mail on your devices</h2>
      <div className="flex flex-col gap-1 text-sm">
        <p>{account.addresses.length > 1 ? "Your addresses (mail to any of them reaches you):" : "Your address:"}</p>
        <ul aria-label="Your mail addresses" data-testid="my-mail-addresses">
          {account.addresses.map((x) => <li key={x}><Name value={x} mono /></li>)}
        </ul>
      </div>
      {domain ? (
        <>
          <p className="text-sm">In the mail app, add an account by hand (IMAP) with these settings:</p>
          <ClientSettings hosts={mailHosts(domain)} user={<Name value={account.name} mono />} password="your account password" />
        </>
      ) : (
        <p className="text-sm">Your account has no address yet; ask the cell's admin.</p>
      )}
      <p className="text-xs text-slate-500">
        The device must trust the cell's certificate authority first, as “Set up your devices” explains; else the app warns about the
        servers' certificates.
      </p>
      <div className="flex flex-col gap-1 text-sm">
        <p>Your mailbox:</p>
        <QuotaBar usedBytes={account.mail_used_bytes} quotaMb={account.mail_quota_mb} label="Your mailbox" />
      </div>
    </section>
  );
}
