/* Who may see which page. An admin runs the cell: every page but a cell
 * account's own. A user (a cell account: a person with mail, calendar,
 * files) sees only their own page, so no admin route is ever asked for
 * (each would answer 403 admin_required). The API stays the judge. */
import type { Session } from "./session";

export type Role = "admin" | "user";

/* A picd from before cell accounts sends no role: only the admin logs in there. */
export function roleOf(session: Pick<Session, "role"> | null | undefined): Role {
  return session?.role === "user" ? "user" : "admin";
}

/* Where each role lands after logging in. */
export function homeOf(role: Role): string {
  return role === "user" ? "/me" : "/";
}

export interface RoleRoute {
  path: string; /* as in pages/registry.ts: under the root, "" the dashboard */
  roles?: Role[]; /* default: the admin's */
}

export function rolesOf(p: RoleRoute): Role[] {
  return p.roles ?? ["admin"];
}

function normalise(pathname: string): string {
  return pathname.replace(/^\/+/, "").replace(/\/+$/, "");
}

/* The page of `routes` at `pathname`; undefined for no page (not found). */
function pageAt<T extends RoleRoute>(routes: T[], pathname: string): T | undefined {
  const p = normalise(pathname);
  return routes.find((r) => r.path === p);
}

/* Where to send `role` instead of `pathname`, or null to stay. A user
 * stays only on a page of theirs (anything else, unknown paths included,
 * goes to their page); an admin leaves the users' pages for the dashboard
 * and gets "not found" elsewhere as before. */
export function redirectFor(role: Role, pathname: string, routes: RoleRoute[]): string | null {
  const page = pageAt(routes, pathname);
  if (role === "user") return page && rolesOf(page).includes("user") ? null : homeOf("user");
  return page && !rolesOf(page).includes("admin") ? homeOf("admin") : null;
}

/* After logging in: the page asked for (already a safe path, see
 * safeNext) when the role may see it, else the role's home. */
export function afterLogin(role: Role, next: string, routes: RoleRoute[]): string {
  const path = next.split(/[?#]/)[0] ?? "/";
  return redirectFor(role, path, routes) ?? next;
}
