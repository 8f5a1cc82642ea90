import { describe, expect, it } from "vitest";
import { httpsUrl, plainHttpOverNetwork } from "./transport";

describe("plainHttpOverNetwork", () => {
  it("is false on loopback and over HTTPS", () => {
    for (const h of ["localhost", "127.0.0.1", "127.1.2.3", "[::1]", "app.localhost"]) expect(plainHttpOverNetwork({ protocol: "http:", hostname: h })).toBe(false);
    expect(plainHttpOverNetwork({ protocol: "https:", hostname: "192.168.1.5" })).toBe(false);
  });
  it("is true for plain HTTP from the LAN", () => {
    expect(plainHttpOverNetwork({ protocol: "http:", hostname: "192.168.1.5" })).toBe(true);
    expect(plainHttpOverNetwork({ protocol: "http:", hostname: "cell.lan" })).toBe(true);
  });
  it("builds the HTTPS address", () => expect(httpsUrl({ hostname: "192.168.1.5", pathname: "/login" })).toBe("https://192.168.1.5/login"));
});
