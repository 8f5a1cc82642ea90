import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/errors";
import { configFixture } from "../../test/fixtures";
import type { Config } from "./api";
import { diffForm, DraftInvalidError, formFromConfig, saveThenApply } from "./draft";

const config: Config = configFixture({ pending: [{ field: "ip_range", value: "172.21.0.0/16", current: "172.20.0.0/16", requested_at: 1 }] });

describe("the draft", () => {
  it("starts from the requested network, not the applied one", () => {
    expect(formFromConfig(config).ip_range).toBe("172.21.0.0/16");
  });
  it("holds only changed fields, typed as the API takes them", () => {
    const f = { ...formFromConfig(config), cell_name: "home", wireguard_port: "51821", endpoint: "" };
    expect(diffForm(config, f)).toEqual({ cell_name: "home", wireguard_port: 51821 });
    expect(diffForm(config, { ...f, endpoint: "vpn.example.org" })).toMatchObject({ endpoint: "vpn.example.org" });
    expect(diffForm({ ...config, endpoint: "x.org" }, { ...formFromConfig({ ...config, endpoint: "x.org" }), endpoint: "" })).toEqual({ endpoint: null });
  });
});

describe("saveThenApply", () => {
  it("saves unsaved edits, with the ETag, before applying", async () => {
    const calls: string[] = [];
    const save = vi.fn(async () => void calls.push("save"));
    const apply = vi.fn(async () => {
      calls.push("apply");
      return "applied";
    });
    const clearDraft = vi.fn(() => void calls.push("clear"));
    const r = await saveThenApply({ draft: { edits: { vpn_subnet: "10.9.0.0/24" }, valid: true }, etag: '"7"', save, apply, clearDraft });
    expect(r).toBe("applied");
    expect(calls).toEqual(["save", "clear", "apply"]);
    expect(save).toHaveBeenCalledWith({ vpn_subnet: "10.9.0.0/24" }, '"7"');
  });
  it("applies at once when nothing is unsaved", async () => {
    const save = vi.fn();
    const apply = vi.fn(async () => "ok");
    await saveThenApply({ draft: null, etag: null, save, apply, clearDraft: vi.fn() });
    await saveThenApply({ draft: { edits: {}, valid: false }, etag: null, save, apply, clearDraft: vi.fn() });
    expect(save).not.toHaveBeenCalled();
    expect(apply).toHaveBeenCalledTimes(2);
  });
  it("refuses invalid edits before sending anything", async () => {
    const save = vi.fn();
    const apply = vi.fn();
    await expect(saveThenApply({ draft: { edits: { ip_range: "x" }, valid: false }, etag: null, save, apply, clearDraft: vi.fn() })).rejects.toBeInstanceOf(DraftInvalidError);
    expect(save).not.toHaveBeenCalled();
    expect(apply).not.toHaveBeenCalled();
  });
  it("stops at a conflict: nothing applied, the draft kept", async () => {
    const save = vi.fn(async () => {
      throw new ApiError(412, "precondition_failed", "changed");
    });
    const apply = vi.fn();
    const clearDraft = vi.fn();
    const err = await saveThenApply({ draft: { edits: { cell_name: "x" }, valid: true }, etag: '"1"', save, apply, clearDraft }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).isConflict).toBe(true);
    expect(apply).not.toHaveBeenCalled();
    expect(clearDraft).not.toHaveBeenCalled();
  });
});
