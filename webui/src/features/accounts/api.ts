/* Cell accounts (GET/POST /api/users, GET/PUT/DELETE /api/users/{name})
 * for the admin, the data deleted accounts left (GET/DELETE
 * /api/users/orphans), and the logged-in account's own (GET /api/me). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../../api/client";

export type Account = Schemas["Account"];
export type AccountCreate = Schemas["AccountCreate"];
export type AccountPatch = Schemas["AccountPatch"];
export type AccountService = Account["services"][number];
export type Orphan = Schemas["Orphan"];

/* In the order the API lists them. */
export const SERVICES: { id: AccountService; label: string }[] = [
  { id: "mail", label: "Mail" },
  { id: "calendar", label: "Calendar & contacts" },
  { id: "files", label: "Files" },
];
export const ALL_SERVICES: AccountService[] = SERVICES.map((s) => s.id);

export const accountsKey = ["users"] as const;
export const meKey = ["me"] as const;
/* Not under accountsKey, so that an edit's cancelQueries there does not
 * cancel this list's fetch; deleting an account refreshes it instead. */
export const orphansKey = ["orphans"] as const;

export function useAccounts() {
  return useQuery({ queryKey: accountsKey, queryFn: async () => (await unwrap(api.GET("/api/users"))).users });
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: () => unwrap(api.GET("/api/me")) });
}

export function useOrphans() {
  return useQuery({ queryKey: orphansKey, queryFn: async () => (await unwrap(api.GET("/api/users/orphans"))).orphans });
}

/* DELETE /api/users/orphans/{id}. The data goes in the background and
 * the list no longer has it at once, so it leaves the cache at once too. */
export function useDeleteOrphan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/users/orphans/{id}", { params: { path: { id } } })),
    onSuccess: (_r, id) => {
      qc.setQueryData<Orphan[]>(orphansKey, (old) => old?.filter((o) => o.id !== id));
      void qc.invalidateQueries({ queryKey: orphansKey });
    },
  });
}

/* The services ticked, in the API's order, each once. */
export function orderedServices(ticked: readonly string[]): AccountService[] {
  return ALL_SERVICES.filter((s) => ticked.includes(s));
}

/* PUT /api/users/{name}. A change shows in the list at once; a refusal
 * puts the account back as it was. A password is never kept in the list. */
export function useUpdateAccount(name: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AccountPatch) => unwrap(api.PUT("/api/users/{name}", { params: { path: { name } }, body })),
    onMutate: async (body) => {
      await qc.cancelQueries({ queryKey: accountsKey });
      const before = qc.getQueryData<Account[]>(accountsKey);
      const { password: _password, ...shown } = body;
      qc.setQueryData<Account[]>(accountsKey, (old) => old?.map((a) => (a.name === name ? { ...a, ...shown } : a)));
      return { before };
    },
    onError: (_e, _body, ctx) => {
      if (ctx?.before) qc.setQueryData(accountsKey, ctx.before);
    },
    onSuccess: (a) => {
      qc.setQueryData<Account[]>(accountsKey, (old) => old?.map((x) => (x.name === name ? a : x)));
    },
  });
}

/* The fields of `next` that differ from `account`: what a PUT sends. */
export function accountChanges(account: Account, next: Required<Omit<AccountPatch, "password">>): AccountPatch {
  const out: AccountPatch = {};
  if (next.display_name !== account.display_name) out.display_name = next.display_name;
  if (next.services.join() !== orderedServices(account.services).join()) out.services = next.services;
  if (next.mail_quota_mb !== account.mail_quota_mb) out.mail_quota_mb = next.mail_quota_mb;
  if (next.aliases.join() !== account.aliases.join()) out.aliases = next.aliases;
  if (next.disabled !== account.disabled) out.disabled = next.disabled;
  return out;
}
