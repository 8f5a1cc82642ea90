/* The Mail page against a stand-in API: the daemons' states, what to give
 * mail clients and the counts; the queue with its delay reasons, "Retry
 * all now", deleting one message only after confirming, the empty queue;
 * postfix stopped (503 not_running) said plainly, not as an error; and
 * outgoing mail, direct or through a relay host, whose stored password is
 * never shown and, left empty, not sent; and the mail domains, the cell
 * zone for good and extra ones added and removed, each with its records
 * and where they are to be published. */
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { beforeAll, describe, expect, it } from "vitest";
import type { EmailConfig, MailDomain, QueuedMessage, RelayChange } from "../features/mail/api";
import { makeQueryClient } from "../lib/queryClient";
import { failOnConsoleErrors } from "../test/console";
import { fakeApi, type Seen } from "../test/fakeApi";
import { dkimKeyFixture, emailConfigFixture, emailStatusFixture, mailDomainFixture, queuedMessageFixture } from "../test/fixtures";
import { Page as Mail } from "./Mail";

/* jsdom has no modal <dialog>: open and close flip the attribute. */
beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) { this.setAttribute("open", ""); };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) { this.removeAttribute("open"); };
});

failOnConsoleErrors();

function renderMail() {
  render(
    <QueryClientProvider client={makeQueryClient()}>
      <MemoryRouter>
        <Mail />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

type Reply = { status: number; body?: unknown };

/* What picd stores after a PUT of `relay` over `now`: the password stays
 * when none is sent with the stored user name. */
function stored(now: EmailConfig, relay: RelayChange | null): EmailConfig {
  if (!relay) return { relay: null };
  const username = relay.username ?? null;
  const kept = relay.password === undefined && username !== null && now.relay?.username === username && now.relay.has_password;
  return { relay: { host: relay.host, port: relay.port ?? 587, username, has_password: relay.password !== undefined || kept } };
}

const zoneDomain = () => mailDomainFixture("mycell.cell");
const zoneOnly = () => ({ status: 200, body: { domains: [zoneDomain()] } });

/* The aliases card's two lists, empty (its own behaviour is tested in the browser). */
const aliasRoutes = {
  "GET /api/email/aliases": () => ({ status: 200, body: { aliases: [] } }),
  "GET /api/users": () => ({ status: 200, body: { users: [] } }),
};

/* A postfix holding `list`, sending as `config` says, taking mail for
 * `domains`; a DELETE takes the message or the domain out, a PUT of the
 * config stores it, a POST of a domain adds it with its records. */
function mailApi(
  list: QueuedMessage[],
  over: Record<string, (r: Seen) => Reply> = {},
  config: EmailConfig = emailConfigFixture(),
  domains: MailDomain[] = [zoneDomain()],
) {
  let messages = list;
  let now = config;
  let mailDomains = domains;
  return fakeApi({
    ...aliasRoutes,
    "GET /api/email/domains": () => ({ status: 200, body: { domains: mailDomains } }),
    "POST /api/email/domains": (r) => {
      const d = mailDomainFixture((r.body as { domain: string }).domain);
      mailDomains = [...mailDomains, d];
      return { status: 201, body: d };
    },
    ...Object.fromEntries(domains.filter((d) => !d.cell_zone).map((d) => [`DELETE /api/email/domains/${d.domain}`, () => {
      mailDomains = mailDomains.filter((x) => x.domain !== d.domain);
      return { status: 204 };
    }])),
    "GET /api/email/status": () => ({ status: 200, body: emailStatusFixture() }),
    "GET /api/email/queue": () => ({ status: 200, body: { messages, total: messages.length } }),
    "POST /api/email/queue/flush": () => ({ status: 204 }),
    "GET /api/email/config": () => ({ status: 200, body: now }),
    "PUT /api/email/config": (r) => {
      now = stored(now, (r.body as { relay: RelayChange | null }).relay);
      return { status: 200, body: now };
    },
    ...Object.fromEntries(list.map((m) => [`DELETE /api/email/queue/${m.id}`, () => {
      messages = messages.filter((x) => x.id !== m.id);
      return { status: 204 };
    }])),
    ...over,
  });
}

const writes = (seen: Seen[]) => seen.filter((s) => s.method !== "GET").map((s) => `${s.method} ${s.path}`);
const notRunning = () => ({ status: 503, body: { error: { code: "not_running", message: "postfix is not running" } } });
const direct = () => ({ status: 200, body: emailConfigFixture() });

describe("status", () => {
  it("shows the daemons, the servers for clients and the counts", async () => {
    mailApi([]);
    renderMail();
    expect(screen.getByRole("heading", { name: "Mail" })).toBeInTheDocument();
    expect(await screen.findByTestId("mail-state-smtp")).toHaveTextContent("running");
    expect(screen.getByTestId("mail-state-imap")).toHaveTextContent("running");
    expect(screen.getByTestId("mail-imap-host")).toHaveTextContent("imap.mycell.cell");
    expect(screen.getByTestId("mail-smtp-host")).toHaveTextContent("smtp.mycell.cell");
    const settings = screen.getByTestId("mail-client-settings");
    expect(settings).toHaveTextContent("993 (SSL/TLS) or 143 (STARTTLS)");
    expect(settings).toHaveTextContent("465 (SSL/TLS) or 587 (STARTTLS)");
    expect(settings).toHaveTextContent("4190");
    expect(screen.getByRole("heading", { name: `Since ${new Date(1_700_000_000_000).toLocaleString()}` })).toBeInTheDocument();
    const counts = within(screen.getByTestId("mail-counts"));
    expect(counts.getByText("Delivered").nextSibling).toHaveTextContent("42");
    expect(counts.getByText("Rejected").nextSibling).toHaveTextContent("7");
  });

  it("says postfix is not running on 503, with no error", async () => {
    fakeApi({ ...aliasRoutes, "GET /api/email/status": notRunning, "GET /api/email/queue": notRunning, "GET /api/email/config": direct, "GET /api/email/domains": zoneOnly });
    renderMail();
    expect(await screen.findByRole("heading", { name: "The mail service is not running" })).toBeInTheDocument();
    expect(await screen.findByTestId("mail-domain-mycell.cell")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Services" })).toHaveAttribute("href", "/services");
    expect(await screen.findByRole("radio", { name: "Direct to each recipient's server" })).toBeChecked();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.queryByText("postfix is not running")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Retry all now" })).not.toBeInTheDocument();
  });

  it("shows other errors as they come", async () => {
    fakeApi({
      ...aliasRoutes,
      "GET /api/email/status": () => ({ status: 502, body: { error: { code: "daemon_unreachable", message: "postqueue did not answer" } } }),
      "GET /api/email/queue": () => ({ status: 200, body: { messages: [], total: 0 } }),
      "GET /api/email/config": direct,
      "GET /api/email/domains": zoneOnly,
    });
    renderMail();
    expect(await screen.findByRole("alert")).toHaveTextContent("postqueue did not answer");
  });
});

describe("the queue", () => {
  it("says when it is empty", async () => {
    mailApi([]);
    renderMail();
    expect(await screen.findByText("The queue is empty.")).toBeInTheDocument();
    const queue = screen.getByRole("region", { name: "Queue" });
    expect(within(queue).getByRole("heading", { name: "Queue" })).toBeInTheDocument();
    expect(within(queue).getByText(/waits here when the cell cannot reach them/)).toBeInTheDocument();
    expect(within(queue).getByRole("link", { name: "Outgoing mail" })).toHaveAttribute("href", "#outgoing-mail");
    expect(screen.getByRole("region", { name: "Outgoing mail" })).toHaveAttribute("id", "outgoing-mail");
  });

  it("lists each message with its recipients and why they wait", async () => {
    mailApi([
      queuedMessageFixture(),
      queuedMessageFixture({ id: "9C1D", queue: "active", sender: "", size: 3 * 1024 * 1024, recipients: [{ address: "carol@example.net" }, { address: "dave@example.net" }] }),
    ]);
    renderMail();
    const row = await screen.findByTestId("queue-row-4B2F81C0A3");
    expect(within(row).getByText("deferred")).toBeInTheDocument();
    expect(within(row).getByText("2.0 KiB")).toBeInTheDocument();
    expect(within(row).getByText(new Date(1_700_000_100_000).toLocaleString())).toBeInTheDocument();
    expect(within(row).getByText("alice@mycell.cell")).toBeInTheDocument();
    expect(within(row).getByText("bob@example.org")).toBeInTheDocument();
    expect(within(row).getByText(/Connection timed out/)).toBeInTheDocument();
    const bounce = screen.getByTestId("queue-row-9C1D");
    expect(within(bounce).getByText("<> (a bounce)")).toBeInTheDocument();
    expect(within(bounce).getByRole("list", { name: "Recipients of 9C1D" }).children).toHaveLength(2);
  });

  it("retries everything on Retry all now", async () => {
    const api = mailApi([queuedMessageFixture()]);
    renderMail();
    await screen.findByTestId("queue-row-4B2F81C0A3");
    await userEvent.click(screen.getByRole("button", { name: "Retry all now" }));
    expect(await screen.findByText("Postfix is trying every message now.")).toBeInTheDocument();
    expect(writes(api.seen)).toEqual(["POST /api/email/queue/flush"]);
    expect(api.seen.find((s) => s.method === "POST")!.body).toBeUndefined();
  });

  it("shows a refused retry", async () => {
    mailApi([], { "POST /api/email/queue/flush": () => ({ status: 502, body: { error: { code: "daemon_unreachable", message: "postqueue did not answer" } } }) });
    renderMail();
    await userEvent.click(await screen.findByRole("button", { name: "Retry all now" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("postqueue did not answer");
  });

  it("deletes a message only after confirming", async () => {
    const api = mailApi([queuedMessageFixture()]);
    renderMail();
    await userEvent.click(await screen.findByRole("button", { name: "Delete message 4B2F81C0A3" }));
    let dialog = within(screen.getByRole("dialog", { name: "Delete message 4B2F81C0A3?" }));
    expect(dialog.getByText(/not delivered, and its sender is not told/)).toBeInTheDocument();
    await userEvent.click(dialog.getByRole("button", { name: "Cancel" }));
    expect(writes(api.seen)).toEqual([]);
    expect(screen.getByTestId("queue-row-4B2F81C0A3")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Delete message 4B2F81C0A3" }));
    dialog = within(screen.getByRole("dialog", { name: "Delete message 4B2F81C0A3?" }));
    await userEvent.click(dialog.getByRole("button", { name: "Delete message" }));
    expect(await screen.findByText("The queue is empty.")).toBeInTheDocument();
    expect(writes(api.seen)).toEqual(["DELETE /api/email/queue/4B2F81C0A3"]);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("takes a message gone meanwhile (404) as deleted", async () => {
    let gone = false;
    mailApi([queuedMessageFixture()], {
      "GET /api/email/queue": () => ({ status: 200, body: gone ? { messages: [], total: 0 } : { messages: [queuedMessageFixture()], total: 1 } }),
      "DELETE /api/email/queue/4B2F81C0A3": () => {
        gone = true;
        return { status: 404, body: { error: { code: "not_found", message: "no such message" } } };
      },
    });
    renderMail();
    await userEvent.click(await screen.findByTestId("queue-delete-4B2F81C0A3"));
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Delete message" }));
    expect(await screen.findByText("The queue is empty.")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});

describe("outgoing mail", () => {
  const puts = (seen: Seen[]) => seen.filter((s) => s.method === "PUT" && s.path === "/api/email/config").map((s) => s.body);
  const refused = (status: number, message: string, field?: string) => () => ({ status, body: { error: { code: "invalid_field", message, ...(field ? { field } : {}) } } });

  async function section() {
    renderMail();
    const s = within(screen.getByRole("region", { name: "Outgoing mail" }));
    await s.findByRole("radio", { name: "Direct to each recipient's server" });
    return s;
  }

  it("is direct by default, with no relay fields", async () => {
    mailApi([]);
    const s = await section();
    expect(s.getByRole("heading", { name: "Outgoing mail" })).toBeInTheDocument();
    expect(s.getByRole("radio", { name: "Direct to each recipient's server" })).toBeChecked();
    expect(s.getByRole("radio", { name: "Through a relay host" })).not.toBeChecked();
    expect(s.getByText(/Most home connections need a relay host/)).toHaveTextContent(/port 25/);
    expect(s.getByText(/Most home connections need a relay host/)).toHaveTextContent(/dial-up block lists/);
    expect(s.queryByLabelText("Relay host")).not.toBeInTheDocument();
    expect(s.queryByLabelText("Password")).not.toBeInTheDocument();
  });

  it("shows the relay fields once a relay host is chosen, port 587 by default", async () => {
    mailApi([]);
    const s = await section();
    await userEvent.click(s.getByRole("radio", { name: "Through a relay host" }));
    expect(s.getByLabelText("Relay host")).toHaveValue("");
    expect(s.getByLabelText("Port")).toHaveValue("587");
    expect(s.getByLabelText("User name")).toHaveValue("");
    expect(s.getByLabelText("Password")).toHaveValue("");
    expect(s.getByLabelText("Password")).toHaveAttribute("type", "password");
    expect(s.getByLabelText("Password")).toHaveAttribute("autocomplete", "new-password");
    expect(s.queryByText("A password is stored; leave empty to keep it")).not.toBeInTheDocument();
  });

  it("saves a relay host with its login, and never shows the password again", async () => {
    const api = mailApi([]);
    const s = await section();
    await userEvent.click(s.getByRole("radio", { name: "Through a relay host" }));
    await userEvent.type(s.getByLabelText("Relay host"), "smtp.example.net");
    await userEvent.type(s.getByLabelText("User name"), "cellrelay");
    await userEvent.type(s.getByLabelText("Password"), "relay-secret-1");
    await userEvent.click(s.getByRole("button", { name: "Save outgoing mail" }));
    expect(await s.findByTestId("relay-saved")).toHaveTextContent("Saved: mail for other servers goes through smtp.example.net:587, logged in as cellrelay.");
    expect(puts(api.seen)).toEqual([{ relay: { host: "smtp.example.net", port: 587, username: "cellrelay", password: "relay-secret-1" } }]);
    expect(s.getByLabelText("Password")).toHaveValue("");
    expect(s.getByLabelText("Password")).toHaveAccessibleDescription("A password is stored; leave empty to keep it");
    expect(screen.queryByDisplayValue("relay-secret-1")).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent("relay-secret-1");
  });

  it("saves a relay host without a login on its own port", async () => {
    const api = mailApi([]);
    const s = await section();
    await userEvent.click(s.getByRole("radio", { name: "Through a relay host" }));
    await userEvent.type(s.getByLabelText("Relay host"), " 192.0.2.25 ");
    await userEvent.clear(s.getByLabelText("Port"));
    await userEvent.type(s.getByLabelText("Port"), "2525");
    await userEvent.click(s.getByRole("button", { name: "Save outgoing mail" }));
    expect(await s.findByTestId("relay-saved")).toHaveTextContent("Saved: mail for other servers goes through 192.0.2.25:2525.");
    expect(puts(api.seen)).toEqual([{ relay: { host: "192.0.2.25", port: 2525 } }]);
  });

  it("shows the stored relay, and keeps the stored password when the field is left empty", async () => {
    const api = mailApi([], {}, emailConfigFixture({}));
    const s = await section();
    await waitFor(() => expect(s.getByRole("radio", { name: "Through a relay host" })).toBeChecked());
    expect(s.getByLabelText("Relay host")).toHaveValue("smtp.example.net");
    expect(s.getByLabelText("User name")).toHaveValue("cellrelay");
    const password = s.getByLabelText("Password");
    expect(password).toHaveValue("");
    expect(password).toHaveAccessibleDescription("A password is stored; leave empty to keep it");
    await userEvent.clear(s.getByLabelText("Port"));
    await userEvent.type(s.getByLabelText("Port"), "465");
    await userEvent.click(s.getByRole("button", { name: "Save outgoing mail" }));
    expect(await s.findByTestId("relay-saved")).toHaveTextContent("through smtp.example.net:465, logged in as cellrelay");
    const [body] = puts(api.seen) as { relay: RelayChange }[];
    expect(body).toEqual({ relay: { host: "smtp.example.net", port: 465, username: "cellrelay" } });
    expect(body!.relay).not.toHaveProperty("password");
    expect(s.getByLabelText("Password")).toHaveAccessibleDescription("A password is stored; leave empty to keep it");
  });

  it("sends a new password typed over the stored one", async () => {
    const api = mailApi([], {}, emailConfigFixture({}));
    const s = await section();
    await waitFor(() => expect(s.getByRole("radio", { name: "Through a relay host" })).toBeChecked());
    await userEvent.type(s.getByLabelText("Password"), "relay-secret-2");
    await userEvent.click(s.getByRole("button", { name: "Save outgoing mail" }));
    await s.findByTestId("relay-saved");
    expect(puts(api.seen)).toEqual([{ relay: { host: "smtp.example.net", port: 587, username: "cellrelay", password: "relay-secret-2" } }]);
  });

  it("switches back to direct delivery", async () => {
    const api = mailApi([], {}, emailConfigFixture({}));
    const s = await section();
    await waitFor(() => expect(s.getByRole("radio", { name: "Through a relay host" })).toBeChecked());
    await userEvent.click(s.getByRole("radio", { name: "Direct to each recipient's server" }));
    expect(s.queryByLabelText("Relay host")).not.toBeInTheDocument();
    await userEvent.click(s.getByRole("button", { name: "Save outgoing mail" }));
    expect(await s.findByTestId("relay-saved")).toHaveTextContent("Saved: mail for other servers goes straight to each recipient's server.");
    expect(puts(api.seen)).toEqual([{ relay: null }]);
    expect(s.getByRole("radio", { name: "Direct to each recipient's server" })).toBeChecked();
  });

  it("shows a 400 next to the field it names", async () => {
    const message = "relay.host must be a host name or an IPv4 address";
    mailApi([], { "PUT /api/email/config": refused(400, message, "relay.host") });
    const s = await section();
    await userEvent.click(s.getByRole("radio", { name: "Through a relay host" }));
    await userEvent.type(s.getByLabelText("Relay host"), "bad host!");
    await userEvent.click(s.getByRole("button", { name: "Save outgoing mail" }));
    const host = s.getByLabelText("Relay host");
    await waitFor(() => expect(host).toHaveAccessibleDescription(message));
    expect(host).toHaveAttribute("aria-invalid", "true");
    expect(s.getAllByRole("alert")).toHaveLength(1);
    expect(s.getByLabelText("Port")).not.toHaveAttribute("aria-invalid");
    expect(s.queryByTestId("relay-saved")).not.toBeInTheDocument();
  });

  it("shows a login error next to the password", async () => {
    const message = "a relay login needs both relay.username and relay.password";
    mailApi([], { "PUT /api/email/config": refused(400, message, "relay.password") });
    const s = await section();
    await userEvent.click(s.getByRole("radio", { name: "Through a relay host" }));
    await userEvent.type(s.getByLabelText("Relay host"), "smtp.example.net");
    await userEvent.type(s.getByLabelText("User name"), "cellrelay");
    await userEvent.click(s.getByRole("button", { name: "Save outgoing mail" }));
    await waitFor(() => expect(s.getByLabelText("Password")).toHaveAccessibleDescription(message));
  });

  it.each([
    [422, "postfix refused the configuration: bad relayhost", "relay"],
    [502, "postfix did not start; the previous configuration was restored", undefined],
  ])("shows a %i from postfix in an alert", async (status, message, field) => {
    mailApi([], { "PUT /api/email/config": refused(status, message, field) });
    const s = await section();
    await userEvent.click(s.getByRole("radio", { name: "Through a relay host" }));
    await userEvent.type(s.getByLabelText("Relay host"), "smtp.example.net");
    await userEvent.click(s.getByRole("button", { name: "Save outgoing mail" }));
    expect(await s.findByRole("alert")).toHaveTextContent(message);
    expect(s.getByLabelText("Relay host")).not.toHaveAttribute("aria-invalid");
    expect(s.queryByTestId("relay-saved")).not.toBeInTheDocument();
  });

  it("checks that the port is a number before sending", async () => {
    const api = mailApi([]);
    const s = await section();
    await userEvent.click(s.getByRole("radio", { name: "Through a relay host" }));
    await userEvent.type(s.getByLabelText("Relay host"), "smtp.example.net");
    await userEvent.clear(s.getByLabelText("Port"));
    await userEvent.type(s.getByLabelText("Port"), "smtp");
    await userEvent.click(s.getByRole("button", { name: "Save outgoing mail" }));
    await waitFor(() => expect(s.getByLabelText("Port")).toHaveAccessibleDescription("A port number, 1 to 65535"));
    expect(puts(api.seen)).toEqual([]);
  });
});

describe("mail domains", () => {
  const extra = () => [zoneDomain(), mailDomainFixture("example.org")];
  const posts = (seen: Seen[]) => seen.filter((s) => s.method === "POST" && s.path === "/api/email/domains").map((s) => s.body);
  const refused = (status: number, code: string, message: string, field?: string) => () => ({ status, body: { error: { code, message, ...(field ? { field } : {}) } } });

  async function section() {
    renderMail();
    const s = within(screen.getByRole("region", { name: "Mail domains" }));
    await s.findByTestId("mail-domain-mycell.cell");
    return s;
  }

  it("lists the cell zone and an extra domain with their records and where to publish them", async () => {
    mailApi([], {}, emailConfigFixture(), extra());
    const s = await section();
    expect(s.getByRole("heading", { name: "Mail domains" })).toBeInTheDocument();
    expect(s.getByText(/at its DNS host, or mail from the world does not arrive there/)).toHaveTextContent(/do not trust the mail/);
    const blocks = s.getAllByTestId(/^mail-domain-/);
    expect(blocks.map((b) => b.dataset.testid)).toEqual(["mail-domain-mycell.cell", "mail-domain-example.org"]);

    const zone = within(s.getByTestId("mail-domain-mycell.cell"));
    expect(zone.getByRole("heading", { name: "mycell.cell" })).toBeInTheDocument();
    expect(zone.getByText("Cell zone")).toBeInTheDocument();
    expect(zone.getAllByText("In the cell's DNS")).toHaveLength(4);
    expect(zone.queryByText("Publish where the domain is hosted")).not.toBeInTheDocument();

    const other = within(s.getByTestId("mail-domain-example.org"));
    expect(other.queryByText("Cell zone")).not.toBeInTheDocument();
    const rows = within(other.getByRole("table", { name: "DNS records of example.org" })).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell").slice(0, 2).map((c) => c.textContent))).toEqual([
      ["example.org", "MX"],
      ["example.org", "TXT"],
      ["pic._domainkey.example.org", "TXT"],
      ["_dmarc.example.org", "TXT"],
    ]);
    expect(within(rows[0]!).getByText("10 smtp.mycell.cell.")).toBeInTheDocument();
    expect(within(rows[2]!).getByText(`v=DKIM1; k=rsa; p=${dkimKeyFixture}`)).toHaveClass("break-all");
    expect(other.getAllByText("Publish where the domain is hosted")).toHaveLength(4);
    expect(other.queryByText("In the cell's DNS")).not.toBeInTheDocument();
    expect(other.getByRole("button", { name: "Remove example.org" })).toBeInTheDocument();
  });

  it("copies a record's value", async () => {
    mailApi([], {}, emailConfigFixture(), extra());
    const user = userEvent.setup();
    const s = await section();
    const copy = s.getByRole("button", { name: "Copy TXT pic._domainkey.example.org" });
    await user.click(copy);
    expect(await navigator.clipboard.readText()).toBe(`v=DKIM1; k=rsa; p=${dkimKeyFixture}`);
    expect(copy).toHaveTextContent("Copied");
  });

  it("has no remove button for the cell zone", async () => {
    mailApi([], {}, emailConfigFixture(), extra());
    const s = await section();
    const zone = within(s.getByTestId("mail-domain-mycell.cell"));
    expect(zone.queryByRole("button", { name: /^Remove/ })).not.toBeInTheDocument();
    expect(s.queryByRole("button", { name: "Remove mycell.cell" })).not.toBeInTheDocument();
    expect(s.getAllByRole("button", { name: /^Remove / })).toHaveLength(1);
  });

  it("adds a domain and shows it with its records", async () => {
    const api = mailApi([]);
    const s = await section();
    expect(s.queryByTestId("mail-domain-example.net")).not.toBeInTheDocument();
    await userEvent.type(s.getByLabelText("Domain"), " Example.NET. ");
    await userEvent.click(s.getByRole("button", { name: "Add domain" }));
    const added = await s.findByTestId("mail-domain-example.net");
    expect(posts(api.seen)).toEqual([{ domain: "example.net" }]);
    expect(within(added).getAllByText("Publish where the domain is hosted")).toHaveLength(4);
    expect(within(added).getByRole("button", { name: "Remove example.net" })).toBeInTheDocument();
    expect(s.getByTestId("mail-domain-added")).toHaveTextContent("Added example.net: publish its records where it is hosted.");
    expect(s.getByLabelText("Domain")).toHaveValue("");
    expect(s.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows a 400 under Domain", async () => {
    const message = "at most 16 extra mail domains";
    mailApi([], { "POST /api/email/domains": refused(400, "invalid_field", message, "domain") });
    const s = await section();
    await userEvent.type(s.getByLabelText("Domain"), "example.net");
    await userEvent.click(s.getByRole("button", { name: "Add domain" }));
    const input = s.getByLabelText("Domain");
    await waitFor(() => expect(input).toHaveAccessibleDescription(message));
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(s.getAllByRole("alert")).toHaveLength(1);
    expect(s.queryByTestId("mail-domain-example.net")).not.toBeInTheDocument();
  });

  it("shows a 409 under Domain", async () => {
    const message = "example.org is a mail domain already";
    mailApi([], { "POST /api/email/domains": refused(409, "conflict", message) }, emailConfigFixture(), extra());
    const s = await section();
    await userEvent.type(s.getByLabelText("Domain"), "example.org");
    await userEvent.click(s.getByRole("button", { name: "Add domain" }));
    await waitFor(() => expect(s.getByLabelText("Domain")).toHaveAccessibleDescription(message));
    expect(s.getAllByRole("alert")).toHaveLength(1);
  });

  it.each([
    [422, "opendkim refused the configuration: bad key table"],
    [502, "opendkim did not start; the previous configuration was restored"],
  ])("shows a %i from opendkim in an alert", async (status, message) => {
    mailApi([], { "POST /api/email/domains": refused(status, "daemon_failed", message) });
    const s = await section();
    await userEvent.type(s.getByLabelText("Domain"), "example.net");
    await userEvent.click(s.getByRole("button", { name: "Add domain" }));
    expect(await s.findByRole("alert")).toHaveTextContent(message);
    expect(s.getByLabelText("Domain")).not.toHaveAttribute("aria-invalid");
    expect(s.queryByTestId("mail-domain-added")).not.toBeInTheDocument();
  });

  it.each([
    ["localhost", "Two labels or more, e.g. example.org"],
    ["mail.mycell.cell", "Not the cell zone (mycell.cell) nor a name inside it"],
    ["bad_name.org", "Letters, digits and hyphens only; no hyphen at the start or end of a label"],
  ])("checks %s before sending", async (domain, message) => {
    const api = mailApi([]);
    const s = await section();
    await userEvent.type(s.getByLabelText("Domain"), domain);
    await userEvent.click(s.getByRole("button", { name: "Add domain" }));
    await waitFor(() => expect(s.getByLabelText("Domain")).toHaveAccessibleDescription(message));
    expect(posts(api.seen)).toEqual([]);
  });

  it("removes a domain only after confirming", async () => {
    const api = mailApi([], {}, emailConfigFixture(), extra());
    const s = await section();
    await userEvent.click(s.getByRole("button", { name: "Remove example.org" }));
    let dialog = within(screen.getByRole("dialog", { name: "Remove example.org?" }));
    expect(dialog.getByText(/stop receiving mail/)).toHaveTextContent("@example.org");
    await userEvent.click(dialog.getByRole("button", { name: "Cancel" }));
    expect(writes(api.seen)).toEqual([]);
    expect(s.getByTestId("mail-domain-example.org")).toBeInTheDocument();

    await userEvent.click(s.getByRole("button", { name: "Remove example.org" }));
    dialog = within(screen.getByRole("dialog", { name: "Remove example.org?" }));
    await userEvent.click(dialog.getByRole("button", { name: "Remove domain" }));
    await waitFor(() => expect(s.queryByTestId("mail-domain-example.org")).not.toBeInTheDocument());
    expect(writes(api.seen)).toEqual(["DELETE /api/email/domains/example.org"]);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(s.getByTestId("mail-domain-mycell.cell")).toBeInTheDocument();
  });

  it("shows a refused removal in the dialog", async () => {
    const message = "opendkim did not start; the previous configuration was restored";
    mailApi([], { "DELETE /api/email/domains/example.org": refused(502, "daemon_failed", message) }, emailConfigFixture(), extra());
    const s = await section();
    await userEvent.click(s.getByRole("button", { name: "Remove example.org" }));
    const dialog = within(screen.getByRole("dialog", { name: "Remove example.org?" }));
    await userEvent.click(dialog.getByRole("button", { name: "Remove domain" }));
    expect(await dialog.findByRole("alert")).toHaveTextContent(message);
    expect(s.getByTestId("mail-domain-example.org")).toBeInTheDocument();
  });
});
