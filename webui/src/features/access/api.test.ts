import { describe, expect, it } from "vitest";
import { caDownloadPath, fingerprint, httpsAddresses, httpsHost } from "./api";

describe("fingerprint", () => {
  it("writes the digest as browsers show it", () => {
    expect(fingerprint("ab".repeat(31) + "0f")).toBe(Array(31).fill("AB").concat("0F").join(":"));
  });
  it("refuses anything but 64 hex digits", () => {
    for (const h of ["", "ab", "g".repeat(64), "ab".repeat(33)]) expect(fingerprint(h)).toBeNull();
  });
});

describe("httpsAddresses", () => {
  const list = [
    { url: "https://192.168.77.1/", kind: "lan_address" },
    { url: "https://PicBox/", kind: "host_name" },
    { url: "https://picbox/", kind: "host_name" },
    { url: "javascript:alert(1)//", kind: "host_name" },
    { url: "http://plain/", kind: "host_name" },
    { url: "https://[fd00::1]/", kind: "lan_address" },
    { url: "https://mycell.cell/", kind: "cell_zone" },
  ] as const;
  it("keeps well-formed HTTPS roots, each host once, minus the ones shown", () => {
    expect(httpsAddresses(list, ["https://192.168.77.1/"]).map((a) => a.url)).toEqual(["https://PicBox/", "https://[fd00::1]/", "https://mycell.cell/"]);
  });
  it("compares hosts as URL writes them", () => {
    expect(httpsHost("https://PicBox/")).toBe("picbox");
    expect(httpsHost("https://user@picbox/")).toBeNull();
    expect(httpsHost("https://picbox/path/")).toBeNull();
  });
});

describe("caDownloadPath", () => {
  it("takes a path of this origin only", () => {
    expect(caDownloadPath("/api/vault/ca.crt?format=der", "/x")).toBe("/api/vault/ca.crt?format=der");
    for (const u of [undefined, "", "//evil.example/ca.crt", "/\\evil.example", "https://evil.example/ca.crt", "javascript:alert(1)"]) expect(caDownloadPath(u, "/x")).toBe("/x");
  });
});
