import { describe, expect, it } from "vitest";
import { parseZoneFile } from "./zonefile";

describe("parseZoneFile", () => {
  it("reads the supported types with TTLs, classes and comments", () => {
    const z = parseZoneFile(`$TTL 1h
$ORIGIN mycell.cell.
@      IN SOA ns root ( 1 2 3 4 5 ) ; the cell's own
@      IN NS ns
www    300 IN A 192.168.1.10 ; web
       IN AAAA fd00::10
@      MX 10 mail
_sip._tcp SRV 10 5 5060 sip
txt    TXT "v=spf1 -all" " more"
@      CAA 0 issue "letsencrypt.org"
`);
    expect(z.errors).toEqual([]);
    expect(z.skipped.map((s) => s.type)).toEqual(["SOA", "NS"]);
    expect(z.records).toEqual([
      { name: "www", type: "A", value: "192.168.1.10", ttl: 300 },
      { name: "www", type: "AAAA", value: "fd00::10", ttl: 3600 },
      { name: "@", type: "MX", priority: 10, value: "mail", ttl: 3600 },
      { name: "_sip._tcp", type: "SRV", priority: 10, weight: 5, port: 5060, value: "sip", ttl: 3600 },
      { name: "txt", type: "TXT", value: "v=spf1 -all more", ttl: 3600 },
      { name: "@", type: "CAA", flags: 0, tag: "issue", value: "letsencrypt.org", ttl: 3600 },
    ]);
  });
  it("names the line of what it cannot read", () => {
    const z = parseZoneFile("a IN A\n$INCLUDE other\nb IN\n");
    expect(z.errors.map((e) => e.line)).toEqual([1, 2, 3]);
  });
  it("keeps semicolons inside quotes", () => {
    expect(parseZoneFile('t TXT "a;b"').records[0]?.value).toBe("a;b");
  });
});
