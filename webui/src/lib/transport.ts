/* Whether the page came over plain HTTP from another machine: then the
 * password typed into it crosses the network in clear. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function plainHttpOverNetwork(loc: { protocol: string; hostname: string }): boolean {
  return loc.protocol === "http:" && !isLoopbackHost(loc.hostname);
}

export function httpsUrl(loc: { hostname: string; pathname: string }): string {
  const host = loc.hostname.includes(":") && !loc.hostname.startsWith("[") ? `[${loc.hostname}]` : loc.hostname;
  return `https://${host}${loc.pathname}`;
}
