/* A cell account's own page against a stand-in API: with mail, the card
 * that sets up a mail app (servers from the domain of the first address,
 * ports and security, the account's name, its mailbox bar), asking no
 * admin route for it; without mail, no such card. */
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import type { Account } from "../features/accounts/api";
import { makeQueryClient } from "../lib/queryClient";
import { failOnConsoleErrors } from "../test/console";
import { fakeApi } from "../test/fakeApi";
import { accessFixture, accountFixture, sessionFixture } from "../test/fixtures";
import { Page as Me } from "./Me";

function renderMe(me: Account) {
  const api = fakeApi({
    "GET /api/auth/session": () => ({ status: 200, body: sessionFixture("user", me.name) }),
    "GET /api/me": () => ({ status: 200, body: me }),
    "GET /api/access": () => ({ status: 200, body: accessFixture() }),
  });
  render(
    <QueryClientProvider client={makeQueryClient()}>
      <MemoryRouter>
        <Me />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return api;
}

failOnConsoleErrors();

describe("set up mail on your devices", () => {
  it("gives the servers of the first address's domain, the ports, the name and the mailbox", async () => {
    const api = renderMe(accountFixture({ addresses: ["alice@home.example", "asmith@home.example"] }));
    const card = within(await screen.findByRole("region", { name: "Set up mail on your devices" }));
    expect(card.getByRole("heading", { name: "Set up mail on your devices" })).toBeInTheDocument();
    expect(card.getByRole("list", { name: "Your mail addresses" })).toHaveTextContent("alice@home.exampleasmith@home.example");
    expect(card.getByTestId("mail-imap-host")).toHaveTextContent("imap.home.example");
    expect(card.getByTestId("mail-smtp-host")).toHaveTextContent("smtp.home.example");
    const settings = card.getByTestId("mail-client-settings");
    expect(settings).toHaveTextContent("993 (SSL/TLS) or 143 (STARTTLS)");
    expect(settings).toHaveTextContent("465 (SSL/TLS) or 587 (STARTTLS)");
    expect(card.getByTestId("mail-user")).toHaveTextContent(/^alice$/);
    expect(card.getByText("your account password")).toBeInTheDocument();
    const bar = card.getByRole("meter", { name: "Your mailbox" });
    expect(bar).toHaveAttribute("aria-valuenow", "1258291");
    expect(bar).toHaveAttribute("aria-valuemax", String(1024 * 1024 * 1024));
    expect(card.getByText("1.2 MiB of 1024 MiB")).toBeInTheDocument();
    expect(api.seen.map((s) => s.path).filter((p) => !["/api/auth/session", "/api/me", "/api/access"].includes(p))).toEqual([]);
  });

  it("shows the zone's servers for the usual account", async () => {
    renderMe(accountFixture({ mail_quota_mb: 0 }));
    const card = within(await screen.findByTestId("my-mail"));
    expect(card.getByText("imap.mycell.cell", { selector: "[data-testid=mail-imap-host]" })).toBeInTheDocument();
    expect(card.getByText("1.2 MiB used, no limit")).toBeInTheDocument();
  });

  it("is absent without mail", async () => {
    renderMe(accountFixture({ services: ["calendar", "files"] }));
    expect(await screen.findByTestId("my-account")).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Set up mail on your devices" })).not.toBeInTheDocument();
    expect(screen.queryByText(/imap\./)).not.toBeInTheDocument();
    expect(screen.queryByRole("meter")).not.toBeInTheDocument();
  });
});
