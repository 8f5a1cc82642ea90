import { describe, expect, it } from "vitest";
import { afterLogin, homeOf, redirectFor, roleOf, type RoleRoute } from "./roles";
import { pages, pagesFor } from "../pages/registry";

const routes: RoleRoute[] = [{ path: "" }, { path: "network/dns" }, { path: "accounts" }, { path: "me", roles: ["user"] }];

describe("roleOf", () => {
  it("reads the session's role; no role (an older picd) is the admin", () => {
    expect(roleOf({ role: "user" })).toBe("user");
    expect(roleOf({ role: "admin" })).toBe("admin");
    expect(roleOf({} as { role: "admin" })).toBe("admin");
    expect(roleOf(null)).toBe("admin");
  });
  it("homes each role", () => {
    expect(homeOf("user")).toBe("/me");
    expect(homeOf("admin")).toBe("/");
  });
});

describe("redirectFor", () => {
  it("keeps a user on their own page, trailing slash or not", () => {
    expect(redirectFor("user", "/me", routes)).toBeNull();
    expect(redirectFor("user", "/me/", routes)).toBeNull();
  });
  it("sends a user from any admin page, or an unknown one, to /me", () => {
    expect(redirectFor("user", "/", routes)).toBe("/me");
    expect(redirectFor("user", "/network/dns", routes)).toBe("/me");
    expect(redirectFor("user", "/accounts", routes)).toBe("/me");
    expect(redirectFor("user", "/no/such/page", routes)).toBe("/me");
  });
  it("lets the admin everywhere but a user's page, and unknown paths reach not-found", () => {
    expect(redirectFor("admin", "/", routes)).toBeNull();
    expect(redirectFor("admin", "/accounts", routes)).toBeNull();
    expect(redirectFor("admin", "/no/such/page", routes)).toBeNull();
    expect(redirectFor("admin", "/me", routes)).toBe("/");
  });
});

describe("afterLogin", () => {
  it("lands a user on /me whatever they were going to", () => {
    expect(afterLogin("user", "/", routes)).toBe("/me");
    expect(afterLogin("user", "/network/dns?x=1", routes)).toBe("/me");
    expect(afterLogin("user", "/me", routes)).toBe("/me");
  });
  it("takes the admin where it was going", () => {
    expect(afterLogin("admin", "/", routes)).toBe("/");
    expect(afterLogin("admin", "/network/dns?tab=records#x", routes)).toBe("/network/dns?tab=records#x");
    expect(afterLogin("admin", "/me", routes)).toBe("/");
  });
});

describe("the registry", () => {
  it("gives a user My account only, and the admin Accounts but not My account", () => {
    expect(pagesFor("user").map((p) => p.path)).toEqual(["me"]);
    const admin = pagesFor("admin").map((p) => p.path);
    expect(admin).toContain("accounts");
    expect(admin).not.toContain("me");
    expect(admin.length).toBe(pages.length - 1);
  });
});
