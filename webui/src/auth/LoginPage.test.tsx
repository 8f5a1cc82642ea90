// @vitest-environment jsdom
// @vitest-environment-options {"url": "http://192.168.77.1:3000/login"}
/* The login page reached over plain HTTP from another machine (the page's
 * address above): the warning links to HTTPS for the host typed, then the
 * other addresses GET /api/access lists, with the CA's fingerprint to
 * check; without that answer it still links and hints. */
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { accessKey } from "../features/access/api";
import { makeQueryClient } from "../lib/queryClient";
import { failOnConsoleErrors } from "../test/console";
import { fakeApi } from "../test/fakeApi";
import { accessFixture } from "../test/fixtures";
import { LoginPage } from "./LoginPage";

const noSession = { "GET /api/auth/session": () => ({ status: 401, body: { error: { code: "unauthorized", message: "log in first" } } }) };

function renderLogin(client: QueryClient = makeQueryClient()) {
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={["/login"]}>
        <LoginPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return client;
}

failOnConsoleErrors();

describe("login over plain HTTP", () => {
  it("links to every HTTPS address and shows the CA's fingerprint to check", async () => {
    fakeApi({ ...noSession, "GET /api/access": () => ({ status: 200, body: accessFixture() }) });
    renderLogin();
    const warning = await screen.findByRole("alert");
    expect(warning).toHaveTextContent("This connection is not encrypted.");
    const fp = await within(warning).findByTestId("ca-fingerprint");
    expect(fp).toHaveTextContent(/^0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9$/);
    expect(warning).toHaveTextContent("matches the one picd printed when it started");
    expect(warning).toHaveTextContent("make run");
    expect(warning).toHaveTextContent("pic ca show");
    expect(warning).toHaveTextContent(/plain HTTP, so anyone .* could have altered it/);

    const links = within(warning).getAllByRole("link").filter((a) => a.getAttribute("href")?.startsWith("https://"));
    /* The host typed first (to the same page), each address once. */
    expect(links.map((a) => a.textContent)).toEqual(["https://192.168.77.1/", "https://picbox/", "https://picbox.local/", "https://mycell.cell/"]);
    expect(links[0]).toHaveAttribute("href", "https://192.168.77.1/login");
    expect(links[3]).toHaveAttribute("href", "https://mycell.cell/");
    expect(within(warning).getByText("cell zone")).toBeInTheDocument();
    expect(within(warning).getByRole("link", { name: "Download the cell's CA certificate" })).toHaveAttribute("href", "/api/vault/ca.crt");
    expect(within(warning).getByText("Android")).toBeInTheDocument();
  });

  it("warns when the certificate does not cover the host typed", async () => {
    fakeApi({ ...noSession, "GET /api/access": () => ({ status: 200, body: accessFixture({ uncovered: [{ host: "192.168.77.1", reason: "not one of the host's addresses" }] }) }) });
    renderLogin();
    const warning = await screen.findByRole("alert");
    expect(await within(warning).findByText(/does not cover/)).toHaveTextContent("not one of the host's addresses");
  });

  it("says when the CA is unavailable, and shows no fingerprint", async () => {
    fakeApi({ ...noSession, "GET /api/access": () => ({ status: 200, body: accessFixture({ ca: null }) }) });
    renderLogin();
    const warning = await screen.findByRole("alert");
    expect(await within(warning).findByText(/not available right now/)).toBeInTheDocument();
    expect(within(warning).queryByTestId("ca-fingerprint")).not.toBeInTheDocument();
    expect(within(warning).getByRole("link", { name: "https://picbox/" })).toBeInTheDocument();
  });

  it("keeps the link and the hints when /api/access fails", async () => {
    const api = fakeApi({ ...noSession, "GET /api/access": () => ({ status: 500, body: { error: { code: "internal", message: "broken" } } }) });
    const client = makeQueryClient();
    client.setDefaultOptions({ queries: { ...client.getDefaultOptions().queries, retryDelay: 0 } });
    renderLogin(client);
    const warning = await screen.findByRole("alert");
    await waitFor(() => expect(client.getQueryState(accessKey)?.status).toBe("error"));
    expect(api.seen.filter((s) => s.path === "/api/access").length).toBeGreaterThan(0);
    expect(within(warning).getByRole("link", { name: "https://192.168.77.1/" })).toHaveAttribute("href", "https://192.168.77.1/login");
    expect(within(warning).getByRole("link", { name: "Download the cell's CA certificate" })).toHaveAttribute("href", "/api/vault/ca.crt");
    expect(within(warning).getByText("Windows")).toBeInTheDocument();
    expect(within(warning).queryByTestId("ca-fingerprint")).not.toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toBeInTheDocument();
  });

  it("keeps the link and the hints against a picd without /api/access", async () => {
    fakeApi(noSession);
    const client = renderLogin();
    const warning = await screen.findByRole("alert");
    await waitFor(() => expect(client.getQueryState(accessKey)?.status).toBe("error"));
    expect(within(warning).getByRole("link", { name: "https://192.168.77.1/" })).toBeInTheDocument();
    expect(within(warning).getByRole("link", { name: "Download the cell's CA certificate" })).toBeInTheDocument();
  });
});
