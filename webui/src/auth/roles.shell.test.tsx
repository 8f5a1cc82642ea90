/* The app's shell by role, through the real routes: a cell account sees
 * its own page only and asks no admin route (each would be a 403); the
 * admin gets Accounts in the menu; logging in lands each role home. */
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { routes } from "../App";
import { makeQueryClient } from "../lib/queryClient";
import { FakeEventSource, fakeApi } from "../test/fakeApi";
import { accountFixture, sessionFixture } from "../test/fixtures";

const USER_ROUTES = new Set(["/api/auth/session", "/api/auth/login", "/api/auth/logout", "/api/auth/password", "/api/me", "/api/access"]);

function renderApp(path: string) {
  const router = createMemoryRouter(routes(), { initialEntries: [path] });
  render(
    <QueryClientProvider client={makeQueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

let events: string[];
beforeEach(() => {
  events = [];
  vi.stubGlobal(
    "EventSource",
    class extends FakeEventSource {
      constructor(url: string) {
        super(url);
        events.push(url);
      }
    },
  );
});

describe("a cell account's session", () => {
  it("shows My account only, from any path, and asks no admin route", async () => {
    const api = fakeApi({
      "GET /api/auth/session": () => ({ status: 200, body: sessionFixture("user") }),
      "GET /api/me": () => ({ status: 200, body: accountFixture() }),
    });
    const router = renderApp("/network/dns");
    expect(await screen.findByRole("heading", { name: "My account" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/me");
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).getAllByRole("link").map((a) => a.textContent)).toEqual(["My account"]);
    expect(screen.getByTestId("nav-me")).toHaveAttribute("href", "/me");
    expect(screen.queryByTestId("nav-accounts")).not.toBeInTheDocument();
    expect(await screen.findByTestId("my-addresses")).toHaveTextContent("alice@mycell.cellasmith@mycell.cell");
    expect(screen.getByRole("button", { name: "Log out" })).toBeInTheDocument();
    expect(api.seen.map((s) => s.path).filter((p) => !USER_ROUTES.has(p))).toEqual([]);
    expect(events).toEqual([]);
  });

  it("lands on My account after logging in", async () => {
    let session: unknown = null;
    const api = fakeApi({
      "GET /api/auth/session": () => (session ? { status: 200, body: session } : { status: 401, body: { error: { code: "unauthorized", message: "log in first" } } }),
      "POST /api/auth/login": () => {
        session = sessionFixture("user");
        return { status: 200, body: { username: "alice", csrf_token: "csrf-1", expires_at: 1_900_000_000, role: "user" } };
      },
      "GET /api/me": () => ({ status: 200, body: accountFixture() }),
    });
    const router = renderApp("/login?next=%2Fvpn");
    await userEvent.clear(await screen.findByLabelText("User name"));
    await userEvent.type(screen.getByLabelText("User name"), "alice");
    await userEvent.type(screen.getByLabelText("Password"), "a long password");
    await userEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("heading", { name: "My account" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/me");
    expect(api.seen.map((s) => s.path).filter((p) => !USER_ROUTES.has(p))).toEqual([]);
  });

  it("changes the password, showing the API's refusal next to the new one", async () => {
    let calls = 0;
    const api = fakeApi({
      "GET /api/auth/session": () => ({ status: 200, body: sessionFixture("user") }),
      "GET /api/me": () => ({ status: 200, body: accountFixture() }),
      "POST /api/auth/password": () =>
        ++calls === 1
          ? { status: 400, body: { error: { code: "invalid_field", message: "password is one of the most common passwords: choose another", field: "password" } } }
          : { status: 204 },
    });
    renderApp("/me");
    const form = await screen.findByTestId("change-password-form");
    const f = within(form);
    await userEvent.type(f.getByLabelText("Current password"), "old password 1");
    await userEvent.type(f.getByLabelText("New password"), "my-alice-pass");
    await userEvent.type(f.getByLabelText("New password again"), "my-alice-pass");
    await userEvent.click(f.getByRole("button", { name: "Change password" }));
    expect(await f.findByText("Must not contain the user name")).toBeInTheDocument();
    expect(api.seen.some((s) => s.path === "/api/auth/password")).toBe(false);

    await userEvent.clear(f.getByLabelText("New password"));
    await userEvent.type(f.getByLabelText("New password"), "password123");
    await userEvent.clear(f.getByLabelText("New password again"));
    await userEvent.type(f.getByLabelText("New password again"), "password123");
    await userEvent.click(f.getByRole("button", { name: "Change password" }));
    expect(await f.findByText(/most common passwords/)).toBeInTheDocument();
    expect(f.getByLabelText("New password")).toHaveAttribute("aria-invalid", "true");

    await userEvent.clear(f.getByLabelText("New password"));
    await userEvent.type(f.getByLabelText("New password"), "blue kettle sings");
    await userEvent.clear(f.getByLabelText("New password again"));
    await userEvent.type(f.getByLabelText("New password again"), "blue kettle sings");
    await userEvent.click(f.getByRole("button", { name: "Change password" }));
    expect(await f.findByRole("status")).toHaveTextContent("Password changed");
    const sent = api.seen.filter((s) => s.path === "/api/auth/password");
    expect(sent.at(-1)!.body).toEqual({ current_password: "old password 1", new_password: "blue kettle sings" });
    expect(sent.at(-1)!.headers.get("X-CSRF-Token")).toBe("csrf-1");
  });
});

describe("the admin's session", () => {
  it("has Accounts in the menu and leaves /me for the dashboard", async () => {
    fakeApi({ "GET /api/auth/session": () => ({ status: 200, body: sessionFixture("admin") }) });
    const router = renderApp("/me");
    const link = await screen.findByTestId("nav-accounts");
    expect(link).toHaveTextContent("Accounts");
    expect(link).toHaveAttribute("href", "/accounts");
    await waitFor(() => expect(router.state.location.pathname).toBe("/"));
    expect(screen.queryByTestId("nav-me")).not.toBeInTheDocument();
    expect(events).toEqual(["/api/events"]);
  });
});
