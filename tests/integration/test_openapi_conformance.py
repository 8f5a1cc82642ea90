"""The OpenAPI document against what the API really answers: one cell is
driven through every operation the document lists (records of each type,
forwards, a DHCP lease and reservation, peers, tokens, certificates
issued and revoked, a proxy route switched, services restarted, logs and
events read, settings read and written, a vpn_subnet applied, the root CA
replaced, the cell stopped last), errors included (400 with a field, 401,
404, 409, 412, 415). Every answer's status must be one its operation
documents and its body must validate against the documented schema (JSON
Schema 2020-12, formats checked) or carry the documented content type;
every request body the API accepted must validate against the documented
request schema, every query parameter sent must be documented. An
operation of the document that the test does not call fails it, so a new
route needs its conformance call here."""

import base64
import codecs
import http.cookiejar
import json
import os
import re
import time
import urllib.parse

import requests
from jsonschema import Draft202012Validator, RefResolver

from conftest import wait_for

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
LAN_SETTINGS = {"interface": "lan0", "range_start": "192.168.77.100", "range_end": "192.168.77.199",
                "lease_time": 3600, "gateway": "192.168.77.1"}


def utf8(b):
    try:
        return bool(b.decode("utf-8"))
    except UnicodeDecodeError:
        return False


# What a body of each non-JSON type must look like.
MAGIC = {
    "image/png": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/svg+xml": lambda b: b"<svg" in b[:512],
    "application/x-pem-file": lambda b: b.startswith(b"-----BEGIN "),
    "application/pkix-cert": lambda b: b[:1] == b"\x30",
    "application/pkix-crl": lambda b: b[:1] == b"\x30",
    "text/plain": utf8,
}


def coerce(text, schema):
    """A query or path parameter's text as the type its schema says."""
    kind = schema.get("type")
    if kind == "integer" and re.fullmatch(r"-?\d+", text):
        return int(text)
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


class Conformance:
    """Calls operations of `doc` and collects every way an answer (or an
    accepted request) differs from the document, in `problems`."""

    def __init__(self, url, doc):
        self.url = url
        self.doc = doc
        self.resolver = RefResolver.from_schema(doc)
        self.ops = {}
        for path, item in doc["paths"].items():
            for method, op in item.items():
                if method in METHODS:
                    params = {(p["in"], p["name"]): p for p in item.get("parameters", []) + op.get("parameters", [])}
                    self.ops[(method.upper(), path)] = (op, params)
        self.called = set()
        self.problems = []

    def validate(self, value, schema, where):
        v = Draft202012Validator(schema, resolver=self.resolver, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for e in v.iter_errors(value):
            at = "/".join(str(p) for p in e.absolute_path) or "(top)"
            self.problems.append(f"{where}: at {at}: {e.message[:300]}")

    def call(self, session, method, template, expect, params=None, query=None, json=None, data=None, headers=None,
             stream=False):
        """One request to `template` with its {params} filled in; the
        status must be in `expect` (the test's own expectation)."""
        params = params or {}
        path = re.sub(r"\{(\w+)\}", lambda m: urllib.parse.quote(str(params[m.group(1)]), safe=""), template)
        r = session.request(method, self.url + path, params=query, json=json, data=data, headers=headers,
                            stream=stream, timeout=(5, 10 if stream else 60))
        expect = (expect,) if isinstance(expect, int) else expect
        assert r.status_code in expect, (method, path, r.status_code, "" if stream else r.text[:1000])
        self.called.add((method, template))
        where = f"{method} {template} {r.status_code}"
        if (method, template) not in self.ops:
            self.problems.append(f"{where}: the operation is not in the document")
            return r
        op, declared = self.ops[(method, template)]
        self.check_answer(op, r, where, stream)
        if 200 <= r.status_code < 300:
            self.check_request(op, declared, params, query or {}, json, where)
        return r

    def check_answer(self, op, r, where, stream):
        responses = op.get("responses", {})
        spec = responses.get(str(r.status_code)) or responses.get(f"{r.status_code // 100}XX") or \
            responses.get("default")
        if spec is None:
            self.problems.append(f"{where}: status not documented (documented: {', '.join(responses)})")
            return
        for name, header in spec.get("headers", {}).items():
            if header.get("required") and name not in r.headers:
                self.problems.append(f"{where}: required header {name} missing")
        content = spec.get("content")
        ctype = r.headers.get("Content-Type", "").split(";")[0].strip()
        if not content:
            if not stream and r.content:
                self.problems.append(f"{where}: documented without a body, got {ctype}: {r.text[:200]}")
            return
        if ctype not in content:
            self.problems.append(f"{where}: content type '{ctype}' not documented ({', '.join(content)})")
            return
        if stream:
            return
        if ctype == "application/json":
            try:
                body = r.json()
            except ValueError:
                self.problems.append(f"{where}: not JSON: {r.text[:200]}")
                return
            self.validate(body, content[ctype].get("schema", {}), where)
        elif ctype in MAGIC and not MAGIC[ctype](r.content):
            self.problems.append(f"{where}: the body is not {ctype}: {r.content[:60]!r}")

    def check_request(self, op, declared, params, query, body, where):
        """What the API accepted must be valid by the document."""
        for place, values in (("path", params), ("query", query)):
            for name, value in values.items():
                p = declared.get((place, name))
                if p is None:
                    self.problems.append(f"{where}: {place} parameter '{name}' is not documented")
                    continue
                schema = p.get("schema", {})
                self.validate(coerce(str(value), schema), schema, f"{where} {place} parameter {name}")
        if body is not None:
            req = op.get("requestBody", {}).get("content", {}).get("application/json")
            if req is None:
                self.problems.append(f"{where}: the API took a JSON body the document does not describe")
            else:
                self.validate(body, req.get("schema", {}), f"{where} request body")


class EventStream:
    """The events of a streamed Server-Sent Events answer, one at a time;
    a read waits at most the request's read timeout, so nothing hangs."""

    def __init__(self, conformance, r):
        self.c = conformance
        self.r = r
        self.chunks = r.iter_content(chunk_size=None)
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = ""

    def next(self):
        """The next event as {field: value}; None when the stream ended."""
        while "\n\n" not in self.text:
            chunk = next(self.chunks, None)
            if chunk is None:
                return None
            self.text += self.decoder.decode(chunk)
        block, self.text = self.text.split("\n\n", 1)
        event = {}
        for line in block.splitlines():
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            event[name] = event[name] + "\n" + value if name in event else value
        if event.get("event") == "apply":
            self.c.validate(json.loads(event["data"]), {"$ref": "#/components/schemas/ApplyEvent"},
                            "GET /api/events: apply event")
        return event

    def until(self, predicate, limit=50):
        """Reads events until one satisfies `predicate`; that one."""
        for _ in range(limit):
            event = self.next()
            if event is None or predicate(event):
                return event
        return None

    def close(self):
        self.r.close()


def logged_in(r):
    """A session from the answer to a login: its cookie and CSRF token."""
    s = requests.Session()
    s.cookies = r.cookies
    s.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return s


def bearer(token):
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    return s


def field_of(r):
    return r.json()["error"].get("field")


def test_every_operation_answers_as_documented(picd, tmp_path):
    started = time.monotonic()
    anon = requests.Session()
    anon.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))  # never keeps a session
    first = logged_in(anon.post(picd.url + "/api/auth/login",
                                json={"username": "admin", "password": picd.admin_password}))
    doc = first.get(picd.url + "/api/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    c = Conformance(picd.url, doc)
    call = c.call

    # --- health, the document, logging in -----------------------------
    call(anon, "GET", "/health", 200)
    call(anon, "GET", "/api/access", 200)
    call(anon, "GET", "/api/openapi.json", 401)
    call(first, "GET", "/api/openapi.json", 200)
    call(anon, "POST", "/api/auth/login", 401, json={"username": "admin", "password": "wrong-password"})
    r = call(anon, "POST", "/api/auth/login", 400, json={"username": "admin"})
    assert field_of(r) == "password"
    s = logged_in(call(anon, "POST", "/api/auth/login", 200,
                       json={"username": "admin", "password": picd.admin_password}))
    call(s, "GET", "/api/auth/session", 200)

    # --- tokens ---------------------------------------------------------
    token = call(s, "POST", "/api/auth/tokens", 201, json={"name": "conformance"}).json()
    r = call(s, "POST", "/api/auth/tokens", 400, json={"name": "bad/name"})
    assert field_of(r) == "name"
    api = bearer(token["token"])
    call(api, "GET", "/api/auth/session", 200)
    call(api, "POST", "/api/auth/logout", 400)
    spare = call(s, "POST", "/api/auth/tokens", 201, json={"name": "spare"}).json()
    call(api, "GET", "/api/auth/tokens", 200)
    call(s, "DELETE", "/api/auth/tokens/{id}", 204, params={"id": spare["id"]})
    call(s, "DELETE", "/api/auth/tokens/{id}", 404, params={"id": spare["id"]})
    call(s, "DELETE", "/api/auth/tokens/{id}", 400, params={"id": "x"})

    # --- events: open first, so that the changes below are on it -------
    events = EventStream(c, call(s, "GET", "/api/events", 200, stream=True))
    assert "retry" in events.next()

    # --- configuration --------------------------------------------------
    r = call(s, "GET", "/api/config", 200)
    etag = r.headers["ETag"]
    call(s, "GET", "/api/config", 304, headers={"If-None-Match": etag})
    r = call(s, "PUT", "/api/config", 200, json={"endpoint": "10.98.0.1"}, headers={"If-Match": etag})
    call(s, "PUT", "/api/config", 412, json={"endpoint": None}, headers={"If-Match": etag})
    r = call(s, "PUT", "/api/config", 400, json={"wireguard_port": 0})
    assert field_of(r) == "wireguard_port"
    call(s, "PUT", "/api/config", 415, data="cell_name=x", headers={"Content-Type": "text/plain"})
    call(s, "PUT", "/api/config", 403, json={"cell_name": "x"}, headers={"X-CSRF-Token": "wrong"})
    # A PUT is answered with the configuration even when it matches an
    # If-None-Match (a GET's precondition).
    etag = call(s, "GET", "/api/config", 200).headers["ETag"]
    call(s, "PUT", "/api/config", 200, json={"endpoint": "10.98.0.1"}, headers={"If-None-Match": etag})
    call(s, "GET", "/api/config/pending", 200)

    # --- DNS ------------------------------------------------------------
    call(s, "GET", "/api/dns/config", 200)
    call(s, "PUT", "/api/dns/config", 200, json={"cache_mb": 8, "dnssec": True})
    event = events.until(lambda e: e.get("event") == "apply")
    assert event and '"service":"dns"' in event["data"], event
    events.close()
    r = call(s, "PUT", "/api/dns/config", 400, json={"cache_mb": 2})
    assert field_of(r) == "cache_mb"
    records = [
        {"name": "www", "type": "A", "value": "172.20.0.50", "ttl": 300},
        {"name": "www", "type": "AAAA", "value": "fd00::50"},
        {"name": "blog", "type": "CNAME", "value": "www"},
        {"name": "lists", "type": "MX", "value": "mx.example.net", "priority": 5},
        {"name": "@", "type": "TXT", "value": "site-verification=x"},
        {"name": "_sip._udp", "type": "SRV", "value": "sip.example.net", "priority": 1, "weight": 2, "port": 5060},
        {"name": "@", "type": "CAA", "value": "letsencrypt.org", "tag": "issue", "flags": 0},
    ]
    ids = [call(s, "POST", "/api/dns/records", 201, json=rec).json()["id"] for rec in records]
    r = call(s, "POST", "/api/dns/records", 400, json={"name": "bad", "type": "A", "value": "300.1.2.3"})
    assert field_of(r) == "value"
    call(s, "POST", "/api/dns/records", 415, data="x", headers={"Content-Type": "text/plain"})
    r = call(s, "POST", "/api/dns/records/batch", 201,
             json={"records": [{"name": f"host{i}", "type": "A", "value": f"172.20.1.{i}"} for i in range(3)]})
    ids += r.json()["ids"]
    r = call(s, "POST", "/api/dns/records/batch", 400, json={"records": [{"name": "x", "type": "MX"}]})
    assert field_of(r).startswith("records[0].")
    call(s, "GET", "/api/dns/records", 200)
    call(s, "GET", "/api/dns/records", 200, query={"name": "www", "type": "A", "offset": 0, "limit": 5})
    call(s, "GET", "/api/dns/records", 400, query={"type": "NS"})
    call(s, "GET", "/api/dns/records/{id}", 200, params={"id": ids[5]})
    call(s, "GET", "/api/dns/records/{id}", 404, params={"id": 999999})
    call(s, "GET", "/api/dns/records/{id}", 400, params={"id": "www"})
    call(s, "PUT", "/api/dns/records/{id}", 200, params={"id": ids[0]},
         json={"name": "www", "type": "A", "value": "172.20.0.51"})
    r = call(s, "PUT", "/api/dns/records/{id}", 400, params={"id": ids[0]}, json={"name": "www", "type": "A"})
    assert field_of(r) == "value"
    call(s, "PUT", "/api/dns/records/{id}", 404, params={"id": 999999},
         json={"name": "www", "type": "A", "value": "172.20.0.52"})
    call(s, "DELETE", "/api/dns/records/{id}", 204, params={"id": ids[-1]})
    call(s, "DELETE", "/api/dns/records/{id}", 404, params={"id": ids[-1]})
    call(s, "DELETE", "/api/dns/records/{id}", 400, params={"id": "0"})
    call(s, "GET", "/api/dns/forwards", 200)
    forward = {"zone": "other.test", "servers": ["10.99.0.2"]}
    call(s, "POST", "/api/dns/forwards", 201, json=forward)
    call(s, "POST", "/api/dns/forwards", 200, json={**forward, "servers": ["10.99.0.2", "10.99.0.3"]})
    r = call(s, "POST", "/api/dns/forwards", 400, json={"zone": "other.test"})
    assert field_of(r) == "servers"
    call(s, "GET", "/api/dns/forwards", 200)
    call(s, "DELETE", "/api/dns/forwards/{zone}", 204, params={"zone": "other.test"})
    call(s, "DELETE", "/api/dns/forwards/{zone}", 404, params={"zone": "other.test"})

    # --- NTP ------------------------------------------------------------
    call(s, "GET", "/api/ntp/config", 200)
    call(s, "PUT", "/api/ntp/config", 200, json={"servers": ["192.0.2.10", "ntp.example.org"]})
    r = call(s, "PUT", "/api/ntp/config", 400, json={"servers": [5]})
    assert field_of(r) == "servers[0]"
    call(s, "GET", "/api/ntp/status", 200)

    # --- DHCP: a LAN, a lease, a reservation ----------------------------
    call(s, "GET", "/api/dhcp/config", 200)
    call(s, "GET", "/api/services", 200)  # dhcp disabled, with its reason
    call(s, "POST", "/api/services/{name}/restart", 409, params={"name": "dhcp"})
    r = call(s, "POST", "/api/dhcp/reservations", 409, json={"mac": "02:00:00:00:00:07", "ip": "192.168.77.7"})
    lan = picd.lan()
    call(s, "PUT", "/api/dhcp/config", 200, json=LAN_SETTINGS)
    r = call(s, "PUT", "/api/dhcp/config", 400, json={**LAN_SETTINGS, "interface": "nope0"})
    assert field_of(r) == "interface"
    call(s, "GET", "/api/dhcp/config", 200)
    assert lan.udhcpc(tmp_path, hostname="laptop")
    call(s, "GET", "/api/dhcp/leases", 200)
    call(s, "POST", "/api/dhcp/reservations", 201,
         json={"mac": "02:00:00:00:00:07", "ip": "192.168.77.7", "hostname": "nas"})
    call(s, "POST", "/api/dhcp/reservations", 201, json={"mac": "02:00:00:00:00:08", "ip": "192.168.77.8"})
    # As answered: a reservation without a host name has hostname null.
    call(s, "POST", "/api/dhcp/reservations", 201, json={"mac": "02-00-00-00-00-09", "ip": "192.168.77.9",
                                                         "hostname": None})
    r = call(s, "POST", "/api/dhcp/reservations", 400, json={"mac": "nope", "ip": "192.168.77.9"})
    assert field_of(r) == "mac"
    call(s, "GET", "/api/dhcp/reservations", 200)
    call(s, "DELETE", "/api/dhcp/reservations/{mac}", 204, params={"mac": "02:00:00:00:00:07"})
    call(s, "DELETE", "/api/dhcp/reservations/{mac}", 404, params={"mac": "02:00:00:00:00:07"})
    call(s, "DELETE", "/api/dhcp/reservations/{mac}", 400, params={"mac": "nope"})

    # --- services -------------------------------------------------------
    for path in ("/api/services", "/api/services/status", "/api/containers"):
        call(s, "GET", path, 200)
    call(s, "POST", "/api/services/{name}/restart", 200, params={"name": "ntp"})
    call(s, "POST", "/api/services/{name}/restart", 404, params={"name": "nosuch"})
    call(s, "POST", "/api/containers/{name}/restart", 200, params={"name": "ntp"})
    call(s, "POST", "/api/services/{name}/stop", 200, params={"name": "ntp"})
    call(s, "GET", "/api/ntp/status", 503)
    call(s, "POST", "/api/services/{name}/start", 200, params={"name": "ntp"})
    call(s, "GET", "/api/services/{name}/logs", 200, params={"name": "dns"}, query={"tail": 5})
    call(s, "GET", "/api/services/{name}/logs", 400, params={"name": "dns"}, query={"tail": "many"})
    call(s, "GET", "/api/services/{name}/logs", 404, params={"name": "nosuch"})
    logs = EventStream(c, call(s, "GET", "/api/services/{name}/logs", 200, params={"name": "dns"},
                               query={"tail": 2, "follow": 1}, stream=True))
    assert "retry" in logs.next() and "data" in logs.next()
    logs.close()

    # --- the certificate authority --------------------------------------
    for path in ("/api/vault/ca.crt", "/api/vault/crl"):
        call(anon, "GET", path, 200)
        call(anon, "GET", path, 200, query={"format": "der"})
        call(anon, "GET", path, 400, query={"format": "xml"})
    call(s, "GET", "/api/vault/ca", 200)
    call(s, "GET", "/api/vault/certs", 200)
    cert = call(s, "POST", "/api/vault/certs", 201,
                json={"names": ["nas.mycell.cell"], "ips": ["172.20.0.50"], "days": 30}).json()
    r = call(s, "POST", "/api/vault/certs", 400, json={"names": ["nas.example.org"]})
    assert field_of(r) == "names[0]"
    call(s, "POST", "/api/vault/certs/{serial}/revoke", 200, params={"serial": cert["serial"]})
    call(s, "POST", "/api/vault/certs/{serial}/revoke", 409, params={"serial": cert["serial"]})
    call(s, "POST", "/api/vault/certs/{serial}/revoke", 404, params={"serial": "abcdef"})
    call(s, "POST", "/api/vault/certs/{serial}/revoke", 400, params={"serial": "XYZ"})
    call(s, "GET", "/api/vault/certs", 200)
    call(s, "POST", "/api/vault/ca/replace", 409)
    call(s, "POST", "/api/vault/ca/replace", 400, json={"force": "yes"})
    # A rename makes the root stale: described so, then replaced.
    call(s, "PUT", "/api/config", 200, json={"cell_name": "home"})
    call(s, "GET", "/api/vault/ca", 200)
    call(s, "POST", "/api/vault/ca/replace", 200, json={})
    call(s, "GET", "/api/vault/certs", 200)

    # --- VPN peers ------------------------------------------------------
    call(s, "GET", "/api/peers", 200)
    call(s, "POST", "/api/peers", 201, json={"name": "laptop", "services": ["webui", "ntp"]})
    own_key = base64.b64encode(os.urandom(32)).decode()
    call(s, "POST", "/api/peers", 201, json={"name": "phone", "public_key": own_key, "preshared_key": False,
                                            "tunnel": "full", "expires_at": int(time.time()) + 3600})
    r = call(s, "POST", "/api/peers", 400, json={"name": "Bad Name"})
    assert field_of(r) == "name"
    call(s, "GET", "/api/peers", 200)
    call(s, "GET", "/api/peers/{name}", 200, params={"name": "phone"})
    call(s, "GET", "/api/peers/{name}", 404, params={"name": "nobody"})
    call(s, "PUT", "/api/peers/{name}", 200, params={"name": "phone"},
         json={"services": ["calendar"], "expires_at": None, "enabled": False})
    r = call(s, "PUT", "/api/peers/{name}", 400, params={"name": "phone"}, json={"tunnel": "sideways"})
    assert field_of(r) == "tunnel"
    call(s, "PUT", "/api/peers/{name}", 404, params={"name": "nobody"}, json={"enabled": True})
    call(s, "GET", "/api/peers/{name}/config", 200, params={"name": "laptop"})
    call(s, "GET", "/api/peers/{name}/config", 404, params={"name": "nobody"})
    r = call(s, "GET", "/api/peers/{name}/config.conf", 200, params={"name": "laptop"})
    assert r.text.startswith("[Interface]"), r.text
    call(s, "GET", "/api/peers/{name}/qr.png", 200, params={"name": "laptop"})
    call(s, "GET", "/api/peers/{name}/qr.svg", 200, params={"name": "phone"})
    call(s, "GET", "/api/peers/{name}/access", 200, params={"name": "laptop"})
    call(s, "GET", "/api/peers/{name}/access", 200, params={"name": "phone"}, query={"service": "calendar"})
    call(s, "GET", "/api/peers/{name}/access", 200, params={"name": "laptop"}, query={"service": "dns"})
    r = call(s, "GET", "/api/peers/{name}/access", 400, params={"name": "laptop"}, query={"service": "telnet"})
    assert field_of(r) == "service"
    call(s, "GET", "/api/wireguard/status", 200)
    call(s, "GET", "/api/wireguard/peers", 200)
    call(s, "GET", "/api/wireguard/traffic", 200, query={"limit": 4})
    call(s, "GET", "/api/wireguard/traffic", 400, query={"limit": 99})
    # A vpn_subnet too small for the two peers, one that fits, applied.
    r = call(s, "PUT", "/api/config", 409, json={"vpn_subnet": "10.0.0.0/30"})
    assert field_of(r) == "vpn_subnet"
    call(s, "PUT", "/api/config", 200, json={"vpn_subnet": "10.1.0.0/24"})
    call(s, "GET", "/api/config/pending", 200)
    events = EventStream(c, call(api, "GET", "/api/events", 200, stream=True))
    r = call(s, "POST", "/api/config/apply", 200)
    assert len(r.json()["peers_readdressed"]) == 2, r.json()
    assert events.until(lambda e: '"step":"done"' in e.get("data", "")), "no apply done event"
    events.close()
    call(s, "POST", "/api/config/apply", 200)  # nothing pending
    call(s, "GET", "/api/config", 200)
    call(s, "DELETE", "/api/peers/{name}", 204, params={"name": "phone"})
    call(s, "DELETE", "/api/peers/{name}", 404, params={"name": "phone"})
    # Without an endpoint the cell cannot write a client config (409), unless
    # its namespace has a route to the internet to take the address from.
    call(s, "PUT", "/api/config", 200, json={"endpoint": None})
    for path in ("/api/peers/{name}/config", "/api/peers/{name}/config.conf", "/api/peers/{name}/qr.png",
                 "/api/peers/{name}/qr.svg"):
        call(s, "GET", path, (200, 409), params={"name": "laptop"})

    # --- proxy routes ---------------------------------------------------
    call(s, "GET", "/api/proxy/routes", 200)
    call(s, "PUT", "/api/proxy/routes/{vip}", 200, params={"vip": "calendar"}, json={"enabled": False})
    call(s, "GET", "/api/proxy/routes", 200)
    call(s, "PUT", "/api/proxy/routes/{vip}", 200, params={"vip": "calendar"}, json={"enabled": True})
    r = call(s, "PUT", "/api/proxy/routes/{vip}", 400, params={"vip": "webui"}, json={"enabled": False})
    assert field_of(r) == "enabled"
    call(s, "PUT", "/api/proxy/routes/{vip}", 404, params={"vip": "nosuch"}, json={"enabled": False})

    # --- cell accounts, and one's own page ------------------------------
    call(s, "GET", "/api/users", 200)
    call(s, "POST", "/api/users", 201, json={"name": "ulla", "password": "saffron-kettle-42", "aliases": ["u"]})
    r = call(s, "POST", "/api/users", 409, json={"name": "ulla", "password": "saffron-kettle-42"})
    assert field_of(r) == "name"
    r = call(s, "POST", "/api/users", 400, json={"name": "postmaster", "password": "saffron-kettle-42"})
    assert field_of(r) == "name"
    call(s, "GET", "/api/users/{name}", 200, params={"name": "ulla"})
    call(s, "GET", "/api/users/{name}", 404, params={"name": "nobody"})
    call(s, "PUT", "/api/users/{name}", 200, params={"name": "ulla"}, json={"services": ["mail"], "mail_quota_mb": 0})
    r = call(s, "PUT", "/api/users/{name}", 400, params={"name": "ulla"}, json={"aliases": ["Bad"]})
    assert field_of(r) == "aliases[0]"
    call(s, "GET", "/api/me", 404)
    user = requests.Session()
    r = call(user, "POST", "/api/auth/login", 200, json={"username": "ulla", "password": "saffron-kettle-42"})
    user.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    call(user, "GET", "/api/auth/session", 200)
    call(user, "GET", "/api/me", 200)
    call(user, "GET", "/api/users", 403)
    call(s, "DELETE", "/api/users/{name}", 400, params={"name": "ulla"}, query={"purge": "perhaps"})
    call(s, "DELETE", "/api/users/{name}", 204, params={"name": "ulla"}, query={"purge": "true"})
    call(s, "DELETE", "/api/users/{name}", 404, params={"name": "ulla"})
    assert call(s, "GET", "/api/users/orphans", 200).json() == {"orphans": []}
    call(s, "DELETE", "/api/users/orphans/{id}", 404, params={"id": "ulla.1"})

    # --- mail -------------------------------------------------------------
    # The mail daemons may still be starting: 503 is their documented answer.
    call(s, "GET", "/api/email/status", (200, 503))
    call(s, "GET", "/api/email/queue", (200, 503))
    call(s, "POST", "/api/email/queue/flush", (204, 503))
    r = call(s, "DELETE", "/api/email/queue/{id}", 400, params={"id": "not-an-id"})
    assert field_of(r) == "id"
    call(s, "DELETE", "/api/email/queue/{id}", (404, 503), params={"id": "ABCDEF123"})
    for path in ("/mail/config-v1.1.xml", "/.well-known/autoconfig/mail/config-v1.1.xml"):
        r = call(requests.Session(), "GET", path, 200, query={"emailaddress": "ulla@example.org"})
        assert r.text.startswith("<?xml") and "<clientConfig" in r.text
    call(s, "POST", "/api/users", 201, json={"name": "wren", "password": "saffron-kettle-42"})
    call(s, "POST", "/api/email/aliases", 201, json={"alias": "info", "user": "wren"})
    assert call(s, "GET", "/api/email/aliases", 200).json()["aliases"][0]["user"] == "wren"
    r = call(s, "POST", "/api/email/aliases", 400, json={"alias": "info", "user": "wren"})  # wren's already
    assert field_of(r) == "alias"
    call(s, "POST", "/api/users", 201, json={"name": "yara", "password": "saffron-kettle-42"})
    r = call(s, "POST", "/api/email/aliases", 409, json={"alias": "wren", "user": "yara"})
    assert field_of(r) == "alias"
    r = call(s, "POST", "/api/email/aliases", 400, json={"alias": "info", "user": "nobody"})
    assert field_of(r) == "user"
    call(s, "DELETE", "/api/email/aliases/{alias}", 204, params={"alias": "info"})
    call(s, "DELETE", "/api/email/aliases/{alias}", 404, params={"alias": "info"})
    call(s, "GET", "/api/email/domains", 200)
    r = call(s, "POST", "/api/email/domains", 400, json={"domain": "localhost"})
    assert field_of(r) == "domain"
    call(s, "POST", "/api/email/domains", (201, 502), json={"domain": "example.org"})
    call(s, "DELETE", "/api/email/domains/{domain}", (204, 404, 502), params={"domain": "example.org"})
    call(s, "DELETE", "/api/email/domains/{domain}", 404, params={"domain": "nosuch.example"})
    call(s, "GET", "/api/email/config", 200)
    r = call(s, "PUT", "/api/email/config", 400, json={"relay": {"host": "10.98.0.2", "username": "u"}})
    assert field_of(r) == "relay.password"
    call(s, "PUT", "/api/email/config", (200, 502), json={"relay": {"host": "relay.example.net", "port": 2525}})
    call(s, "PUT", "/api/email/config", (200, 502), json={"relay": None})

    # --- the password, logging out, stopping ----------------------------
    r = call(s, "POST", "/api/auth/password", 400, json={"current_password": picd.admin_password,
                                                          "new_password": "short"})
    assert field_of(r) == "new_password"
    call(s, "POST", "/api/auth/password", 204, json={"current_password": picd.admin_password,
                                                      "new_password": "conformance-password"})
    call(s, "POST", "/api/auth/logout", 204)
    call(s, "GET", "/api/auth/session", 401)
    r = call(api, "POST", "/api/cell/stop", 200)
    assert wait_for(lambda: picd.proc.poll() is not None, 30), "picd did not stop"
    assert picd.proc.returncode == 0

    missing = [f"{m} {p}: in the document, never called by this test" for m, p in sorted(set(c.ops) - c.called)]
    assert not missing and not c.problems, f"{len(missing) + len(c.problems)} difference(s) between the document " \
        "and the API:\n" + "\n".join(missing + c.problems)
    print(f"conformance: {len(c.called)} operations in {time.monotonic() - started:.1f} s")
