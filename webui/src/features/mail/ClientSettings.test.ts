import { describe, expect, it } from "vitest";
import { domainOf, mailHosts } from "./ClientSettings";

describe("mail servers from an address", () => {
  it("takes the domain after the last @", () => {
    expect(domainOf("alice@mycell.cell")).toBe("mycell.cell");
    expect(domainOf("a@b@home.example")).toBe("home.example");
  });
  it("has none without a domain", () => {
    expect(domainOf(undefined)).toBeNull();
    expect(domainOf("alice")).toBeNull();
    expect(domainOf("alice@")).toBeNull();
  });
  it("names the zone's IMAP and SMTP servers", () => {
    expect(mailHosts("mycell.cell")).toEqual({ imap: "imap.mycell.cell", smtp: "smtp.mycell.cell" });
  });
});
