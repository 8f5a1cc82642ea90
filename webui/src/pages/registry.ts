/* Every page of the UI, in menu order. A new page is a module under
 * pages/ that exports `Page`, plus one row here: the router, the menu and
 * the page titles all come from this table. */
import type { ComponentType } from "react";

export interface PageDef {
  path: string; /* under the app's root; "" is the dashboard */
  title: string;
  load: () => Promise<{ Page: ComponentType }>;
  menu?: boolean; /* false: reachable by link only */
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
  { path: "account", title: "Account", load: () => import("./Account") },
];
