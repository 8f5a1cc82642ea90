/* The cell's mail service for the admin: its state and counts (GET
 * /api/email/status), postfix's queue (GET /api/email/queue), with
 * "try everything now" and deleting one message, and how mail for other
 * servers leaves (GET and PUT /api/email/config), and the domains the
 * cell takes mail for, each with the DNS records it needs (GET, POST and
 * DELETE /api/email/domains). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../../api/client";
import { ApiError } from "../../api/errors";
import { accountsKey, meKey } from "../accounts/api";

export type EmailStatus = Schemas["EmailStatus"];
export type QueuedMessage = Schemas["QueuedMessage"];
export type EmailConfig = Schemas["EmailConfig"];
export type Relay = NonNullable<EmailConfig["relay"]>;
export type MailDomain = Schemas["MailDomain"];
export type MailDomainRecord = MailDomain["records"][number];

/* A PUT's relay: no "password" keeps the stored one while "username" is
 * the stored one; no "port" is 587. */
export interface RelayChange {
  host: string;
  port?: number;
  username?: string;
  password?: string;
}

export const mailKey = ["email"] as const;
export const mailStatusKey = ["email", "status"] as const;
export const mailQueueKey = ["email", "queue"] as const;
export const emailConfigKey = ["email", "config"] as const;
export const mailDomainsKey = ["email", "domains"] as const;

/* 503 not_running: postfix is stopped, which is a state to explain, not a fault. */
export function isNotRunning(e: unknown): boolean {
  return e instanceof ApiError && (e.code === "not_running" || e.status === 503);
}

/* Both are polled while the page is open, so the next poll is the retry. */
export function useMailStatus(refetchInterval = 5_000) {
  return useQuery({ queryKey: mailStatusKey, queryFn: () => unwrap(api.GET("/api/email/status")), refetchInterval, retry: false });
}

export function useMailQueue(refetchInterval = 5_000) {
  return useQuery({ queryKey: mailQueueKey, queryFn: () => unwrap(api.GET("/api/email/queue")), refetchInterval, retry: false });
}

/* POST /api/email/queue/flush: postfix only starts trying; the polls show what came of it. */
export function useFlushQueue() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/email/queue/flush")),
    onSuccess: () => void qc.invalidateQueries({ queryKey: mailKey }),
  });
}

/* DELETE /api/email/queue/{id}. A 404 means the message left the queue
 * meanwhile (delivered, or deleted elsewhere): what was wanted, so not an error. */
export function useDeleteMessage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      try {
        await unwrap(api.DELETE("/api/email/queue/{id}", { params: { path: { id } } }));
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
    },
    onSuccess: (_r, id) => {
      qc.setQueryData<{ messages: QueuedMessage[]; total: number }>(mailQueueKey, (old) => {
        if (!old) return old;
        const messages = old.messages.filter((m) => m.id !== id);
        return { messages, total: old.total - (old.messages.length - messages.length) };
      });
      void qc.invalidateQueries({ queryKey: mailKey });
    },
  });
}

/* Direct delivery ({"relay": null}) or the relay host; never a password. */
export function useEmailConfig() {
  return useQuery({ queryKey: emailConfigKey, queryFn: () => unwrap(api.GET("/api/email/config")) });
}

/* PUT /api/email/config: the answer is the settings now, as GET gives them. */
export function useSaveEmailConfig() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (relay: RelayChange | null) => unwrap(api.PUT("/api/email/config", { body: { relay } })),
    onSuccess: (c) => qc.setQueryData(emailConfigKey, c),
  });
}

/* The cell zone first, then the extra domains, each with its records. */
export function useMailDomains() {
  return useQuery({ queryKey: mailDomainsKey, queryFn: async () => (await unwrap(api.GET("/api/email/domains"))).domains });
}

/* Every account with mail has an address more per domain: their lists are stale. */
function invalidateAddresses(qc: ReturnType<typeof useQueryClient>) {
  void qc.invalidateQueries({ queryKey: mailDomainsKey });
  void qc.invalidateQueries({ queryKey: accountsKey });
  void qc.invalidateQueries({ queryKey: meKey });
}

/* POST /api/email/domains: the answer is the new domain with its records. */
export function useAddMailDomain() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (domain: string) => unwrap(api.POST("/api/email/domains", { body: { domain } })),
    onSuccess: (d) => {
      qc.setQueryData<MailDomain[]>(mailDomainsKey, (old) => (old && !old.some((x) => x.domain === d.domain) ? [...old, d] : old));
      invalidateAddresses(qc);
    },
  });
}

/* DELETE /api/email/domains/{domain}. A 404 means it went meanwhile
 * (removed elsewhere): what was wanted, so not an error. */
export function useRemoveMailDomain() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (domain: string) => {
      try {
        await unwrap(api.DELETE("/api/email/domains/{domain}", { params: { path: { domain } } }));
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
    },
    onSuccess: (_r, domain) => {
      qc.setQueryData<MailDomain[]>(mailDomainsKey, (old) => old?.filter((d) => d.domain !== domain));
      invalidateAddresses(qc);
    },
  });
}
