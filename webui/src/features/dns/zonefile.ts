/* Reads the records of a zone file (RFC 1035 master format: $ORIGIN,
 * $TTL, comments, parentheses, a blank owner repeating the last one) into
 * the API's record inputs, for POST /api/dns/records/batch. Types the cell
 * does not serve, and the zone's own SOA/NS, are skipped and counted: the
 * cell publishes those itself. The API judges every value. */
import type { Schemas } from "../../api/client";

export type RecordInput = Schemas["DnsRecordInput"];
export const RECORD_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT", "SRV", "CAA"] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export interface ZoneImport {
  records: RecordInput[];
  skipped: { line: number; type: string }[];
  errors: { line: number; message: string }[];
}

/* Splits one logical line into fields; quoted strings stay one field
 * (without the quotes, marked by `quoted`). */
function tokenize(text: string): { value: string; quoted: boolean }[] {
  const out: { value: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t") {
      i++;
    } else if (c === ";") {
      break;
    } else if (c === '"') {
      let v = "";
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        v += text[i];
        i++;
      }
      i++;
      out.push({ value: v, quoted: true });
    } else {
      let v = "";
      while (i < text.length && !" \t;\"".includes(text[i]!)) v += text[i++];
      out.push({ value: v, quoted: false });
    }
  }
  return out;
}

/* Joins the lines of a parenthesised record; keeps the first line number. */
function logicalLines(text: string): { line: number; text: string; indented: boolean }[] {
  const out: { line: number; text: string; indented: boolean }[] = [];
  let open = 0;
  let cur: { line: number; text: string; indented: boolean } | null = null;
  text.split(/\r?\n/).forEach((raw, idx) => {
    let inQuote = false;
    let body = "";
    for (const ch of raw) {
      if (ch === '"') inQuote = !inQuote;
      if (!inQuote && ch === ";") break;
      if (!inQuote && ch === "(") { open++; body += " "; continue; }
      if (!inQuote && ch === ")") { open = Math.max(0, open - 1); body += " "; continue; }
      body += ch;
    }
    if (cur) cur.text += " " + body;
    else cur = { line: idx + 1, text: body, indented: /^[ \t]/.test(raw) };
    if (open === 0) {
      if (cur.text.trim()) out.push(cur);
      cur = null;
    }
  });
  if (cur && (cur as { text: string }).text.trim()) out.push(cur);
  return out;
}

const TTL_RE = /^\d+[smhdw]?$/i;

function ttlSeconds(v: string): number {
  const m = /^(\d+)([smhdw]?)$/i.exec(v);
  if (!m) return NaN;
  const mult: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  return Number(m[1]) * (mult[m[2]!.toLowerCase()] ?? 1);
}

function isType(v: string): boolean {
  return /^[A-Z][A-Z0-9]*$/i.test(v) && !TTL_RE.test(v) && v.toUpperCase() !== "IN";
}

export function parseZoneFile(text: string): ZoneImport {
  const result: ZoneImport = { records: [], skipped: [], errors: [] };
  let last = "@";
  let defaultTtl: number | undefined;
  for (const l of logicalLines(text)) {
    const t = tokenize(l.text);
    if (t.length === 0) continue;
    const first = t[0]!.value;
    if (first.toUpperCase() === "$TTL") {
      const n = ttlSeconds(t[1]?.value ?? "");
      if (Number.isNaN(n)) result.errors.push({ line: l.line, message: "$TTL needs a number" });
      else defaultTtl = n;
      continue;
    }
    if (first.startsWith("$")) {
      if (first.toUpperCase() !== "$ORIGIN") result.errors.push({ line: l.line, message: `${first} is not supported` });
      continue;
    }
    let i = 0;
    let owner = last;
    if (!l.indented) {
      owner = first;
      i = 1;
    }
    let ttl = defaultTtl;
    let type: string | undefined;
    while (i < t.length && !type) {
      const v = t[i]!.value;
      if (TTL_RE.test(v)) ttl = ttlSeconds(v);
      else if (v.toUpperCase() === "IN") { /* class */ }
      else if (isType(v)) type = v.toUpperCase();
      i++;
    }
    last = owner;
    if (!type) {
      result.errors.push({ line: l.line, message: "no record type" });
      continue;
    }
    const rdata = t.slice(i);
    if (!(RECORD_TYPES as readonly string[]).includes(type)) {
      result.skipped.push({ line: l.line, type });
      continue;
    }
    const rec = toRecord(owner, type as RecordType, rdata);
    if (typeof rec === "string") {
      result.errors.push({ line: l.line, message: rec });
      continue;
    }
    if (ttl !== undefined) rec.ttl = ttl;
    result.records.push(rec);
  }
  return result;
}

function toRecord(name: string, type: RecordType, rd: { value: string; quoted: boolean }[]): RecordInput | string {
  const need = (n: number) => (rd.length < n ? `${type} needs ${n} value(s)` : null);
  const num = (v: string | undefined) => Number(v);
  switch (type) {
    case "A":
    case "AAAA":
    case "CNAME":
      return need(1) ?? { name, type, value: rd[0]!.value };
    case "MX":
      return need(2) ?? { name, type, priority: num(rd[0]!.value), value: rd[1]!.value };
    case "SRV":
      return need(4) ?? { name, type, priority: num(rd[0]!.value), weight: num(rd[1]!.value), port: num(rd[2]!.value), value: rd[3]!.value };
    case "TXT":
      return need(1) ?? { name, type, value: rd.map((x) => x.value).join("") };
    case "CAA": {
      const tag = rd[1]?.value.toLowerCase();
      if (need(3)) return need(3)!;
      if (tag !== "issue" && tag !== "issuewild" && tag !== "iodef") return `CAA tag ${tag ?? ""} is not supported`;
      return { name, type, flags: num(rd[0]!.value), tag, value: rd[2]!.value };
    }
  }
}
