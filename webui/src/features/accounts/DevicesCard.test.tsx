// @vitest-environment jsdom
/* The device set-up card of a cell account's page: the CA's fingerprint
 * as devices show it, where the cell answers over HTTPS, the download;
 * and what it says while the CA is unavailable. */
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { makeQueryClient } from "../../lib/queryClient";
import { failOnConsoleErrors } from "../../test/console";
import { fakeApi } from "../../test/fakeApi";
import { accessFixture } from "../../test/fixtures";
import { DevicesCard } from "./DevicesCard";

function renderCard() {
  render(
    <QueryClientProvider client={makeQueryClient()}>
      <DevicesCard />
    </QueryClientProvider>,
  );
}

failOnConsoleErrors();

describe("set up your devices", () => {
  it("shows the CA's fingerprint, the HTTPS addresses and the download", async () => {
    fakeApi({ "GET /api/access": () => ({ status: 200, body: accessFixture() }) });
    renderCard();
    const fp = await screen.findByTestId("my-ca-fingerprint");
    expect(fp).toHaveTextContent(/^0A:1B:2C:3D(:[0-9A-F]{2}){28}$/);
    const list = screen.getByTestId("my-https");
    expect(within(list).getAllByRole("link").map((a) => a.textContent)).toEqual([
      "https://192.168.77.1/", "https://picbox/", "https://picbox.local/", "https://mycell.cell/",
    ]);
    expect(screen.getByRole("link", { name: "Download the cell's CA certificate" })).toHaveAttribute("href", "/api/vault/ca.crt");
  });

  it("says so when the CA is unavailable", async () => {
    fakeApi({ "GET /api/access": () => ({ status: 200, body: accessFixture({ ca: null }) }) });
    renderCard();
    expect(await screen.findByText(/not available right now/)).toBeInTheDocument();
    expect(screen.queryByTestId("my-ca-fingerprint")).toBeNull();
  });
});
