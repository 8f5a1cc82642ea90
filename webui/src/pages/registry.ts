/* Every page of the UI, in menu order. A new page is a module under
 * pages/ that exports `Page`, plus one row here: the router, the menu and
 * the page titles all come from this table. */
import type { ComponentType } from "react";
import { rolesOf, type Role } from "../auth/roles";

export interface PageDef {
  path: string; /* under the app's root; "" is the dashboard */
  title: string;
  load: () => Promise<{ Page: ComponentType }>;
  menu?: boolean; /* false: reachable by link only */
  roles?: Role[]; /* who sees it (auth/roles.ts); default: the admin */
}

export const pages: PageDef[] = [
  { path: "", title: "Dashboard", load: () => import("./Dashboard") },
  { path: "settings", title: "Settings", load: () => import("./Settings") },
  { path: "network/dns", title: "DNS", load: () => import("./Dns") },
  { path: "network/dhcp", title: "DHCP", load: () => import("./Dhcp") },
  { path: "network/ntp", title: "Time (NTP)", load: () => import("./Ntp") },
  { path: "vpn", title: "VPN", load: () => import("./Vpn") },
  { path: "proxy", title: "Proxy & certificates", load: () => import("./Proxy") },
  { path: "services", title: "Services", load: () => import("./Services") },
  { path: "accounts", title: "Accounts", load: () => import("./Accounts") },
  { path: "mail", title: "Mail", load: () => import("./Mail") },
  { path: "account", title: "Account", load: () => import("./Account") },
  { path: "me", title: "My account", load: () => import("./Me"), roles: ["user"] },
];

/* The pages `role` sees, in menu order. */
export function pagesFor(role: Role): PageDef[] {
  return pages.filter((p) => rolesOf(p).includes(role));
}
