import { describe, expect, it } from "vitest";
import { HISTORY, TrafficHistory } from "./traffic";

describe("TrafficHistory", () => {
  it("turns counter readings into rates", () => {
    const h = new TrafficHistory();
    h.add("k", { at: 0, rx: 0, tx: 0 });
    h.add("k", { at: 5, rx: 5000, tx: 500 });
    expect(h.get("k")).toEqual({ t: [5], rx: [1000], tx: [100] });
  });
  it("restarts after a counter reset and stays bounded", () => {
    const h = new TrafficHistory();
    h.add("k", { at: 0, rx: 100, tx: 100 });
    h.add("k", { at: 1, rx: 50, tx: 150 });
    expect(h.get("k")?.rx).toEqual([0]);
    for (let i = 2; i < HISTORY + 50; i++) h.add("k", { at: i, rx: i * 10, tx: 0 });
    expect(h.get("k")?.t.length).toBe(HISTORY);
  });
  it("orders by the latest rate and forgets gone peers", () => {
    const h = new TrafficHistory();
    for (const [k, rate] of [["a", 1], ["b", 9], ["c", 5]] as const) {
      h.add(k, { at: 0, rx: 0, tx: 0 });
      h.add(k, { at: 1, rx: rate, tx: 0 });
    }
    expect(h.busiest(2)).toEqual(["b", "c"]);
    h.retain(new Set(["a"]));
    expect(h.busiest(3)).toEqual(["a"]);
  });
});
