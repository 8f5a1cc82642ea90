import type { Config } from "../features/config/api";
import type { Access } from "../features/access/api";
import type { Account, Orphan } from "../features/accounts/api";
import type { EmailConfig, EmailStatus, MailDomain, QueuedMessage, Relay } from "../features/mail/api";
import type { Session } from "../auth/session";

/* A configuration document as GET /api/config answers it. */
export function configFixture(over: Partial<Config> = {}): Config {
  return {
    cell_name: "mycell",
    domain: "cell",
    ip_range: "172.20.0.0/16",
    vpn_subnet: "10.0.0.0/24",
    wireguard_port: 51820,
    endpoint: null,
    addresses: { host: "172.20.0.1", dns: "172.20.0.2", dhcp: "172.20.0.3", ntp: "172.20.0.4", vpn: "172.20.0.5", proxy: "172.20.0.6", mail: "172.20.0.7", dav: "172.20.0.8", files: "172.20.0.9", webui: "172.20.0.10" },
    virtual_ips: { calendar: "172.20.0.20", files: "172.20.0.21", mail: "172.20.0.22", webui: "172.20.0.23" },
    vpn: { server: "10.0.0.1" },
    published: [
      { service: "dns", protocols: ["tcp", "udp"], ports: [53], to: "172.20.0.2" },
      { service: "ntp", protocols: ["udp"], ports: [123], to: "172.20.0.4" },
      { service: "webui", protocols: ["tcp"], ports: [80, 443], to: "172.20.0.6" },
      { service: "mail", protocols: ["tcp"], ports: [25, 465, 587, 143, 993, 4190], to: "172.20.0.7" },
    ],
    pending: [],
    ...over,
  };
}

/* GET /api/access as a cell on 192.168.77.1 named picbox answers it. */
export function accessFixture(over: Partial<Access> = {}): Access {
  return {
    https: [
      { url: "https://192.168.77.1/", kind: "lan_address" },
      { url: "https://picbox/", kind: "host_name" },
      { url: "https://picbox.local/", kind: "host_name" },
      { url: "https://mycell.cell/", kind: "cell_zone" },
    ],
    ca: { url: "/api/vault/ca.crt", sha256: "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9" },
    uncovered: [{ host: "203.0.113.5", reason: "a public address: the cell's root CA vouches only for private (RFC 1918) addresses" }],
    ...over,
  };
}

/* A cell account as GET /api/users lists it, in the zone mycell.cell,
 * its mailbox holding 1.2 MiB of its 1 GiB. */
export function accountFixture(over: Partial<Account> = {}): Account {
  const name = over.name ?? "alice";
  const aliases = over.aliases ?? ["asmith"];
  return {
    name,
    display_name: "Alice Smith",
    services: ["mail", "calendar", "files"],
    mail_quota_mb: 1024,
    mail_used_bytes: 1_258_291,
    aliases,
    addresses: [name, ...aliases].map((a) => `${a}@mycell.cell`),
    disabled: false,
    created_at: 1_700_000_000,
    updated_at: 1_700_000_000,
    ...over,
  };
}

/* Data alice left when deleted (without purge) on 14 Nov 2023. */
export function orphanFixture(over: Partial<Orphan> = {}): Orphan {
  const name = over.name ?? "alice";
  const deleted_at = over.deleted_at ?? 1_700_000_000;
  return { id: `${name}.${deleted_at}`, name, deleted_at, mail: { bytes: 5 * 1024 * 1024 }, ...over };
}

/* GET /api/email/status of the zone mycell.cell, both daemons running. */
export function emailStatusFixture(over: Partial<EmailStatus> = {}): EmailStatus {
  return {
    domain: "mycell.cell",
    hosts: { imap: "imap.mycell.cell", smtp: "smtp.mycell.cell" },
    services: { smtp: "running", imap: "running" },
    queue: { incoming: 0, active: 0, deferred: 1, hold: 0, total: 1 },
    counts: { since: 1_700_000_000, delivered: 42, deferred: 3, bounced: 1, rejected: 7 },
    ...over,
  };
}

/* A message postfix could not hand to another server yet. */
export function queuedMessageFixture(over: Partial<QueuedMessage> = {}): QueuedMessage {
  return {
    id: "4B2F81C0A3",
    queue: "deferred",
    arrival_time: 1_700_000_100,
    size: 2048,
    sender: "alice@mycell.cell",
    recipients: [{ address: "bob@example.org", delay_reason: "connect to mx.example.org[203.0.113.9]:25: Connection timed out" }],
    ...over,
  };
}

/* GET /api/email/config: direct delivery (null), or a relay host with a
 * login and a stored password, laid over by `relay`. */
export function emailConfigFixture(relay: Partial<Relay> | null = null): EmailConfig {
  if (relay === null) return { relay: null };
  return { relay: { host: "smtp.example.net", port: 587, username: "cellrelay", has_password: true, ...relay } };
}

/* A DKIM public key as opendkim prints it: far longer than any table cell. */
export const dkimKeyFixture =
  "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu9Xk2r0Q7cGbY1yZ0m5rVq3dJ8Lw4tHn6pS2aE1fXo7KcB9vUiR3gN0sTzDqW5jYhM8lPbA6eC1xF4oV7rK2uIyQ9wG3nJ5tL0dZ8mS6hB4aE7cR1vX3kP9oT2yW5qN8jU0fD6gM4sA1bL7eH3iC9zV2rK5wY8tQ0nJ6pX4mG1dS7aF3hB9kL2oE5vR8uI0cT6yN4qW1jZ7gM3sD9fA5bK2xH8lP0eV6rU4iO1tC7wY3nQ9mJ5gS2dL8aF4hB0kX6oE3vR9uI7cT1yN5qW2jZ8gM4sD0fA6bK3xH9lP1eV7rU5iO2tC8wQIDAQAB";

/* A mail domain as GET /api/email/domains lists it, with its MX, SPF,
 * DKIM and DMARC records. The cell zone (mycell.cell) serves them itself;
 * an extra domain's are to publish where it is hosted. */
export function mailDomainFixture(domain = "example.org", over: Partial<MailDomain> = {}): MailDomain {
  const zone = domain === "mycell.cell";
  return {
    domain,
    cell_zone: zone,
    records: [
      { name: domain, type: "MX", value: "10 smtp.mycell.cell.", published: zone },
      { name: domain, type: "TXT", value: "v=spf1 mx -all", published: zone },
      { name: `pic._domainkey.${domain}`, type: "TXT", value: `v=DKIM1; k=rsa; p=${dkimKeyFixture}`, published: zone },
      { name: `_dmarc.${domain}`, type: "TXT", value: `v=DMARC1; p=quarantine; rua=mailto:postmaster@${domain}`, published: zone },
    ],
    ...over,
  };
}

/* GET /api/auth/session for a browser session of `role`. */
export function sessionFixture(role: Session["role"], username = role === "admin" ? "admin" : "alice"): Session {
  return { username, auth: "session", csrf_token: "csrf-1", expires_at: 1_900_000_000, role };
}
