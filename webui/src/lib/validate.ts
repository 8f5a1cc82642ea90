/* Input checks that mirror the API's (docs/api.md, "Validation rules"),
 * so a form says what is wrong before it is sent. The API stays the
 * judge: its answer is shown next to the field it names. Each returns an
 * error message, or undefined when the value is fine. */

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export function dnsName(v: string): string | undefined {
  if (v.length === 0) return "Required";
  if (v.length > 255) return "At most 255 characters";
  for (const label of v.split(".")) {
    if (label.length === 0) return "Empty label (two dots, or a dot at an end)";
    if (label.length > 63) return "A label has at most 63 characters";
    if (!LABEL.test(label)) return "Letters, digits and hyphens only; no hyphen at the start or end of a label";
  }
  return undefined;
}

export interface Cidr {
  addr: number; /* host order, unsigned */
  prefix: number;
}

export function parseIpv4(v: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1]!.length > 1 && m[i + 1]!.startsWith("0")))) return null;
  return (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) >>> 0;
}

export function parseCidr(v: string): Cidr | null {
  const slash = v.indexOf("/");
  if (slash < 0) return null;
  const addr = parseIpv4(v.slice(0, slash));
  const ptext = v.slice(slash + 1);
  if (addr === null || !/^\d{1,2}$/.test(ptext)) return null;
  const prefix = Number(ptext);
  if (prefix > 32) return null;
  return { addr, prefix };
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

const PRIVATE: Cidr[] = [
  { addr: 0x0a000000, prefix: 8 },
  { addr: 0xac100000, prefix: 12 },
  { addr: 0xc0a80000, prefix: 16 },
];

function inside(inner: Cidr, outer: Cidr): boolean {
  return inner.prefix >= outer.prefix && ((inner.addr & mask(outer.prefix)) >>> 0) === outer.addr;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return ((a.addr & mask(p)) >>> 0) === ((b.addr & mask(p)) >>> 0);
}

/* A private IPv4 network with an explicit prefix in [minPrefix, maxPrefix]. */
export function privateCidr(v: string, minPrefix: number, maxPrefix: number): string | undefined {
  if (!v.includes("/")) return "Give the prefix too, e.g. 172.20.0.0/16";
  const c = parseCidr(v);
  if (!c) return "Not an IPv4 network (a.b.c.d/prefix)";
  if (((c.addr & ~mask(c.prefix)) >>> 0) !== 0) return "Host bits must be zero for this prefix";
  if (!PRIVATE.some((p) => inside(c, p))) return "Must be inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16";
  if (c.prefix < minPrefix || c.prefix > maxPrefix) return `The prefix must be /${minPrefix} to /${maxPrefix}`;
  return undefined;
}

export function ipRange(v: string): string | undefined {
  return privateCidr(v, 16, 27);
}

export function vpnSubnet(v: string): string | undefined {
  return privateCidr(v, 16, 30);
}

/* Both networks valid and apart. */
export function networksApart(ipRangeText: string, vpnText: string): string | undefined {
  const a = parseCidr(ipRangeText);
  const b = parseCidr(vpnText);
  if (a && b && overlaps(a, b)) return "Overlaps the cell network (ip_range)";
  return undefined;
}

export function port(v: string | number): string | undefined {
  const s = String(v).trim();
  if (!/^\d{1,5}$/.test(s)) return "A port number, 1 to 65535";
  const n = Number(s);
  return n >= 1 && n <= 65535 ? undefined : "A port number, 1 to 65535";
}

/* Empty (none), or a host name or IPv4 address with an optional :port. */
export function endpoint(v: string): string | undefined {
  if (v === "") return undefined;
  const m = /^(.*?)(?::(\d+))?$/.exec(v);
  const host = m?.[1] ?? "";
  if (m?.[2] !== undefined && port(m[2])) return "The port must be 1 to 65535";
  if (parseIpv4(host) !== null) return undefined;
  if (/^[\d.]+$/.test(host)) return "Not an IPv4 address";
  const e = dnsName(host);
  return e ? `Host: ${e}` : undefined;
}
