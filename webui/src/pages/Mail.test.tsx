/* The Mail page against a stand-in API: the daemons' states, what to give
 * mail clients and the counts; the queue with its delay reasons, "Retry
 * all now", deleting one message only after confirming, the empty queue;
 * and postfix stopped (503 not_running) said plainly, not as an error. */
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { beforeAll, describe, expect, it } from "vitest";
import type { QueuedMessage } from "../features/mail/api";
import { makeQueryClient } from "../lib/queryClient";
import { failOnConsoleErrors } from "../test/console";
import { fakeApi, type Seen } from "../test/fakeApi";
import { emailStatusFixture, queuedMessageFixture } from "../test/fixtures";
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

/* A postfix holding `list`; a DELETE takes the message out. */
function mailApi(list: QueuedMessage[], over: Record<string, (r: Seen) => Reply> = {}) {
  let messages = list;
  return fakeApi({
    "GET /api/email/status": () => ({ status: 200, body: emailStatusFixture() }),
    "GET /api/email/queue": () => ({ status: 200, body: { messages, total: messages.length } }),
    "POST /api/email/queue/flush": () => ({ status: 204 }),
    ...Object.fromEntries(list.map((m) => [`DELETE /api/email/queue/${m.id}`, () => {
      messages = messages.filter((x) => x.id !== m.id);
      return { status: 204 };
    }])),
    ...over,
  });
}

const writes = (seen: Seen[]) => seen.filter((s) => s.method !== "GET").map((s) => `${s.method} ${s.path}`);
const notRunning = () => ({ status: 503, body: { error: { code: "not_running", message: "postfix is not running" } } });

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
    fakeApi({ "GET /api/email/status": notRunning, "GET /api/email/queue": notRunning });
    renderMail();
    expect(await screen.findByRole("heading", { name: "The mail service is not running" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Services" })).toHaveAttribute("href", "/services");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.queryByText("postfix is not running")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Retry all now" })).not.toBeInTheDocument();
  });

  it("shows other errors as they come", async () => {
    fakeApi({
      "GET /api/email/status": () => ({ status: 502, body: { error: { code: "daemon_unreachable", message: "postqueue did not answer" } } }),
      "GET /api/email/queue": () => ({ status: 200, body: { messages: [], total: 0 } }),
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
    expect(within(queue).getByText(/need a relay host/)).toBeInTheDocument();
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
