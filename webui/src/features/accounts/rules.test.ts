import { describe, expect, it } from "vitest";
import * as r from "./rules";
import { accountChanges, orderedServices, type Account } from "./api";
import { createBody } from "./AddAccountDialog";

describe("accountName", () => {
  it("takes one lower-case DNS label starting with a letter", () => {
    for (const ok of ["alice", "a", "bob-smith", "x9", "a".repeat(32)]) expect(r.accountName(ok)).toBeUndefined();
  });
  it("refuses what account.c refuses", () => {
    expect(r.accountName("")).toMatch(/Required/);
    expect(r.accountName("a".repeat(33))).toMatch(/32/);
    expect(r.accountName("Alice")).toMatch(/lower case/);
    expect(r.accountName("al_ice")).toMatch(/letters, digits and hyphens/);
    expect(r.accountName("al.ice")).toMatch(/letters, digits and hyphens/);
    expect(r.accountName("9lives")).toMatch(/start with a letter/);
    expect(r.accountName("-bob")).toMatch(/start with a letter/);
    expect(r.accountName("bob-")).toMatch(/end with a hyphen/);
  });
  it("refuses exactly the reserved role names", () => {
    for (const n of ["abuse", "admin", "administrator", "hostmaster", "mailer-daemon", "noc", "nobody", "postmaster", "root", "security", "webmaster"])
      expect(r.accountName(n)).toMatch(/reserved/);
    expect(r.RESERVED_NAMES).toHaveLength(11);
    /* The API's own path segment where a name would be. */
    expect(r.accountName("orphans")).toMatch(/reserved/);
    expect(r.alias("orphans")).toBeUndefined();
    /* Not in account.c's list: free for a person. */
    expect(r.accountName("info")).toBeUndefined();
    expect(r.accountName("support")).toBeUndefined();
  });
});

describe("aliases", () => {
  it("parses commas, spaces, semicolons and new lines, dropping empties", () => {
    expect(r.parseAliases("")).toEqual([]);
    expect(r.parseAliases("  ")).toEqual([]);
    expect(r.parseAliases("asmith, info ,  postmaster\nbob;carol,,")).toEqual(["asmith", "info", "postmaster", "bob", "carol"]);
    expect(r.formatAliases(["a", "b"])).toBe("a, b");
    expect(r.parseAliases(r.formatAliases(["a", "b-2"]))).toEqual(["a", "b-2"]);
  });
  it("checks each alias: a label that may start with a digit, role names allowed", () => {
    expect(r.alias("postmaster")).toBeUndefined();
    expect(r.alias("2nd")).toMatch(/start with a letter/); /* as account.c's check_label */
    expect(r.alias("-x")).toMatch(/start with a letter/);
    expect(r.alias("x-")).toMatch(/end with a hyphen/);
    expect(r.alias("A")).toMatch(/lower case/);
  });
  it("checks the list against the name, repeats and the limit", () => {
    expect(r.aliasList(["asmith", "info"], "alice")).toBeUndefined();
    expect(r.aliasList(["alice"], "alice")).toMatch(/own name/);
    expect(r.aliasList(["alice"], "")).toBeUndefined();
    expect(r.aliasList(["a", "b", "a"], "x")).toMatch(/twice/);
    expect(r.aliasList(["ok", "Bad"], "x")).toMatch(/^Bad: .*lower case/);
    expect(r.aliasList(Array.from({ length: 33 }, (_, i) => `a${i}`), "x")).toMatch(/32/);
    expect(r.aliasList(Array.from({ length: 32 }, (_, i) => `a${i}`), "x")).toBeUndefined();
  });
});

describe("accountPassword", () => {
  it("needs 10 characters, counted as characters not bytes", () => {
    expect(r.accountPassword("", "alice")).toMatch(/Required/);
    expect(r.accountPassword("short-pw9", "alice")).toMatch(/10/);
    expect(r.accountPassword("correct horse", "alice")).toBeUndefined();
    expect(r.accountPassword("äöüäöüäöüä", "alice")).toBeUndefined();
    expect(r.accountPassword("äöüäöüäöü", "alice")).toMatch(/10/);
  });
  it("refuses the name inside, in any case", () => {
    expect(r.accountPassword("my-alice-password", "alice")).toMatch(/user name/);
    expect(r.accountPassword("ALICEwonderland", "alice")).toMatch(/user name/);
    expect(r.accountPassword("my-alice-password", "")).toBeUndefined();
  });
  it("refuses one character repeated", () => {
    expect(r.accountPassword("aaaaaaaaaaaa", "bob")).toMatch(/repeated/);
    expect(r.accountPassword("aaaaaaaaaaab", "bob")).toBeUndefined();
  });
  it("bounds the bytes", () => {
    expect(r.accountPassword("x".repeat(1024) + "y", "bob")).toMatch(/1024/);
  });
});

describe("quota, display name", () => {
  it("checks the quota", () => {
    expect(r.quota("0")).toBeUndefined();
    expect(r.quota("1024")).toBeUndefined();
    expect(r.quota(1048576)).toBeUndefined();
    expect(r.quota("1048577")).toMatch(/1 TiB/);
    expect(r.quota("")).toMatch(/whole number/);
    expect(r.quota("-1")).toMatch(/whole number/);
    expect(r.quota("1.5")).toMatch(/whole number/);
    expect(r.formatQuota(0)).toBe("no limit");
    expect(r.formatQuota(2048)).toBe("2 GiB");
    expect(r.formatQuota(500)).toBe("500 MiB");
  });
  it("checks the display name in bytes", () => {
    expect(r.displayName("")).toBeUndefined();
    expect(r.displayName("Alice Smith")).toBeUndefined();
    expect(r.displayName("é".repeat(64))).toBeUndefined();
    expect(r.displayName("é".repeat(65))).toMatch(/128/);
    expect(r.displayName("a\tb")).toMatch(/control/);
  });
});

const alice: Account = {
  name: "alice", display_name: "Alice", services: ["mail", "calendar", "files"], mail_quota_mb: 1024, mail_used_bytes: 0,
  aliases: ["asmith"], addresses: ["alice@mycell.cell", "asmith@mycell.cell"], disabled: false, created_at: 1, updated_at: 1,
};

describe("request bodies", () => {
  it("creates with the form's values, trimmed and parsed", () => {
    expect(createBody({ name: " bob ", password: "a long pass", repeat: "a long pass", display_name: " Bob ", services: ["files", "mail"], mail_quota_mb: "0", aliases: "b, bobby" }))
      .toEqual({ name: "bob", password: "a long pass", display_name: "Bob", services: ["mail", "files"], mail_quota_mb: 0, aliases: ["b", "bobby"] });
  });
  it("orders services as the API lists them", () => {
    expect(orderedServices(["files", "mail", "bogus"])).toEqual(["mail", "files"]);
  });
  it("changes only what differs", () => {
    const same = { display_name: "Alice", services: orderedServices(alice.services), mail_quota_mb: 1024, aliases: ["asmith"], disabled: false };
    expect(accountChanges(alice, same)).toEqual({});
    expect(accountChanges(alice, { ...same, disabled: true })).toEqual({ disabled: true });
    expect(accountChanges(alice, { ...same, services: ["mail"], aliases: [] })).toEqual({ services: ["mail"], aliases: [] });
    expect(accountChanges({ ...alice, services: ["files", "mail"] }, { ...same, services: ["mail", "files"] })).toEqual({});
  });
});
