/* What deleted accounts left behind: an account deleted without its data
 * keeps its mailbox on the cell until the admin deletes it here. Shown
 * only when there is some (or when the list cannot be read). */
import { useState } from "react";
import { errorMessage } from "../../api/errors";
import { ConfirmDialog } from "../../components/Dialog";
import { Name } from "../../components/Name";
import { ErrorNote } from "../../components/states";
import { formatBytes, formatTime } from "../../lib/time";
import { useDeleteOrphan, useOrphans, type Orphan } from "./api";

export function OrphansCard() {
  const orphans = useOrphans();
  const del = useDeleteOrphan();
  const [deleting, setDeleting] = useState<Orphan | null>(null);
  function close() {
    setDeleting(null);
    del.reset();
  }
  const list = orphans.data ?? [];
  if (!orphans.error && list.length === 0) return null;
  return (
    <section className="card flex flex-col gap-3" aria-label="Orphaned data" data-testid="orphans">
      <h2 className="font-semibold">Orphaned data</h2>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Accounts deleted with their data kept left these mailboxes on the cell. A new account with the same name starts empty: it does
        not get them back.
      </p>
      {orphans.error ? (
        <ErrorNote error={orphans.error} onRetry={() => void orphans.refetch()} />
      ) : (
        <div className="overflow-x-auto">
          <table className="table min-w-[28rem]" aria-label="Orphaned data">
            <thead>
              <tr>
                <th>Name</th>
                <th className="w-48">Deleted</th>
                <th className="w-24">Mail</th>
                <th className="w-24"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {list.map((o) => (
                <tr key={o.id} data-testid={`orphan-row-${o.id}`} aria-label={o.id}>
                  <td><Name value={o.name} /></td>
                  <td className="text-xs">{formatTime(o.deleted_at)}</td>
                  <td className="text-xs">{formatBytes(o.mail.bytes)}</td>
                  <td className="text-right">
                    <button type="button" className="btn-secondary" aria-label={`Delete the data of ${o.name}, deleted ${formatTime(o.deleted_at)}`} data-testid={`orphan-delete-${o.id}`} onClick={() => setDeleting(o)}>Delete</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete the data ${deleting?.name ?? ""} left?`}
        confirmLabel="Delete for good"
        busy={del.isPending}
        onClose={close}
        onConfirm={() => deleting && del.mutate(deleting.id, { onSuccess: close })}
      >
        <p>
          The mailbox kept when the account {deleting?.name} was deleted ({formatTime(deleting?.deleted_at)}, {formatBytes(deleting?.mail.bytes)}) is
          removed for good. This cannot be undone.
        </p>
        {del.error && <p role="alert" className="mt-2 text-red-700 dark:text-red-400">{errorMessage(del.error)}</p>}
      </ConfirmDialog>
    </section>
  );
}
