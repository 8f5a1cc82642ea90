/* Deleting an account asks what becomes of its data (mailbox, calendars,
 * files): kept by default (DELETE /api/users/{name}), or deleted with it
 * (?purge=true), which cannot be undone. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { ConfirmDialog } from "../../components/Dialog";
import { accountsKey, orphansKey, type Account } from "./api";

export function DeleteAccountDialog({ account, onClose, onDeleted }: { account: Account | null; onClose: () => void; onDeleted?: () => void }) {
  const qc = useQueryClient();
  const [purge, setPurge] = useState(false);
  const name = account?.name ?? "";
  const del = useMutation({
    mutationFn: (v: { name: string; purge: boolean }) => unwrap(api.DELETE("/api/users/{name}", { params: { path: { name: v.name }, query: { purge: v.purge } } })),
    onSuccess: (_r, v) => {
      qc.setQueryData<Account[]>(accountsKey, (old) => old?.filter((a) => a.name !== v.name));
      void qc.invalidateQueries({ queryKey: accountsKey });
      /* Kept data is listed under Orphaned data from now on. */
      if (!v.purge) void qc.invalidateQueries({ queryKey: orphansKey });
      close();
      onDeleted?.();
    },
  });
  function close() {
    setPurge(false);
    del.reset();
    onClose();
  }
  return (
    <ConfirmDialog
      open={account !== null}
      title={`Delete the account ${name}?`}
      confirmLabel={purge ? "Delete account and data" : "Delete account"}
      busy={del.isPending}
      onClose={close}
      onConfirm={() => del.mutate({ name, purge })}
    >
      <p>{name} can no longer log in, and {account?.addresses[0] ?? name} stops being an address of the cell.</p>
      <fieldset className="mt-3 flex flex-col gap-2" data-testid="delete-account-choice">
        <legend className="mb-1 font-medium">The account's mail, calendars and files</legend>
        <label className="flex items-start gap-2">
          <input type="radio" name="purge" className="mt-1" checked={!purge} onChange={() => setPurge(false)} data-testid="delete-account-keep" />
          <span>
            <span className="font-medium">Keep the account's data</span>
            <span className="block text-xs text-slate-500">The mailbox, calendars and files stay on the cell.</span>
          </span>
        </label>
        <label className="flex items-start gap-2">
          <input type="radio" name="purge" className="mt-1" checked={purge} onChange={() => setPurge(true)} data-testid="delete-account-purge" />
          <span>
            <span className="font-medium">Delete the data too (purge)</span>
            <span className="block text-xs text-red-700 dark:text-red-400">The mailbox, calendars and files are gone for good.</span>
          </span>
        </label>
      </fieldset>
      {del.error && <p role="alert" className="mt-2 text-red-700 dark:text-red-400">{errorMessage(del.error)}</p>}
    </ConfirmDialog>
  );
}
