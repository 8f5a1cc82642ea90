/* Every account's aliases (GET /api/email/aliases), one given to an
 * account (POST) or taken away (DELETE /api/email/aliases/{alias}): mail
 * to it arrives, or is refused, from the next message on. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../../api/client";
import { ApiError } from "../../api/errors";
import { accountsKey, meKey } from "../accounts/api";

export type MailAlias = Schemas["MailAlias"];

export const mailAliasesKey = ["email", "aliases"] as const;

export function useMailAliases() {
  return useQuery({ queryKey: mailAliasesKey, queryFn: async () => (await unwrap(api.GET("/api/email/aliases"))).aliases });
}

/* An account's aliases are on its own page too. */
function invalidate(qc: ReturnType<typeof useQueryClient>) {
  void qc.invalidateQueries({ queryKey: mailAliasesKey });
  void qc.invalidateQueries({ queryKey: accountsKey });
  void qc.invalidateQueries({ queryKey: meKey });
}

export function useAddMailAlias() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { alias: string; user: string }) => unwrap(api.POST("/api/email/aliases", { body })),
    onSuccess: () => invalidate(qc),
  });
}

/* A 404 means it went meanwhile: what was wanted, so not an error. */
export function useRemoveMailAlias() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (alias: string) => {
      try {
        await unwrap(api.DELETE("/api/email/aliases/{alias}", { params: { path: { alias } } }));
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
    },
    onSuccess: () => invalidate(qc),
  });
}
