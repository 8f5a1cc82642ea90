/* Where the cell answers over HTTPS (GET /api/access, no session needed):
 * the login page shows it when it came over plain HTTP, the Proxy page
 * lists it. The answer may have come over plain HTTP, so nothing in it is
 * used as a link unless it has the shape the API promises. */
import { useQuery } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../../api/client";

export type Access = Schemas["Access"];
export type HttpsAddress = Access["https"][number];
export const accessKey = ["access"] as const;

export function useAccess() {
  return useQuery({ queryKey: accessKey, queryFn: () => unwrap(api.GET("/api/access")) });
}

export const KIND_LABEL: Record<HttpsAddress["kind"], string> = {
  lan_address: "LAN address",
  host_name: "host name",
  cell_zone: "cell zone",
};

/* "https://host/" → "host" as URL writes it (lower case, IPv6 in
 * brackets); null for anything but an https:// root. */
export function httpsHost(url: string): string | null {
  if (!/^https:\/\/[^/]+\/$/i.test(url)) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" && !u.username && !u.password ? u.host : null;
  } catch {
    return null;
  }
}

/* The answer's HTTPS addresses that are well formed, each host once,
 * leaving out the hosts in `skip` (URLs, such as the one already shown). */
export function httpsAddresses(list: readonly HttpsAddress[], skip: readonly string[] = []): HttpsAddress[] {
  const seen = new Set(skip.map(httpsHost).filter((h): h is string => h !== null));
  const out: HttpsAddress[] = [];
  for (const a of list) {
    const host = httpsHost(a.url);
    if (host === null || seen.has(host)) continue;
    seen.add(host);
    out.push(a);
  }
  return out;
}

/* A SHA-256 as browsers and `pic ca show` print it ("AB:CD:…"); null
 * when `hex` is not 64 hex digits. */
export function fingerprint(hex: string): string | null {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return null;
  return hex.toUpperCase().match(/../g)!.join(":");
}

/* Where to download the CA: the answer's path when it is one of this
 * origin's, else the usual one. */
export function caDownloadPath(url: string | undefined, fallback: string): string {
  return url && /^\/(?!\/)[^\s\\]*$/.test(url) ? url : fallback;
}
