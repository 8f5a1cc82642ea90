/* The Proxy page's "Reach the cell over HTTPS" section against a
 * stand-in API: the addresses as links with their kind, the host's
 * addresses the certificate leaves out, and the empty and error states. */
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { makeQueryClient } from "../lib/queryClient";
import { fakeApi } from "../test/fakeApi";
import { accessFixture } from "../test/fixtures";
import { Page as Proxy } from "./Proxy";

const common = {
  "GET /api/proxy/routes": () => ({ status: 200, body: { routes: [] } }),
  "GET /api/vault/certs": () => ({ status: 200, body: { certs: [] } }),
};

function renderProxy() {
  render(
    <QueryClientProvider client={makeQueryClient()}>
      <MemoryRouter>
        <Proxy />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return screen.getByRole("region", { name: "Reach the cell over HTTPS" });
}

describe("Reach the cell over HTTPS", () => {
  it("lists the HTTPS addresses and what the certificate leaves out", async () => {
    fakeApi({ ...common, "GET /api/access": () => ({ status: 200, body: accessFixture() }) });
    const section = renderProxy();
    const zone = await within(section).findByRole("link", { name: "https://mycell.cell/" });
    expect(zone).toHaveAttribute("href", "https://mycell.cell/");
    expect(zone).toHaveAttribute("title", "https://mycell.cell/");
    expect(zone).toHaveClass("min-w-0", "truncate");
    const items = within(section).getAllByRole("listitem");
    expect(items.slice(0, 4).map((li) => li.textContent)).toEqual([
      "https://192.168.77.1/LAN address",
      "https://picbox/host name",
      "https://picbox.local/host name",
      "https://mycell.cell/cell zone",
    ]);
    const note = within(section).getByRole("note");
    expect(note).toHaveTextContent("203.0.113.5");
    expect(note).toHaveTextContent("a public address: the cell's root CA vouches only for private (RFC 1918) addresses");
    expect(within(note).getByTitle("203.0.113.5")).toHaveClass("min-w-0", "truncate");
  });

  it("says when there is no address and leaves out the note when all is covered", async () => {
    fakeApi({ ...common, "GET /api/access": () => ({ status: 200, body: accessFixture({ https: [], uncovered: [] }) }) });
    const section = renderProxy();
    expect(await within(section).findByText(/at no HTTPS address yet/)).toBeInTheDocument();
    expect(within(section).queryByRole("note")).not.toBeInTheDocument();
  });

  it("shows the error with a retry", async () => {
    fakeApi({ ...common, "GET /api/access": () => ({ status: 403, body: { error: { code: "forbidden", message: "not allowed" } } }) });
    const section = renderProxy();
    expect(await within(section).findByRole("alert")).toHaveTextContent("not allowed");
    expect(within(section).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
