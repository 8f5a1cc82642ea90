/* The cell's accounts: people with mail, calendar and files. Services
 * switch on and off from the list; the rest is in each account's dialog.
 * Below, the mailboxes deleted accounts left, when there are any. */
import { useState } from "react";
import { errorMessage, fieldError } from "../api/errors";
import { Name } from "../components/Name";
import { QuotaBar } from "../components/QuotaBar";
import { Empty, QueryView } from "../components/states";
import { AccountDialog } from "../features/accounts/AccountDialog";
import { AddAccountDialog } from "../features/accounts/AddAccountDialog";
import { DeleteAccountDialog } from "../features/accounts/DeleteAccountDialog";
import { OrphansCard } from "../features/accounts/OrphansCard";
import { SERVICES, orderedServices, useAccounts, useUpdateAccount, type Account, type AccountService } from "../features/accounts/api";
import { formatQuota } from "../features/accounts/rules";

function AccountRow({ account, onOpen, onDelete }: { account: Account; onOpen: () => void; onDelete: () => void }) {
  const update = useUpdateAccount(account.name);
  const toggle = (id: AccountService, on: boolean) => {
    const next = on ? [...account.services, id] : account.services.filter((s) => s !== id);
    update.mutate({ services: orderedServices(next) });
  };
  return (
    <>
      <tr data-testid={`account-row-${account.name}`} aria-label={account.name}>
        <td>
          <button type="button" className="block w-full min-w-0 text-left font-medium text-teal-800 hover:underline dark:text-teal-300" onClick={onOpen}>
            <Name value={account.name} />
          </button>
        </td>
        <td className="hidden sm:table-cell"><Name value={account.display_name || "—"} /></td>
        <td className="hidden md:table-cell">
          <ul aria-label={`Addresses of ${account.name}`}>
            {account.addresses.map((a) => <li key={a}><Name value={a} mono /></li>)}
          </ul>
        </td>
        {SERVICES.map((s) => (
          <td key={s.id} className="text-center">
            <input
              type="checkbox"
              aria-label={`${s.label} for ${account.name}`}
              data-testid={`account-${account.name}-service-${s.id}`}
              checked={account.services.includes(s.id)}
              disabled={update.isPending}
              onChange={(e) => toggle(s.id, e.target.checked)}
            />
          </td>
        ))}
        {/* Without mail there is no mailbox to measure: the quota only. */}
        <td className="hidden text-xs sm:table-cell">
          {account.services.includes("mail") ? (
            <QuotaBar usedBytes={account.mail_used_bytes} quotaMb={account.mail_quota_mb} label={`Mailbox of ${account.name}`} />
          ) : (
            formatQuota(account.mail_quota_mb)
          )}
        </td>
        <td>
          <span data-testid={`account-state-${account.name}`} className={`badge ${account.disabled ? "bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300" : "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300"}`}>
            {account.disabled ? "disabled" : "active"}
          </span>
        </td>
        <td>
          <div className="flex flex-wrap justify-end gap-1">
            <button type="button" className="btn-secondary" aria-label={`Edit ${account.name}`} data-testid={`account-edit-${account.name}`} onClick={onOpen}>Edit</button>
            <button type="button" className="btn-secondary" aria-label={`Delete ${account.name}`} data-testid={`account-delete-${account.name}`} onClick={onDelete}>Delete</button>
          </div>
        </td>
      </tr>
      {update.error && (
        <tr>
          <td colSpan={9} role="alert" className="text-xs text-red-700 dark:text-red-400">
            {account.name}: {fieldError(update.error, "services") ?? errorMessage(update.error)}
          </td>
        </tr>
      )}
    </>
  );
}

export function Page() {
  const accounts = useAccounts();
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Account | null>(null);
  const current = open ? accounts.data?.find((a) => a.name === open) : undefined;

  return (
    <>
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-auto text-xl font-semibold">Accounts</h1>
        <button type="button" className="btn-primary" data-testid="add-account" onClick={() => setAdding(true)}>Add account</button>
      </div>
      <section className="card flex flex-col gap-3" aria-label="Accounts">
        <p className="text-sm text-slate-600 dark:text-slate-300">
          One name and password per person, for mail, calendar & contacts, files and webmail.
        </p>
        <QueryView query={accounts}>
          {(list) =>
            list.length === 0 ? (
              <Empty>No accounts yet. Add one to give a person mail, calendar and files on the cell.</Empty>
            ) : (
              <div className="overflow-x-auto">
                {/* Narrower than this the table scrolls sideways: the name stays readable. */}
                <table className="table min-w-[44rem]" aria-label="Accounts" data-testid="accounts-table">
                  <thead>
                    <tr>
                      <th className="w-[14%] min-w-28">Name</th>
                      <th className="hidden w-[18%] sm:table-cell">Display name</th>
                      <th className="hidden w-[24%] md:table-cell">Addresses</th>
                      {SERVICES.map((s) => <th key={s.id} className="w-[4.5rem] text-center">{s.id === "calendar" ? "Calendar" : s.label}</th>)}
                      <th className="hidden w-40 sm:table-cell">Mailbox</th>
                      <th className="w-24">State</th>
                      <th className="w-40"><span className="sr-only">Actions</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((a) => (
                      <AccountRow key={a.name} account={a} onOpen={() => setOpen(a.name)} onDelete={() => setDeleting(a)} />
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </QueryView>
      </section>
      <OrphansCard />
      <AddAccountDialog open={adding} onClose={() => setAdding(false)} />
      {current && <AccountDialog key={current.name} account={current} onClose={() => setOpen(null)} />}
      <DeleteAccountDialog account={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
