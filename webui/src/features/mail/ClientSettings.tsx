/* What a mail client is set up with: the servers, ports and security
 * picd publishes (IMAP and ManageSieve on imap.<zone>, submission on
 * smtp.<zone>), and whose name and password it logs in with. Shown to
 * the admin on the Mail page and to each account on its own page. */
import type { ReactNode } from "react";

export interface MailHosts {
  imap: string;
  smtp: string;
}

/* Either port works; a client's "SSL/TLS" is the first, "STARTTLS" the second. */
export const IMAP_PORTS = [{ port: 993, security: "SSL/TLS" }, { port: 143, security: "STARTTLS" }] as const;
export const SMTP_PORTS = [{ port: 465, security: "SSL/TLS" }, { port: 587, security: "STARTTLS" }] as const;
export const SIEVE_PORT = 4190;

/* The servers of the zone `domain` ("mycell.cell" → imap.mycell.cell). */
export function mailHosts(domain: string): MailHosts {
  return { imap: `imap.${domain}`, smtp: `smtp.${domain}` };
}

/* The domain of an address ("alice@mycell.cell" → "mycell.cell"); null without one. */
export function domainOf(address: string | undefined): string | null {
  const at = address?.lastIndexOf("@") ?? -1;
  const d = at >= 0 ? address!.slice(at + 1) : "";
  return d.length > 0 ? d : null;
}

function ports(list: readonly { port: number; security: string }[]): string {
  return list.map((p) => `${p.port} (${p.security})`).join(" or ");
}

export function ClientSettings({ hosts, user, password }: { hosts: MailHosts; user: ReactNode; password: ReactNode }) {
  return (
    <dl className="grid grid-cols-[minmax(0,9rem)_1fr] gap-x-3 gap-y-2 text-sm" data-testid="mail-client-settings">
      <dt className="text-slate-500">Incoming (IMAP)</dt>
      <dd className="min-w-0">
        <code className="font-mono text-xs break-all" data-testid="mail-imap-host">{hosts.imap}</code>
        <span className="block text-xs text-slate-500">port {ports(IMAP_PORTS)}</span>
      </dd>
      <dt className="text-slate-500">Outgoing (SMTP)</dt>
      <dd className="min-w-0">
        <code className="font-mono text-xs break-all" data-testid="mail-smtp-host">{hosts.smtp}</code>
        <span className="block text-xs text-slate-500">port {ports(SMTP_PORTS)}, with the same name and password</span>
      </dd>
      <dt className="text-slate-500">Filters (ManageSieve)</dt>
      <dd className="min-w-0">
        <code className="font-mono text-xs break-all">{hosts.imap}</code>
        <span className="block text-xs text-slate-500">port {SIEVE_PORT}</span>
      </dd>
      <dt className="text-slate-500">User name</dt>
      <dd className="min-w-0" data-testid="mail-user">{user}</dd>
      <dt className="text-slate-500">Password</dt>
      <dd className="min-w-0">{password}</dd>
    </dl>
  );
}
