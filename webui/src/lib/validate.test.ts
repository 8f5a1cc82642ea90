import { describe, expect, it } from "vitest";
import * as v from "./validate";

describe("dnsName", () => {
  it("takes labels of letters, digits and inner hyphens", () => {
    expect(v.dnsName("mycell")).toBeUndefined();
    expect(v.dnsName("a-b.c0")).toBeUndefined();
  });
  it("refuses what the API refuses", () => {
    expect(v.dnsName("")).toMatch(/Required/);
    expect(v.dnsName("-a")).toMatch(/hyphen/);
    expect(v.dnsName("a-")).toMatch(/hyphen/);
    expect(v.dnsName("a..b")).toMatch(/Empty label/);
    expect(v.dnsName("a_b")).toMatch(/Letters/);
    expect(v.dnsName("x".repeat(64))).toMatch(/63/);
    expect(v.dnsName(Array(64).fill("abcd").join("."))).toMatch(/255/);
    expect(v.dnsName(Array(63).fill("abc").join(".") + ".ab")).toBeUndefined(); /* 254 */
  });
});

describe("networks", () => {
  it("needs an explicit prefix", () => expect(v.ipRange("172.20.0.0")).toMatch(/prefix/));
  it("needs zero host bits", () => expect(v.ipRange("172.20.0.1/16")).toMatch(/Host bits/));
  it("needs RFC 1918", () => {
    expect(v.ipRange("8.8.0.0/16")).toMatch(/10\.0\.0\.0\/8/);
    expect(v.ipRange("172.32.0.0/16")).toMatch(/172\.16/);
    expect(v.ipRange("192.168.0.0/16")).toBeUndefined();
  });
  it("bounds the prefix per field", () => {
    expect(v.ipRange("10.0.0.0/8")).toMatch(/\/16 to \/27/);
    expect(v.ipRange("10.0.0.0/28")).toMatch(/\/16 to \/27/);
    expect(v.vpnSubnet("10.0.0.0/30")).toBeUndefined();
    expect(v.vpnSubnet("10.0.0.0/31")).toMatch(/\/16 to \/30/);
  });
  it("rejects malformed addresses", () => {
    expect(v.ipRange("256.0.0.0/16")).toMatch(/Not an IPv4/);
    expect(v.ipRange("010.0.0.0/16")).toMatch(/Not an IPv4/);
    expect(v.ipRange("10.0.0.0/x")).toMatch(/Not an IPv4/);
  });
  it("finds overlaps", () => {
    expect(v.networksApart("172.20.0.0/16", "172.20.5.0/24")).toMatch(/Overlaps/);
    expect(v.networksApart("172.20.0.0/16", "10.0.0.0/24")).toBeUndefined();
  });
});

describe("port and endpoint", () => {
  it("checks ports", () => {
    expect(v.port("51820")).toBeUndefined();
    expect(v.port("0")).toBeDefined();
    expect(v.port("65536")).toBeDefined();
    expect(v.port("12a")).toBeDefined();
  });
  it("checks endpoints", () => {
    expect(v.endpoint("")).toBeUndefined();
    expect(v.endpoint("vpn.example.org:51820")).toBeUndefined();
    expect(v.endpoint("203.0.113.7")).toBeUndefined();
    expect(v.endpoint("203.0.113.700")).toMatch(/IPv4/);
    expect(v.endpoint("host:99999")).toMatch(/port/);
    expect(v.endpoint("bad_host")).toMatch(/Host/);
  });
});
