import { describe, expect, it } from "vitest";
import { chartView, type Traffic } from "./traffic";

const traffic: Traffic = {
  interval_s: 5,
  points: 120,
  read_at: 1000,
  peers_total: 3,
  peers_online: 2,
  total: { t: [995, 1000], rx: [10, 30], tx: [1, 3] },
  peers: [
    { public_key: "KEYA", name: "laptop", bytes: 200, t: [1000], rx: [30], tx: [3] },
    { public_key: "KEYBBBBBBBBBBBBBBBB", name: null, bytes: 5, t: [1000], rx: [1], tx: [0] },
  ],
};

describe("chartView", () => {
  it("shows the whole interface unless a followed peer is chosen", () => {
    expect(chartView(traffic, "")).toEqual({ key: "", label: "All peers", series: traffic.total });
    expect(chartView(traffic, "KEYA").label).toBe("laptop");
    expect(chartView(traffic, "KEYA").series.rx).toEqual([30]);
  });
  it("names a key the store does not know by its start", () => {
    expect(chartView(traffic, "KEYBBBBBBBBBBBBBBBB").label).toBe("KEYBBBBBBBBB");
  });
  it("falls back to the interface when the chosen peer is no longer followed", () => {
    expect(chartView(traffic, "GONE").key).toBe("");
  });
});
