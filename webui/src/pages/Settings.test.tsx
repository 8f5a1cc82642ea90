/* The Settings page and the pending-changes banner together, as in the
 * layout: an unsaved edit is saved (with If-Match) before Apply; a
 * conflict is explained and nothing is applied or overwritten. */
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { PendingBanner } from "../components/PendingBanner";
import { configFixture } from "../test/fixtures";
import type { Config } from "../features/config/api";
import { DraftProvider } from "../features/config/DraftContext";
import { EventsProvider } from "../features/events/EventsContext";
import { makeQueryClient } from "../lib/queryClient";
import { FakeEventSource, fakeApi } from "../test/fakeApi";
import { Page as Settings } from "./Settings";

const base: Config = configFixture({ pending: [{ field: "ip_range", value: "172.21.0.0/16", current: "172.20.0.0/16", requested_at: 1 }] });

const common = {
  "GET /api/dns/config": () => ({ status: 200, body: { upstreams: [], recursion: true, dnssec: true } }),
  "GET /api/ntp/config": () => ({ status: 200, body: { servers: ["pool.ntp.org"] } }),
};

function renderCell() {
  return render(
    <QueryClientProvider client={makeQueryClient()}>
      <MemoryRouter>
        <EventsProvider>
          <DraftProvider>
            <PendingBanner />
            <Settings />
          </DraftProvider>
        </EventsProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  vi.stubGlobal("EventSource", FakeEventSource);
});

describe("Settings with Apply", () => {
  it("checks input as typed, like the API", async () => {
    fakeApi({ ...common, "GET /api/config": () => ({ status: 200, body: base, headers: { ETag: '"3"' } }) });
    renderCell();
    const range = await screen.findByLabelText("Cell network (ip_range)");
    await userEvent.clear(range);
    await userEvent.type(range, "172.20.0.0");
    expect(await screen.findByText(/Give the prefix too/)).toBeInTheDocument();
    await userEvent.type(range, "/16");
    await waitFor(() => expect(screen.queryByText(/Give the prefix too/)).not.toBeInTheDocument());
    expect(screen.getByLabelText("Cell name")).toHaveAttribute("maxLength", "255");
  });

  it("saves an unsaved edit before Apply", async () => {
    let config = base;
    const api = fakeApi({
      ...common,
      "GET /api/config": () => ({ status: 200, body: config, headers: { ETag: '"3"' } }),
      "PUT /api/config": (r) => {
        config = { ...config, pending: [...config.pending, { field: "vpn_subnet", value: (r.body as { vpn_subnet: string }).vpn_subnet, current: "10.0.0.0/24", requested_at: 2 }] };
        return { status: 200, body: config, headers: { ETag: '"4"' } };
      },
      "POST /api/config/apply": () => ({ status: 200, body: { applied: [], peers_readdressed: [], result: { ok: true, services: [] }, config: { ...config, pending: [] } } }),
    });
    renderCell();
    const vpn = await screen.findByLabelText("VPN subnet");
    await userEvent.clear(vpn);
    await userEvent.type(vpn, "10.9.0.0/24");
    await userEvent.click(screen.getByRole("button", { name: "Apply" }));
    await screen.findByText("Done.");
    const writes = api.seen.filter((s) => s.method !== "GET");
    expect(writes.map((s) => `${s.method} ${s.path}`)).toEqual(["PUT /api/config", "POST /api/config/apply"]);
    expect(writes[0]!.body).toEqual({ vpn_subnet: "10.9.0.0/24" });
    expect(writes[0]!.headers.get("If-Match")).toBe('"3"');
  });

  it("does not apply invalid unsaved edits", async () => {
    const api = fakeApi({ ...common, "GET /api/config": () => ({ status: 200, body: base, headers: { ETag: '"3"' } }) });
    renderCell();
    const vpn = await screen.findByLabelText("VPN subnet");
    await userEvent.clear(vpn);
    await userEvent.type(vpn, "172.21.1.0/24");
    expect(await screen.findByText(/Overlaps the cell network/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Apply" }));
    expect(await screen.findByText(/unsaved settings have errors/)).toBeInTheDocument();
    expect(api.seen.filter((s) => s.method !== "GET")).toEqual([]);
  });

  it("explains a conflict instead of overwriting", async () => {
    const api = fakeApi({
      ...common,
      "GET /api/config": () => ({ status: 200, body: base, headers: { ETag: '"3"' } }),
      "PUT /api/config": () => ({ status: 412, body: { error: { code: "precondition_failed", message: "the configuration changed since it was read" } } }),
    });
    renderCell();
    const name = await screen.findByLabelText("Cell name");
    await userEvent.clear(name);
    await userEvent.type(name, "home");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText(/changed elsewhere since you loaded them/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Apply" }));
    expect(await screen.findByText(/changed elsewhere since this page loaded/)).toBeInTheDocument();
    expect(api.seen.filter((s) => s.path === "/api/config/apply")).toEqual([]);
  });
});
