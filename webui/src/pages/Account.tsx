/* The admin's own account: password, and API tokens for scripts. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, unwrap, type Schemas } from "../api/client";
import { errorMessage, fieldError } from "../api/errors";
import { ConfirmDialog } from "../components/Dialog";
import { CopyButton } from "../components/CopyButton";
import { Field } from "../components/Field";
import { PasswordCard } from "../auth/PasswordCard";
import { Name } from "../components/Name";
import { Empty, QueryView } from "../components/states";
import { formatAgo, formatTime } from "../lib/time";

type Token = Schemas["Token"];
const tokensKey = ["tokens"] as const;

function TokensCard() {
  const qc = useQueryClient();
  const tokens = useQuery({ queryKey: tokensKey, queryFn: async () => (await unwrap(api.GET("/api/auth/tokens"))).tokens });
  const { register, handleSubmit, reset } = useForm<{ name: string }>();
  const [revoking, setRevoking] = useState<Token | null>(null);
  const create = useMutation({
    mutationFn: (f: { name: string }) => unwrap(api.POST("/api/auth/tokens", { body: { name: f.name } })),
    onSuccess: () => {
      reset({ name: "" });
      void qc.invalidateQueries({ queryKey: tokensKey });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE("/api/auth/tokens/{id}", { params: { path: { id } } })),
    onSuccess: () => {
      setRevoking(null);
      void qc.invalidateQueries({ queryKey: tokensKey });
    },
  });
  return (
    <section className="card flex flex-col gap-3" aria-label="API tokens">
      <h2 className="font-semibold">API tokens</h2>
      <p className="text-sm text-slate-600 dark:text-slate-300">For scripts: send <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>.</p>
      <form className="flex flex-wrap items-end gap-2" noValidate onSubmit={handleSubmit((f) => create.mutate(f))}>
        <div className="min-w-0 flex-1">
          <Field label="New token's name" error={fieldError(create.error, "name")}>
            <input className="input" maxLength={64} placeholder="backup script" {...register("name", { required: true })} />
          </Field>
        </div>
        <button type="submit" className="btn-primary" disabled={create.isPending}>Create token</button>
      </form>
      {create.error && !fieldError(create.error, "name") && <p role="alert" className="text-sm text-red-700">{errorMessage(create.error)}</p>}
      {create.data && (
        <div role="status" className="flex flex-col gap-2 rounded-md border border-teal-300 bg-teal-50 p-3 text-sm dark:border-teal-800 dark:bg-teal-950">
          <p>Token “{create.data.name}” — copy it now, it is not shown again:</p>
          <div className="flex min-w-0 items-center gap-2">
            <code className="min-w-0 flex-1 truncate font-mono text-xs" title={create.data.token} data-testid="new-token">{create.data.token}</code>
            <CopyButton text={create.data.token} />
          </div>
        </div>
      )}
      <QueryView query={tokens}>
        {(list) =>
          list.length === 0 ? (
            <Empty>No API tokens.</Empty>
          ) : (
            <table className="table">
              <thead><tr><th>Name</th><th className="w-40">Created</th><th className="w-28">Last used</th><th className="w-24"><span className="sr-only">Actions</span></th></tr></thead>
              <tbody>
                {list.map((t) => (
                  <tr key={t.id}>
                    <td><Name value={t.name} /></td>
                    <td className="text-xs">{formatTime(t.created_at)}</td>
                    <td className="text-xs">{formatAgo(t.last_used_at)}</td>
                    <td><button type="button" className="btn-secondary" onClick={() => setRevoking(t)}>Revoke</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
      <ConfirmDialog open={revoking !== null} title={`Revoke token “${revoking?.name ?? ""}”?`} confirmLabel="Revoke" busy={revoke.isPending} onClose={() => setRevoking(null)} onConfirm={() => revoking && revoke.mutate(revoking.id)}>
        Scripts using it stop working at once.
        {revoke.error && <p role="alert" className="mt-2 text-red-700">{errorMessage(revoke.error)}</p>}
      </ConfirmDialog>
    </section>
  );
}

export function Page() {
  return (
    <>
      <h1 className="text-xl font-semibold">Account</h1>
      <PasswordCard />
      <TokensCard />
    </>
  );
}
