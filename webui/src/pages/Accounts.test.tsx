/* The Accounts page against a stand-in API: the list and its empty state,
 * mailbox bars, adding with the API's refusal next to the field it names,
 * editing only what changed, service toggles, deleting with or without
 * the data, and the data deleted accounts left (Orphaned data). */
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { beforeAll, describe, expect, it } from "vitest";
import type { Account, Orphan } from "../features/accounts/api";
import { makeQueryClient } from "../lib/queryClient";
import { fakeApi, type Seen } from "../test/fakeApi";
import { accountFixture, orphanFixture } from "../test/fixtures";
import { Page as Accounts } from "./Accounts";

/* jsdom has no modal <dialog>: open and close flip the attribute. */
beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) { this.setAttribute("open", ""); };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) { this.removeAttribute("open"); };
});

function renderAccounts() {
  render(
    <QueryClientProvider client={makeQueryClient()}>
      <MemoryRouter>
        <Accounts />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

type Reply = { status: number; body?: unknown };
type Handler = (r: Seen) => Reply;

/* An API holding `list` (and the data deleted accounts left, `left`),
 * changed by what the page sends. An override gets the stand-in's own
 * handler for the route as `next`. */
function accountsApi(list: Account[], over: Record<string, (r: Seen, next: Handler) => Reply> = {}, left: Orphan[] = []) {
  let users = list;
  let orphans = left;
  const byName = (r: Seen) => decodeURIComponent(r.path.split("/").at(-1)!);
  const routes: Record<string, Handler> = {
    "GET /api/users": () => ({ status: 200, body: { users } }),
    "GET /api/users/orphans": () => ({ status: 200, body: { orphans } }),
    "POST /api/users": (r) => {
      const b = r.body as { name: string; aliases?: string[] };
      const a = accountFixture({ ...(r.body as Partial<Account>), name: b.name, aliases: b.aliases ?? [] });
      users = [...users, a];
      return { status: 201, body: a };
    },
  };
  for (const a of list) {
    routes[`PUT /api/users/${a.name}`] ??= (r) => {
      const { password: _pw, ...patch } = r.body as Partial<Account> & { password?: string };
      users = users.map((u) => (u.name === byName(r) ? { ...u, ...patch } : u));
      return { status: 200, body: users.find((u) => u.name === byName(r)) };
    };
    routes[`DELETE /api/users/${a.name}`] ??= (r) => {
      const gone = users.find((u) => u.name === byName(r));
      users = users.filter((u) => u.name !== byName(r));
      if (gone && r.search !== "?purge=true") orphans = [...orphans, orphanFixture({ name: gone.name, deleted_at: 1_800_000_000, mail: { bytes: gone.mail_used_bytes } })];
      return { status: 204 };
    };
  }
  for (const o of left) {
    routes[`DELETE /api/users/orphans/${o.id}`] = () => {
      orphans = orphans.filter((x) => x.id !== o.id);
      return { status: 204 };
    };
  }
  for (const [route, h] of Object.entries(over)) {
    const next = routes[route] ?? (() => ({ status: 404 }));
    routes[route] = (r) => h(r, next);
  }
  return fakeApi(routes);
}

const writes = (seen: Seen[]) => seen.filter((s) => s.method !== "GET");

describe("the list", () => {
  it("says when there are no accounts", async () => {
    accountsApi([]);
    renderAccounts();
    expect(await screen.findByText(/No accounts yet/)).toBeInTheDocument();
  });

  it("shows each account's addresses, services, quota and state", async () => {
    accountsApi([accountFixture(), accountFixture({ name: "bob", display_name: "", aliases: [], services: ["mail"], mail_quota_mb: 0, disabled: true })]);
    renderAccounts();
    const alice = await screen.findByTestId("account-row-alice");
    expect(within(alice).getByRole("list", { name: "Addresses of alice" })).toHaveTextContent("alice@mycell.cellasmith@mycell.cell");
    expect(within(alice).getByLabelText("Files for alice")).toBeChecked();
    expect(within(alice).getByTestId("account-state-alice")).toHaveTextContent("active");
    const bar = within(alice).getByRole("meter", { name: "Mailbox of alice" });
    expect(bar).toHaveAttribute("aria-valuenow", "1258291");
    expect(bar).toHaveAttribute("aria-valuemax", String(1024 * 1024 * 1024));
    expect(within(alice).getByText("1.2 MiB of 1024 MiB")).toBeInTheDocument();
    const bob = screen.getByTestId("account-row-bob");
    expect(within(bob).getByLabelText("Mail for bob")).toBeChecked();
    expect(within(bob).getByLabelText("Files for bob")).not.toBeChecked();
    expect(within(bob).getByTestId("account-state-bob")).toHaveTextContent("disabled");
    expect(within(bob).getByText("1.2 MiB used, no limit")).toBeInTheDocument();
    expect(within(bob).queryByRole("meter")).not.toBeInTheDocument();
  });

  it("shows a mailbox bar only with mail, and warns in words when it fills up", async () => {
    accountsApi([
      accountFixture({ mail_quota_mb: 100, mail_used_bytes: 97 * 1024 * 1024 }),
      accountFixture({ name: "bob", aliases: [], services: ["files"], mail_quota_mb: 2048 }),
    ]);
    renderAccounts();
    const alice = await screen.findByTestId("account-row-alice");
    expect(within(alice).getByTestId("quota-text")).toHaveTextContent("97.0 MiB of 100 MiB — almost full");
    const bob = screen.getByTestId("account-row-bob");
    expect(within(bob).queryByRole("meter")).not.toBeInTheDocument();
    expect(within(bob).getByText("2 GiB")).toBeInTheDocument();
  });

  it("switches a service from the list", async () => {
    const api = accountsApi([accountFixture()]);
    renderAccounts();
    await userEvent.click(await screen.findByLabelText("Files for alice"));
    await waitFor(() => expect(writes(api.seen)).toHaveLength(1));
    expect(writes(api.seen)[0]).toMatchObject({ method: "PUT", path: "/api/users/alice", body: { services: ["mail", "calendar"] } });
    await waitFor(() => expect(screen.getByLabelText("Files for alice")).not.toBeChecked());
  });
});

describe("adding", () => {
  it("checks the name and password as typed, like the API", async () => {
    const api = accountsApi([]);
    renderAccounts();
    await userEvent.click(await screen.findByTestId("add-account"));
    const form = within(screen.getByTestId("add-account-form"));
    await userEvent.type(form.getByLabelText("Name"), "postmaster");
    await userEvent.type(form.getByLabelText("Password"), "short");
    await userEvent.click(form.getByRole("button", { name: "Create account" }));
    expect(await form.findByText(/reserved/)).toBeInTheDocument();
    expect(form.getByText("At least 10 characters")).toBeInTheDocument();
    expect(writes(api.seen)).toEqual([]);
  });

  it("sends the form, and shows a taken alias next to Aliases", async () => {
    let tries = 0;
    const api = accountsApi([accountFixture()], {
      "POST /api/users": (r, next) =>
        ++tries === 1 ? { status: 409, body: { error: { code: "conflict", message: "aliases[1] 'asmith' is taken by alice", field: "aliases[1]" } } } : next(r),
    });
    renderAccounts();
    await userEvent.click(await screen.findByRole("button", { name: "Add account" }));
    const form = within(screen.getByRole("form", { name: "Add an account" }));
    await userEvent.type(form.getByLabelText("Name"), "carol");
    await userEvent.type(form.getByLabelText("Display name"), "Carol Jones");
    await userEvent.type(form.getByLabelText("Password"), "blue kettle sings");
    await userEvent.type(form.getByLabelText("Password again"), "blue kettle sings");
    await userEvent.click(form.getByLabelText("Files"));
    await userEvent.clear(form.getByLabelText("Mail quota (MiB)"));
    await userEvent.type(form.getByLabelText("Mail quota (MiB)"), "2048");
    await userEvent.type(form.getByLabelText("Aliases"), "cj, asmith");
    await userEvent.click(form.getByTestId("add-account-submit"));
    expect(await form.findByText(/'asmith' is taken/)).toBeInTheDocument();
    expect(form.getByLabelText("Aliases")).toHaveAttribute("aria-invalid", "true");
    expect(writes(api.seen)[0]!.body).toEqual({ name: "carol", password: "blue kettle sings", display_name: "Carol Jones", services: ["mail", "calendar"], mail_quota_mb: 2048, aliases: ["cj", "asmith"] });

    await userEvent.clear(form.getByLabelText("Aliases"));
    await userEvent.type(form.getByLabelText("Aliases"), "carol2");
    await userEvent.click(form.getByTestId("add-account-submit"));
    expect(await screen.findByTestId("account-row-carol")).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Add an account" })).not.toBeInTheDocument();
  });
});

describe("editing", () => {
  it("sends only what changed: disabling", async () => {
    const api = accountsApi([accountFixture()]);
    renderAccounts();
    await userEvent.click(await screen.findByRole("button", { name: "Edit alice" }));
    const form = within(screen.getByTestId("edit-account-form"));
    expect(form.getByLabelText("Aliases")).toHaveValue("asmith");
    await userEvent.click(form.getByTestId("edit-account-disabled"));
    await userEvent.click(form.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(screen.getByTestId("account-state-alice")).toHaveTextContent("disabled"));
    expect(writes(api.seen)).toEqual([expect.objectContaining({ method: "PUT", path: "/api/users/alice", body: { disabled: true } })]);
  });

  it("shows the API's refusal next to the field, and resets a password", async () => {
    const api = accountsApi([accountFixture()], {
      "PUT /api/users/alice": (r, next) =>
        (r.body as { password?: string }).password
          ? next(r)
          : { status: 400, body: { error: { code: "invalid_field", message: "mail_quota_mb must be at most 1048576", field: "mail_quota_mb" } } },
    });
    renderAccounts();
    await userEvent.click(await screen.findByTestId("account-edit-alice"));
    const form = within(screen.getByTestId("edit-account-form"));
    await userEvent.clear(form.getByLabelText("Display name"));
    await userEvent.type(form.getByLabelText("Display name"), "Alice S.");
    await userEvent.click(form.getByRole("button", { name: "Save changes" }));
    /* The stand-in refuses with a field it picked: shown under that field. */
    expect(await form.findByText("mail_quota_mb must be at most 1048576")).toBeInTheDocument();
    expect(form.getByLabelText("Mail quota (MiB)")).toHaveAttribute("aria-invalid", "true");
    await waitFor(() => expect(within(screen.getByTestId("account-row-alice")).getByText("Alice Smith")).toBeInTheDocument());

    const reset = within(screen.getByRole("form", { name: "Reset password" }));
    await userEvent.type(reset.getByLabelText("New password"), "fresh start here");
    await userEvent.type(reset.getByLabelText("New password again"), "fresh start here");
    await userEvent.click(reset.getByRole("button", { name: "Reset password" }));
    expect(await reset.findByRole("status")).toHaveTextContent("Password reset.");
    expect(writes(api.seen).at(-1)!.body).toEqual({ password: "fresh start here" });
  });
});

describe("deleting", () => {
  it("keeps the data unless purge is chosen", async () => {
    const api = accountsApi([accountFixture(), accountFixture({ name: "bob", aliases: [] })]);
    renderAccounts();
    await userEvent.click(await screen.findByRole("button", { name: "Delete alice" }));
    let dialog = within(screen.getByRole("dialog", { name: "Delete the account alice?" }));
    expect(dialog.getByLabelText(/Keep the account's data/)).toBeChecked();
    await userEvent.click(dialog.getByRole("button", { name: "Delete account" }));
    await waitFor(() => expect(screen.queryByTestId("account-row-alice")).not.toBeInTheDocument());

    await userEvent.click(screen.getByTestId("account-delete-bob"));
    dialog = within(screen.getByRole("dialog", { name: "Delete the account bob?" }));
    await userEvent.click(dialog.getByTestId("delete-account-purge"));
    await userEvent.click(dialog.getByRole("button", { name: "Delete account and data" }));
    expect(await screen.findByText(/No accounts yet/)).toBeInTheDocument();
    expect(writes(api.seen).map((s) => `${s.method} ${s.path}${s.search}`)).toEqual(["DELETE /api/users/alice?purge=false", "DELETE /api/users/bob?purge=true"]);
  });
});

describe("orphaned data", () => {
  it("is not shown while deleted accounts left nothing", async () => {
    const api = accountsApi([accountFixture()]);
    renderAccounts();
    await screen.findByTestId("account-row-alice");
    await waitFor(() => expect(api.seen.some((s) => s.path === "/api/users/orphans")).toBe(true));
    expect(screen.queryByRole("heading", { name: "Orphaned data" })).not.toBeInTheDocument();
  });

  it("lists what deleted accounts left, and deletes it for good after confirming", async () => {
    const api = accountsApi([accountFixture()], {}, [orphanFixture({ name: "carol" }), orphanFixture({ name: "dave", deleted_at: 1_700_500_000, mail: { bytes: 0 } })]);
    renderAccounts();
    const section = within(await screen.findByRole("region", { name: "Orphaned data" }));
    expect(section.getByRole("heading", { name: "Orphaned data" })).toBeInTheDocument();
    const carol = within(section.getByTestId("orphan-row-carol.1700000000"));
    expect(carol.getByText("carol")).toBeInTheDocument();
    expect(carol.getByText(new Date(1_700_000_000_000).toLocaleString())).toBeInTheDocument();
    expect(carol.getByText("5.0 MiB")).toBeInTheDocument();
    expect(section.getByTestId("orphan-row-dave.1700500000")).toHaveTextContent("0 B");

    await userEvent.click(carol.getByRole("button", { name: /^Delete the data of carol/ }));
    let dialog = within(screen.getByRole("dialog", { name: "Delete the data carol left?" }));
    expect(dialog.getByText(/removed for good/)).toBeInTheDocument();
    await userEvent.click(dialog.getByRole("button", { name: "Cancel" }));
    expect(writes(api.seen)).toEqual([]);

    await userEvent.click(screen.getByTestId("orphan-delete-carol.1700000000"));
    dialog = within(screen.getByRole("dialog", { name: "Delete the data carol left?" }));
    await userEvent.click(dialog.getByRole("button", { name: "Delete for good" }));
    await waitFor(() => expect(screen.queryByTestId("orphan-row-carol.1700000000")).not.toBeInTheDocument());
    expect(screen.getByTestId("orphan-row-dave.1700500000")).toBeInTheDocument();
    expect(writes(api.seen).map((s) => `${s.method} ${s.path}`)).toEqual(["DELETE /api/users/orphans/carol.1700000000"]);

    await userEvent.click(screen.getByTestId("orphan-delete-dave.1700500000"));
    await userEvent.click(within(screen.getByRole("dialog", { name: "Delete the data dave left?" })).getByRole("button", { name: "Delete for good" }));
    await waitFor(() => expect(screen.queryByRole("region", { name: "Orphaned data" })).not.toBeInTheDocument());
  });

  it("lists an account's data once it is deleted without it", async () => {
    accountsApi([accountFixture()]);
    renderAccounts();
    await userEvent.click(await screen.findByRole("button", { name: "Delete alice" }));
    await userEvent.click(within(screen.getByRole("dialog", { name: "Delete the account alice?" })).getByRole("button", { name: "Delete account" }));
    const section = within(await screen.findByRole("region", { name: "Orphaned data" }));
    expect(section.getByTestId("orphan-row-alice.1800000000")).toHaveTextContent("1.2 MiB");
  });

  it("shows the error when the list cannot be read", async () => {
    accountsApi([accountFixture()], { "GET /api/users/orphans": () => ({ status: 403, body: { error: { code: "admin_required", message: "this route is the admin's" } } }) });
    renderAccounts();
    const section = within(await screen.findByRole("region", { name: "Orphaned data" }));
    expect(section.getByRole("alert")).toHaveTextContent("this route is the admin's");
  });
});
