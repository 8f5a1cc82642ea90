/* The cell's mail: whether postfix and dovecot run, what to give mail
 * clients, what came of delivery since picd started, and postfix's queue
 * (retry everything now, delete one message). Both are polled every 5 s
 * while the page is open. Below them, how mail for other servers leaves
 * (direct or a relay host): picd's settings, so shown while postfix is
 * stopped too. So are the mail domains, between the status and the queue:
 * the cell zone and the extra ones, with the DNS records each needs. */
import { useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "../api/errors";
import { ConfirmDialog } from "../components/Dialog";
import { Name } from "../components/Name";
import { Empty, QueryView } from "../components/states";
import { ClientSettings } from "../features/mail/ClientSettings";
import { MailAliasesCard } from "../features/mail/MailAliasesCard";
import { MailDomainsCard } from "../features/mail/MailDomainsCard";
import { OutgoingMailCard } from "../features/mail/OutgoingMailCard";
import { isNotRunning, useDeleteMessage, useFlushQueue, useMailQueue, useMailStatus, type EmailStatus, type QueuedMessage } from "../features/mail/api";
import { formatBytes, formatTime } from "../lib/time";

function stateTone(state: string): string {
  if (state === "running") return "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300";
  if (state === "failed") return "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300";
  return "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300";
}

function Status({ s }: { s: EmailStatus }) {
  const counts = [
    { label: "Delivered", value: s.counts.delivered },
    { label: "Deferred", value: s.counts.deferred },
    { label: "Bounced", value: s.counts.bounced },
    { label: "Rejected", value: s.counts.rejected },
  ];
  const queues = [
    { label: "Incoming", value: s.queue.incoming },
    { label: "Active", value: s.queue.active },
    { label: "Deferred", value: s.queue.deferred },
    { label: "Hold", value: s.queue.hold },
  ];
  return (
    <>
      <dl className="grid grid-cols-[minmax(0,9rem)_1fr] gap-x-3 gap-y-2 text-sm">
        <dt className="text-slate-500">SMTP (postfix)</dt>
        <dd><span className={`badge ${stateTone(s.services.smtp)}`} data-testid="mail-state-smtp">{s.services.smtp}</span></dd>
        <dt className="text-slate-500">IMAP (dovecot)</dt>
        <dd><span className={`badge ${stateTone(s.services.imap)}`} data-testid="mail-state-imap">{s.services.imap}</span></dd>
        <dt className="text-slate-500">Addresses</dt>
        <dd className="min-w-0"><Name value={`<name>@${s.domain}`} mono /></dd>
      </dl>
      <div className="flex flex-col gap-2">
        <h3 className="text-sm font-semibold">For mail clients</h3>
        <ClientSettings hosts={s.hosts} user="the account's name" password="the account's password" />
        <p className="text-xs text-slate-500">
          Each device must trust the cell's certificate authority first; an account's own page (My account) shows its fingerprint and how to install it.
        </p>
      </div>
      <div className="flex flex-col gap-2">
        <h3 className="text-sm font-semibold">Since {formatTime(s.counts.since)}</h3>
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" aria-label="Counts" data-testid="mail-counts">
          {counts.map((c) => (
            <div key={c.label}><dt className="text-slate-500">{c.label}</dt><dd>{c.value}</dd></div>
          ))}
        </dl>
      </div>
      <div className="flex flex-col gap-2">
        <h3 className="text-sm font-semibold">In the queue: {s.queue.total}</h3>
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" aria-label="Queue by state" data-testid="mail-queue-counts">
          {queues.map((c) => (
            <div key={c.label}><dt className="text-slate-500">{c.label}</dt><dd>{c.value}</dd></div>
          ))}
        </dl>
      </div>
    </>
  );
}

function MessageRow({ m, onDelete }: { m: QueuedMessage; onDelete: () => void }) {
  return (
    <tr data-testid={`queue-row-${m.id}`} aria-label={`Message ${m.id}`}>
      <td><Name value={m.id} mono /></td>
      <td className="text-xs">{m.queue}</td>
      <td className="text-xs">{formatTime(m.arrival_time)}</td>
      <td className="text-xs">{formatBytes(m.size)}</td>
      {/* Postfix's own bounces have the empty sender. */}
      <td><Name value={m.sender || "<> (a bounce)"} mono /></td>
      <td>
        <ul aria-label={`Recipients of ${m.id}`} className="flex flex-col gap-1">
          {m.recipients.map((r, i) => (
            <li key={`${r.address}-${i}`} className="min-w-0">
              <Name value={r.address} mono />
              {r.delay_reason && <span className="block text-xs break-words text-amber-800 dark:text-amber-300">{r.delay_reason}</span>}
            </li>
          ))}
        </ul>
      </td>
      <td className="text-right">
        <button type="button" className="btn-secondary" aria-label={`Delete message ${m.id}`} data-testid={`queue-delete-${m.id}`} onClick={onDelete}>Delete</button>
      </td>
    </tr>
  );
}

function Queue({ queue }: { queue: ReturnType<typeof useMailQueue> }) {
  const flush = useFlushQueue();
  const del = useDeleteMessage();
  const [deleting, setDeleting] = useState<QueuedMessage | null>(null);
  function close() {
    setDeleting(null);
    del.reset();
  }
  return (
    <section className="card flex flex-col gap-3" aria-label="Queue">
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="mr-auto font-semibold">Queue</h2>
        <button type="button" className="btn-secondary" disabled={flush.isPending} onClick={() => flush.mutate()}>Retry all now</button>
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Mail for other servers waits here when the cell cannot reach them, and postfix tries again by itself. Whether it goes
        through a relay host is set under <a className="underline" href="#outgoing-mail">Outgoing mail</a>.
      </p>
      {flush.isSuccess && <p role="status" className="text-sm text-teal-700 dark:text-teal-400">Postfix is trying every message now.</p>}
      {flush.error && <p role="alert" className="text-sm text-red-700 dark:text-red-400">{errorMessage(flush.error)}</p>}
      <QueryView query={queue}>
        {(q) =>
          q.messages.length === 0 ? (
            <Empty>The queue is empty.</Empty>
          ) : (
            <>
              <div className="overflow-x-auto">
                {/* Narrower than this the table scrolls sideways: ids and addresses stay readable. */}
                <table className="table min-w-[52rem]" aria-label="Queued messages" data-testid="queue-table">
                  <thead>
                    <tr>
                      <th className="w-28">ID</th>
                      <th className="w-20">Queue</th>
                      <th className="w-40">Arrival</th>
                      <th className="w-20">Size</th>
                      <th className="w-[22%]">Sender</th>
                      <th>Recipients</th>
                      <th className="w-24"><span className="sr-only">Actions</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    {q.messages.map((m) => <MessageRow key={m.id} m={m} onDelete={() => setDeleting(m)} />)}
                  </tbody>
                </table>
              </div>
              {q.total > q.messages.length && <p className="text-xs text-slate-500">The first {q.messages.length} of {q.total} messages.</p>}
            </>
          )
        }
      </QueryView>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete message ${deleting?.id ?? ""}?`}
        confirmLabel="Delete message"
        busy={del.isPending}
        onClose={close}
        onConfirm={() => deleting && del.mutate(deleting.id, { onSuccess: close })}
      >
        <p>
          From {deleting?.sender || "<>"} to {deleting?.recipients.map((r) => r.address).join(", ")}. It is not delivered, and its
          sender is not told. This cannot be undone.
        </p>
        {del.error && <p role="alert" className="mt-2 text-red-700 dark:text-red-400">{errorMessage(del.error)}</p>}
      </ConfirmDialog>
    </section>
  );
}

/* What 503 not_running means here, in place of the status and the queue. */
function NotRunning() {
  return (
    <section className="card flex flex-col gap-2" aria-label="Mail service stopped" data-testid="mail-not-running">
      <h2 className="font-semibold">The mail service is not running</h2>
      <p className="text-sm">
        Postfix, the cell's mail server, is stopped: no mail comes in or goes out, and there is no status or queue to show. Start it
        on the <Link className="underline" to="/services">Services</Link> page; this page shows the mail again once it runs.
      </p>
    </section>
  );
}

export function Page() {
  const status = useMailStatus();
  const queue = useMailQueue();
  const stopped = isNotRunning(status.error) || isNotRunning(queue.error);
  return (
    <>
      <h1 className="text-xl font-semibold">Mail</h1>
      {stopped ? (
        <NotRunning />
      ) : (
        <section className="card flex flex-col gap-3" aria-label="Mail status">
          <h2 className="font-semibold">Status</h2>
          <QueryView query={status}>{(s) => <Status s={s} />}</QueryView>
        </section>
      )}
      <MailDomainsCard />
      <MailAliasesCard />
      {!stopped && <Queue queue={queue} />}
      <OutgoingMailCard />
    </>
  );
}
