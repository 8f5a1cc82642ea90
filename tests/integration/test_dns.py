"""The DNS service (unbound) end to end, asked with `dig` by real clients:
one on the cell bridge, one on a LAN of the host (through the host's DNAT
of port 53). The names the cell publishes itself, user records of every
type through /api/dns/records (exact answers, changes, list and filters),
validation (a 400 naming the field changes neither the store nor the
answers), all-or-nothing batches, upstream resolution and forward zones
through a stand-in upstream resolver, records surviving an unbound
kill -9 and a picd restart, and no failed queries while records change."""

import json
import os
import re
import signal
import subprocess
import threading
import time

import pytest

from conftest import Upstream, dig, dig_many, reverse_name

LAN_HOST = "192.168.77.1"


# --- helpers ---------------------------------------------------------------

def wait_for(predicate, timeout, step=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def config(picd):
    status, _, doc = picd.local("GET", "/api/config")
    assert status == 200
    return doc


def zone_of(picd):
    doc = config(picd)
    return f"{doc['cell_name']}.{doc['domain']}"


def dns_addr(picd):
    return config(picd)["addresses"]["dns"]


def service(picd, name="dns"):
    status, _, doc = picd.local("GET", "/api/services")
    assert status == 200
    return next(s for s in doc["services"] if s["name"] == name)


def records(picd, query=""):
    status, _, doc = picd.local("GET", "/api/dns/records" + query)
    assert status == 200, doc
    return doc


def all_records(picd):
    return records(picd, "?limit=1000")["records"]


def add(picd, **record):
    status, _, doc = picd.local("POST", "/api/dns/records", record)
    assert status == 201, (record, doc)
    return doc


def lan_client(picd):
    lan = picd.lan()
    lan.address("192.168.77.10/24")
    return lan


def txt_strings(rdata):
    """dig's presentation of TXT rdata ("ab\\"c" "d\\195\\169") → the
    character strings as bytes."""
    out = []
    i = 0
    while i < len(rdata):
        if rdata[i] == " ":
            i += 1
            continue
        assert rdata[i] == '"', rdata
        i += 1
        s = bytearray()
        while rdata[i] != '"':
            if rdata[i] == "\\":
                if rdata[i + 1].isdigit():
                    s.append(int(rdata[i + 1:i + 4]))
                    i += 4
                else:
                    s += rdata[i + 1].encode()
                    i += 2
            else:
                s += rdata[i].encode()
                i += 1
        out.append(bytes(s))
        i += 1
    return out


def error_field(picd, method, path, body):
    """Sends a request that must be refused: (status, field, code)."""
    status, _, doc = picd.local(method, path, body)
    assert doc and "error" in doc, (body, status, doc)
    return status, doc["error"].get("field"), doc["error"]["code"]


# --- the names the cell publishes ---------------------------------------------

def published_names(picd):
    """Every name the cell publishes itself → its address, from the plan."""
    doc = config(picd)
    z = f"{doc['cell_name']}.{doc['domain']}"
    names = {z: doc["virtual_ips"]["webui"]}
    for name, ip in doc["addresses"].items():
        label = f"{name}-svc" if name in doc["virtual_ips"] else name
        names[f"{label}.{z}"] = ip
    for name, ip in doc["virtual_ips"].items():
        names[f"{name}.{z}"] = ip
    return names


def check_published(ns, server, picd):
    z = zone_of(picd)
    names = published_names(picd)
    # The ones the brief names, spelled out, so a change in the plan's
    # derivation cannot hide them.
    doc = config(picd)
    assert names[z] == doc["virtual_ips"]["webui"]
    for vip in ("calendar", "files", "mail", "webui"):
        assert names[f"{vip}.{z}"] == doc["virtual_ips"][vip]
    assert names[f"ntp.{z}"] == doc["addresses"]["ntp"]
    assert names[f"dns.{z}"] == doc["addresses"]["dns"]
    assert names[f"mail-svc.{z}"] == doc["addresses"]["mail"]

    queries = sorted(names)
    results = dig_many(ns, server, [(n, "A") for n in queries])
    for name, res in zip(queries, results):
        assert res.status == "NOERROR" and "aa" in res.flags, (name, res)
        assert res.addresses() == [names[name]], (name, res)
    ntp = doc["addresses"]["ntp"]
    res = dig(ns, server, reverse_name(ntp), "PTR")
    assert res.status == "NOERROR" and res.data("PTR") == [f"ntp.{z}."], res
    res = dig(ns, server, reverse_name(doc["virtual_ips"]["calendar"]), "PTR")
    assert res.data("PTR") == [f"calendar.{z}."], res
    for missing in (f"nosuchname.{z}", f"deeper.ntp.{z}", f"x.y.{z}"):
        res = dig(ns, server, missing)
        assert res.status == "NXDOMAIN" and "aa" in res.flags, (missing, res)
    # An unused address of the cell's reverse zone stays here too.
    base = ntp.rsplit(".", 1)[0]
    assert dig(ns, server, reverse_name(base + ".250"), "PTR").status == "NXDOMAIN"


def test_cell_names_answer_on_the_bridge_and_the_lan(picd):
    client = picd.client()
    check_published(client, dns_addr(picd), picd)
    lan = lan_client(picd)
    check_published(lan, LAN_HOST, picd)
    # The host publishes port 53 for TCP as well.
    z = zone_of(picd)
    res = dig(lan, LAN_HOST, f"calendar.{z}", tcp=True)
    assert res.addresses() == [config(picd)["virtual_ips"]["calendar"]], res
    assert service(picd)["healthy"]


# --- records through the API --------------------------------------------------

def test_records_of_every_type_are_answered_exactly(picd):
    client = picd.client()
    server = dns_addr(picd)
    z = zone_of(picd)

    def ask(name, rtype):
        return dig(client, server, name, rtype)

    a = add(picd, name="www", type="A", value="192.0.2.10", ttl=120)
    assert (a["name"], a["type"], a["value"], a["ttl"]) == (f"www.{z}", "A", "192.0.2.10", 120)
    assert ask(f"www.{z}", "A").answers == [(f"www.{z}", 120, "A", "192.0.2.10")]

    aaaa = add(picd, name=f"www.{z}", type="AAAA", value="2001:DB8:0:0::10")
    assert aaaa["value"] == "2001:db8::10" and aaaa["ttl"] == 3600
    assert ask(f"www.{z}", "AAAA").answers == [(f"www.{z}", 3600, "AAAA", "2001:db8::10")]
    assert ask(f"www.{z}", "A").data() == ["192.0.2.10"]  # still there beside it

    cname = add(picd, name="Alias", type="CNAME", value=f"www.{z}.", ttl=600)
    assert (cname["name"], cname["value"]) == (f"alias.{z}", f"www.{z}")
    assert ask(f"alias.{z}", "CNAME").answers == [(f"alias.{z}", 600, "CNAME", f"www.{z}.")]
    assert (f"alias.{z}", 600, "CNAME", f"www.{z}.") in ask(f"alias.{z}", "A").answers

    mx = add(picd, name="lists", type="MX", value=f"mail-svc.{z}", priority=5)
    mx2 = add(picd, name="lists", type="MX", value="backup.example.net.")
    assert mx["priority"] == 5 and mx2["priority"] == 10  # the default
    assert sorted(ask(f"lists.{z}", "MX").answers) == sorted([(f"lists.{z}", 3600, "MX", f"5 mail-svc.{z}."),
                                                            (f"lists.{z}", 3600, "MX", "10 backup.example.net.")])
    # The cell's own data at the apex (its address, the mail service's MX
    # and SPF policy) is untouched by records there.
    add(picd, name="@", type="TXT", value="site-verification=abc")
    assert ask(z, "A").data() == [config(picd)["virtual_ips"]["webui"]]
    assert ask(z, "MX").data() == [f"10 smtp.{z}."]
    assert ask(z, "TXT").data() == ['"site-verification=abc"', '"v=spf1 mx ~all"']

    long_text = "".join(chr(ord("a") + i % 26) for i in range(300))
    txt = add(picd, name="long", type="TXT", value=long_text, ttl=60)
    assert txt["value"] == long_text
    res = ask(f"long.{z}", "TXT")
    assert len(res.answers) == 1 and res.answers[0][1] == 60
    strings = txt_strings(res.answers[0][3])
    assert [len(s) for s in strings] == [255, 45]
    assert b"".join(strings) == long_text.encode()

    quoted = 'say "hi" \\ it\'s \u00e9t\u00e9; v=1'
    add(picd, name="quoted", type="TXT", value=quoted)
    res = ask(f"quoted.{z}", "TXT")
    assert [b"".join(txt_strings(r[3])) for r in res.answers] == [quoted.encode()]

    srv = add(picd, name="_sip._tcp", type="SRV", value="sip.example.net", priority=10, weight=20, port=5060)
    assert (srv["priority"], srv["weight"], srv["port"]) == (10, 20, 5060)
    add(picd, name="_imap._tcp", type="SRV", value=".", priority=0, weight=0, port=0)
    assert ask(f"_sip._tcp.{z}", "SRV").answers == [(f"_sip._tcp.{z}", 3600, "SRV", "10 20 5060 sip.example.net.")]
    assert ask(f"_imap._tcp.{z}", "SRV").data() == ["0 0 0 ."]

    caa = add(picd, name="@", type="CAA", value="letsencrypt.org")
    assert (caa["flags"], caa["tag"]) == (0, "issue")
    add(picd, name="@", type="CAA", value="mailto:security@example.net", tag="iodef", flags=128)
    assert sorted(ask(z, "CAA").data()) == ['0 issue "letsencrypt.org"', '128 iodef "mailto:security@example.net"']

    # PUT replaces: the next dig sees the new value and TTL only.
    status, _, doc = picd.local("PUT", f"/api/dns/records/{a['id']}",
                                {"name": "www", "type": "A", "value": "192.0.2.11", "ttl": 300})
    assert status == 200, doc
    assert doc == {"id": a["id"], "name": f"www.{z}", "type": "A", "ttl": 300, "value": "192.0.2.11"}
    assert ask(f"www.{z}", "A").answers == [(f"www.{z}", 300, "A", "192.0.2.11")]
    assert ask(f"www.{z}", "AAAA").data() == ["2001:db8::10"]
    # ... including a move to another name.
    status, _, doc = picd.local("PUT", f"/api/dns/records/{cname['id']}",
                                {"name": "alias2", "type": "CNAME", "value": f"www.{z}"})
    assert status == 200, doc
    assert ask(f"alias.{z}", "CNAME").status == "NXDOMAIN"
    assert ask(f"alias2.{z}", "CNAME").data() == [f"www.{z}."]
    status, _, doc = picd.local("GET", f"/api/dns/records/{cname['id']}")
    assert status == 200 and doc["name"] == f"alias2.{z}"

    # DELETE removes: no data left of that type, then no name at all.
    assert picd.local("DELETE", f"/api/dns/records/{aaaa['id']}")[0] == 204
    res = ask(f"www.{z}", "AAAA")
    assert res.status == "NOERROR" and res.answers == []
    assert ask(f"www.{z}", "A").data() == ["192.0.2.11"]
    assert picd.local("DELETE", f"/api/dns/records/{a['id']}")[0] == 204
    assert ask(f"www.{z}", "A").status == "NXDOMAIN"
    assert picd.local("DELETE", f"/api/dns/records/{txt['id']}")[0] == 204
    assert ask(f"long.{z}", "TXT").status == "NXDOMAIN"
    assert picd.local("GET", f"/api/dns/records/{a['id']}")[0] == 404
    assert picd.local("DELETE", f"/api/dns/records/{a['id']}")[0] == 404
    status, _, doc = picd.local("PUT", f"/api/dns/records/{a['id']}",
                                {"name": "www", "type": "A", "value": "192.0.2.1"})
    assert status == 404 and doc["error"]["field"] == "id"
    assert picd.local("GET", "/api/dns/records/abc")[0] == 400
    # Records at the apex go; what the cell publishes there stays.
    for rec in (mx, mx2, caa):
        assert picd.local("DELETE", f"/api/dns/records/{rec['id']}")[0] == 204
    assert ask(f"lists.{z}", "MX").status == "NXDOMAIN"
    assert ask(z, "MX").data() == [f"10 smtp.{z}."]
    assert ask(z, "CAA").data() == ['128 iodef "mailto:security@example.net"']
    assert ask(z, "A").data() == [config(picd)["virtual_ips"]["webui"]]
    assert ask(z, "SOA").data() == [f"dns.{z}. hostmaster.{z}. 1 3600 900 604800 60"]
    assert ask(z, "NS").data() == [f"dns.{z}."]


def test_record_list_filters_and_pages(picd):
    z = zone_of(picd)
    made = [add(picd, name=f"h{i:02d}", type="A", value=f"192.0.2.{i + 1}") for i in range(25)]
    made += [add(picd, name="h03", type="TXT", value="three"), add(picd, name="h03", type="AAAA", value="2001:db8::3")]
    made += [add(picd, name="t", type="TXT", value=f"text {i}") for i in range(3)]

    doc = records(picd)
    assert doc["total"] == 30 and doc["offset"] == 0 and doc["limit"] == 100
    assert sorted(r["id"] for r in doc["records"]) == sorted(r["id"] for r in made)
    assert all(r in doc["records"] for r in made)  # the same JSON as the POST answered

    # Pages cover the list once, in a stable order.
    seen = []
    for offset in range(0, 30, 7):
        page = records(picd, f"?offset={offset}&limit=7")
        assert page["total"] == 30 and page["offset"] == offset and page["limit"] == 7
        assert len(page["records"]) == min(7, 30 - offset)
        seen += page["records"]
    assert seen == doc["records"]
    assert records(picd, "?offset=30")["records"] == []
    assert records(picd, "?offset=500&limit=5") == {"records": [], "total": 30, "offset": 500, "limit": 5}

    for q in ("?name=h03", f"?name=h03.{z}", f"?name=H03.{z}."):
        page = records(picd, q)
        assert page["total"] == 3 and {r["type"] for r in page["records"]} == {"A", "TXT", "AAAA"}, q
    page = records(picd, "?type=TXT")
    assert page["total"] == 4 and all(r["type"] == "TXT" for r in page["records"])
    assert records(picd, "?type=txt")["total"] == 4
    page = records(picd, "?name=h03&type=A")
    assert page["total"] == 1 and page["records"][0]["value"] == "192.0.2.4"
    page = records(picd, "?type=A&offset=20&limit=3")
    assert page["total"] == 25 and len(page["records"]) == 3
    assert records(picd, "?name=nothing")["total"] == 0
    assert records(picd, "?type=CAA") == {"records": [], "total": 0, "offset": 0, "limit": 100}

    for q, field in (("?limit=0", "limit"), ("?limit=1001", "limit"), ("?limit=x", "limit"), ("?offset=-1", "offset"),
                     ("?offset=x", "offset"), ("?type=PTR", "type"), ("?name=x.example.org.", "name"),
                     ("?name=bad_name!", "name")):
        status, _, err = picd.local("GET", "/api/dns/records" + q)
        assert status == 400 and err["error"]["field"] == field, (q, err)


# --- validation ---------------------------------------------------------------

def invalid_records(z):
    """(body, the field the 400 must name) for every rule."""
    ok = {"name": "fresh", "type": "A", "value": "192.0.2.50"}
    srv = {"name": "_sip._udp", "type": "SRV", "value": "sip.example.net", "priority": 1, "weight": 1, "port": 5060}
    caa = {"name": "@", "type": "CAA", "value": "letsencrypt.org"}
    return [
        # values by type
        ({**ok, "value": "300.1.1.1"}, "value"),
        ({**ok, "value": "192.0.2"}, "value"),
        ({**ok, "value": "2001:db8::1"}, "value"),
        ({**ok, "value": ""}, "value"),
        ({**ok, "type": "AAAA", "value": "192.0.2.1"}, "value"),
        ({**ok, "type": "AAAA", "value": "2001:db8::zz"}, "value"),
        ({**ok, "type": "CNAME", "value": "bad_host!"}, "value"),
        ({**ok, "type": "CNAME", "value": ""}, "value"),
        ({**ok, "type": "MX", "value": "-mx.example.net"}, "value"),
        ({**ok, "type": "TXT", "value": "x" * 2049}, "value"),
        ({**ok, "type": "TXT", "value": ""}, "value"),
        ({**ok, "type": "TXT", "value": "line\nbreak"}, "value"),
        # names
        ({**ok, "name": "x.example.org."}, "name"),
        ({**ok, "name": f"x.{z}.example.org."}, "name"),
        ({**ok, "name": "-bad"}, "name"),
        ({**ok, "name": "a..b"}, "name"),
        ({**ok, "name": "has space"}, "name"),
        ({**ok, "name": "x" * 64}, "name"),
        ({**ok, "name": ".".join(["abcdefghij"] * 25)}, "name"),
        ({**ok, "name": ""}, "name"),
        # names the cell publishes itself
        ({**ok, "name": "calendar"}, "name"),
        ({**ok, "name": "CALENDAR"}, "name"),
        ({**ok, "name": f"calendar.{z}."}, "name"),
        ({**ok, "name": "ntp"}, "name"),
        ({**ok, "name": "ntp-svc"}, "name"),
        ({**ok, "name": "mail-svc"}, "name"),
        ({**ok, "name": "webui", "type": "TXT", "value": "mine"}, "name"),
        ({**ok, "name": "dns", "type": "CNAME", "value": "evil.example.net"}, "name"),
        ({**ok, "name": "@"}, "name"),
        ({**ok, "name": z, "type": "AAAA", "value": "2001:db8::1"}, "name"),
        ({**ok, "name": "@", "type": "CNAME", "value": "evil.example.net"}, "name"),
        # a CNAME stands alone
        ({**ok, "name": "www", "type": "CNAME", "value": "evil.example.net"}, "type"),
        ({**ok, "name": "alias"}, "type"),
        ({**ok, "name": "alias", "type": "CNAME", "value": "other.example.net"}, "type"),
        ({**ok, "name": "alias", "type": "TXT", "value": "beside"}, "type"),
        # duplicates (the TTL does not make a record different)
        ({**ok, "name": "www", "value": "192.0.2.10"}, "value"),
        ({**ok, "name": "www", "value": "192.0.2.10", "ttl": 120}, "value"),
        # TTL
        ({**ok, "ttl": 59}, "ttl"),
        ({**ok, "ttl": 604801}, "ttl"),
        ({**ok, "ttl": -1}, "ttl"),
        ({**ok, "ttl": "3600"}, "ttl"),
        ({**ok, "ttl": 3600.5}, "ttl"),
        ({**ok, "ttl": True}, "ttl"),
        # SRV
        ({k: v for k, v in srv.items() if k != "port"}, "port"),
        ({k: v for k, v in srv.items() if k != "priority"}, "priority"),
        ({k: v for k, v in srv.items() if k != "weight"}, "weight"),
        ({**srv, "port": 65536}, "port"),
        ({**srv, "name": "sip"}, "name"),
        ({**srv, "name": "_sip.tcp"}, "name"),
        ({**srv, "name": "sip._tcp"}, "name"),
        ({**srv, "value": "bad host"}, "value"),
        # MX
        ({**ok, "type": "MX", "value": "mx.example.net", "priority": 65536}, "priority"),
        ({**ok, "type": "MX", "value": "mx.example.net", "priority": "10"}, "priority"),
        # CAA
        ({**caa, "tag": "issuer"}, "tag"),
        ({**caa, "tag": "ISSUE"}, "tag"),
        ({**caa, "flags": 256}, "flags"),
        ({**caa, "value": "lets encrypt.org"}, "value"),
        ({**caa, "value": 'a"b'}, "value"),
        ({**caa, "value": ""}, "value"),
        ({**caa, "tag": "iodef", "value": "security@example.net"}, "value"),
        # fields that do not belong to the type
        ({**ok, "priority": 10}, "priority"),
        ({**ok, "weight": 1}, "weight"),
        ({**ok, "port": 53}, "port"),
        ({**ok, "flags": 0}, "flags"),
        ({**ok, "tag": "issue"}, "tag"),
        ({**ok, "type": "MX", "value": "mx.example.net", "port": 25}, "port"),
        ({**ok, "type": "TXT", "value": "t", "tag": "issue"}, "tag"),
        ({**caa, "priority": 1}, "priority"),
        # unknown fields, wrong JSON types, missing fields
        ({**ok, "comment": "mine"}, "comment"),
        ({**ok, "id": 7}, "id"),
        ({**ok, "name": 5}, "name"),
        ({**ok, "name": None}, "name"),
        ({**ok, "type": None}, "type"),
        ({**ok, "type": ["A"]}, "type"),
        ({**ok, "value": 1}, "value"),
        ({**ok, "value": {"ip": "192.0.2.1"}}, "value"),
        ({k: v for k, v in ok.items() if k != "name"}, "name"),
        ({k: v for k, v in ok.items() if k != "type"}, "type"),
        ({k: v for k, v in ok.items() if k != "value"}, "value"),
        ({**ok, "type": "PTR"}, "type"),
        ({**ok, "type": "NS"}, "type"),
        ({**ok, "type": ""}, "type"),
    ]


def ok_record():
    return {"name": "fresh", "type": "A", "value": "192.0.2.50"}


def snapshot(picd, client, server, names):
    """The store's records and what dig answers for `names`."""
    answers = dig_many(client, server, [(n, t) for n in names for t in ("A", "TXT", "CNAME")])
    return all_records(picd), [(r.status, r.answers) for r in answers]


def test_invalid_records_are_refused_and_change_nothing(picd):
    client = picd.client()
    server = dns_addr(picd)
    z = zone_of(picd)
    www = add(picd, name="www", type="A", value="192.0.2.10")
    alias = add(picd, name="alias", type="CNAME", value=f"www.{z}")
    cases = invalid_records(z)
    names = sorted({f"www.{z}", f"alias.{z}", f"fresh.{z}", f"calendar.{z}", f"ntp.{z}", f"ntp-svc.{z}", z,
                    f"_sip._udp.{z}", f"sip.{z}", f"dns.{z}", f"webui.{z}"})
    before = snapshot(picd, client, server, names)

    for body, field in cases:
        status, got, code = error_field(picd, "POST", "/api/dns/records", body)
        assert (status, got) == (400, field), (body, status, got)
        assert code == ("unknown_field" if field in ("comment", "id") else "invalid_field"), (body, code)
    # The same rules for PUT (the record replaced is not its own duplicate).
    for body, field in cases:
        if body.get("name") == "www":
            continue  # conflicts with the record itself, which a PUT replaces
        status, got, _ = error_field(picd, "PUT", f"/api/dns/records/{www['id']}", body)
        assert (status, got) == (400, field), ("PUT", body, status, got)
    # A PUT may not make a CNAME stand beside other data either.
    status, got, _ = error_field(picd, "PUT", f"/api/dns/records/{alias['id']}",
                                 {"name": "www", "type": "CNAME", "value": "x.example.net"})
    assert (status, got) == (400, "type")
    status, got, _ = error_field(picd, "PUT", f"/api/dns/records/{www['id']}",
                                 {"name": "alias", "type": "A", "value": "192.0.2.10"})
    assert (status, got) == (400, "type")
    # Bodies that are not a record at all.
    for body in ([], "www", 5, [ok_record() for _ in range(2)]):
        status, _, doc = picd.local("POST", "/api/dns/records", body)
        assert status == 400, (body, doc)
    assert picd.local("POST", "/api/dns/records", headers={"Content-Type": "application/json"})[0] == 400
    assert picd.local("POST", "/api/dns/records", headers={"Content-Type": "text/plain"})[0] in (400, 415)

    assert snapshot(picd, client, server, names) == before
    assert before[1][names.index(f"fresh.{z}") * 3][0] == "NXDOMAIN"
    # A PUT that fails leaves the record as it was, served as it was.
    assert picd.local("GET", f"/api/dns/records/{www['id']}")[2] == www
    assert service(picd)["healthy"]


def test_a_record_that_is_valid_beside_one_refused_still_works(picd):
    """The refusals above are about the rule, not the name: the same names
    take valid records."""
    client = picd.client()
    server = dns_addr(picd)
    z = zone_of(picd)
    add(picd, name="www", type="A", value="192.0.2.10")
    add(picd, name="www", type="A", value="192.0.2.11")  # a second address is not a duplicate
    add(picd, name="www", type="TXT", value="beside an A")
    add(picd, name="@", type="TXT", value="at the apex")
    add(picd, name="calendar2", type="A", value="192.0.2.12")  # only the plan's names are reserved
    add(picd, name="sub.calendar", type="A", value="192.0.2.13")  # ... not names under them
    add(picd, name="x", type="TXT", value="x" * 2048)
    assert dig(client, server, f"www.{z}").data() == ["192.0.2.10", "192.0.2.11"]
    assert dig(client, server, f"sub.calendar.{z}").data() == ["192.0.2.13"]
    assert dig(client, server, f"calendar.{z}").data() == [config(picd)["virtual_ips"]["calendar"]]
    # A record this long does not fit a line of unbound's control protocol:
    # picd falls back to a reload (SIGHUP), which completes on its own time.
    def long_txt():
        res = dig(client, server, f"x.{z}", "TXT")
        return res if res.answers else None

    res = wait_for(long_txt, 5)
    assert res, "the 2048-byte TXT record is not served"
    assert b"".join(txt_strings(res.answers[0][3])) == b"x" * 2048
    assert sorted(dig(client, server, z, "TXT").data()) == ['"at the apex"', '"v=spf1 mx ~all"']


# --- batches -------------------------------------------------------------------

def test_batch_of_500_is_all_or_nothing(picd):
    client = picd.client()
    server = dns_addr(picd)
    z = zone_of(picd)

    batch = [{"name": f"b{i:03d}", "type": "A", "value": f"10.{i // 250}.{i % 250}.1"} for i in range(500)]
    status, _, doc = picd.local("POST", "/api/dns/records/batch", {"records": batch})
    assert status == 201, doc
    assert doc["created"] == 500 and len(set(doc["ids"])) == 500
    assert records(picd)["total"] == 500
    results = dig_many(client, server, [(f"b{i:03d}.{z}", "A") for i in range(500)])
    for i, res in enumerate(results):
        assert res.data() == [batch[i]["value"]], (i, res)

    def refused(records_, field):
        before = all_records(picd)
        status, _, doc = picd.local("POST", "/api/dns/records/batch", {"records": records_})
        assert status == 400 and doc["error"]["field"] == field, doc
        assert all_records(picd) == before
        names = sorted({r["name"] for r in records_ if isinstance(r, dict) and isinstance(r.get("name"), str)})
        answers = dig_many(client, server, [(f"{n}.{z}", "A") for n in names if n.startswith("c")])
        assert len(answers) >= 499
        assert [a.status for a in answers] == ["NXDOMAIN"] * len(answers), [a for a in answers if a.answers]

    fresh = [{"name": f"c{i:03d}", "type": "A", "value": f"10.9.{i // 250}.{i % 250 + 1}"} for i in range(500)]
    # Invalid on its own...
    bad = [dict(r) for r in fresh]
    bad[137]["ttl"] = 59
    refused(bad, "records[137].ttl")
    bad = [dict(r) for r in fresh]
    bad[137] = {"name": "c137", "type": "A", "value": "192.0.2.1", "colour": "red"}
    refused(bad, "records[137].colour")
    bad = [dict(r) for r in fresh]
    bad[499]["name"] = "ntp"
    refused(bad, "records[499].name")
    # ... against the store (b000 exists) or an earlier record of the batch.
    bad = [dict(r) for r in fresh]
    bad[137] = {"name": "b000", "type": "CNAME", "value": "x.example.net"}
    refused(bad, "records[137].type")
    bad = [dict(r) for r in fresh]
    bad[137] = dict(bad[3])
    refused(bad, "records[137].value")
    # The list itself.
    for body, field in (({"records": []}, "records"), ({"records": "x"}, "records"), ({}, "records"),
                        ({"records": fresh, "x": 1}, "x")):
        status, _, doc = picd.local("POST", "/api/dns/records/batch", body)
        assert status == 400 and doc["error"]["field"] == field, (field, doc)
    assert records(picd)["total"] == 500
    assert dig(client, server, f"c000.{z}").status == "NXDOMAIN"


# --- upstreams and forward zones -----------------------------------------------

def test_upstream_resolution(picd):
    client = picd.client()
    server = dns_addr(picd)
    lan = lan_client(picd)
    z = zone_of(picd)
    picd.upstream()
    default = picd.local("GET", "/api/dns/config")[2]
    assert default == {"upstreams": [], "recursion": True, "dnssec": True, "cache_mb": 16}

    status, _, doc = picd.local("PUT", "/api/dns/config", {"upstreams": [Upstream.ADDR], "recursion": False})
    assert status == 200, doc
    assert doc == {"upstreams": [Upstream.ADDR], "recursion": False, "dnssec": True, "cache_mb": 16}
    assert picd.local("GET", "/api/dns/config")[2] == doc
    conf_path = os.path.join(picd.state_dir, "services", "dns", "unbound.conf")
    conf = open(conf_path).read()
    assert re.search(r'forward-zone:\s+name: "\."\s+forward-addr: 10\.99\.0\.2\s+forward-first: no', conf), conf
    # Validating: the stand-in serves no DNSSEC (no root keys), so its
    # unsigned answer is not passed on.
    res = dig(client, server, "www.example.org")
    assert "198.51.100.7" not in res.data(), res

    status, _, doc = picd.local("PUT", "/api/dns/config", {"dnssec": False})
    assert status == 200 and doc["upstreams"] == [Upstream.ADDR] and doc["recursion"] is False  # partial
    for ns, addr in ((client, server), (lan, LAN_HOST)):
        res = dig(ns, addr, "www.example.org")
        assert res.status == "NOERROR" and res.data("A") == ["198.51.100.7"], res
        assert "aa" not in res.flags and "ra" in res.flags
    # The cell zone is still answered here, and its misses never go upstream.
    assert dig(client, server, f"ntp.{z}").data() == [config(picd)["addresses"]["ntp"]]
    assert dig(client, server, f"nosuch.{z}").status == "NXDOMAIN"
    assert dig(client, server, "nosuch.example.org").status == "NXDOMAIN"

    before = picd.local("GET", "/api/dns/config")[2]
    pid = service(picd)["pid"]
    conf = open(conf_path).read()
    bad = [
        ({"upstreams": "10.99.0.2"}, "upstreams"),
        ({"upstreams": ["300.1.1.1"]}, "upstreams[0]"),
        ({"upstreams": [Upstream.ADDR, "dns.example.net"]}, "upstreams[1]"),
        ({"upstreams": [Upstream.ADDR, Upstream.ADDR]}, "upstreams[1]"),
        ({"upstreams": [f"10.99.0.{i}" for i in range(2, 11)]}, "upstreams"),
        ({"upstreams": ["10.99.0.2@0"]}, "upstreams[0]"),
        ({"upstreams": ["10.99.0.2@65536"]}, "upstreams[0]"),
        ({"upstreams": ["10.99.0.2@x"]}, "upstreams[0]"),
        ({"upstreams": ["@53"]}, "upstreams[0]"),
        ({"upstreams": ["10.99.0.2 10.99.0.3"]}, "upstreams[0]"),
        ({"upstreams": []}, "recursion"),  # recursion is off: something must answer
        ({"upstreams": [], "recursion": False}, "recursion"),
        ({"recursion": "no"}, "recursion"),
        ({"dnssec": 1}, "dnssec"),
        ({"cache_mb": 3}, "cache_mb"),
        ({"cache_mb": 1025}, "cache_mb"),
        ({"cache_mb": -1}, "cache_mb"),
        ({"cache_mb": "16"}, "cache_mb"),
        ({"cache_mb": 16.5}, "cache_mb"),
        ({"forwarders": [Upstream.ADDR]}, "forwarders"),
    ]
    for body, field in bad:
        status, got, _ = error_field(picd, "PUT", "/api/dns/config", body)
        assert (status, got) == (400, field), (body, status, got)
    assert picd.local("PUT", "/api/dns/config", [])[0] == 400
    assert picd.local("GET", "/api/dns/config")[2] == before
    assert open(conf_path).read() == conf
    assert service(picd)["pid"] == pid
    assert dig(client, server, "www.example.org").data() == ["198.51.100.7"]

    # Valid changes of the other settings are applied.
    status, _, doc = picd.local("PUT", "/api/dns/config", {"cache_mb": 4, "upstreams": [f"{Upstream.ADDR}@53"]})
    assert status == 200 and doc["cache_mb"] == 4 and doc["upstreams"] == ["10.99.0.2@53"]
    assert dig(client, server, "www.example.org").data() == ["198.51.100.7"]


def test_a_non_string_upstream_is_named_by_its_index(picd):
    status, got, _ = error_field(picd, "PUT", "/api/dns/config", {"upstreams": ["10.99.0.2", 5]})
    assert (status, got) == (400, "upstreams[1]")


def test_forward_zone(picd):
    client = picd.client()
    server = dns_addr(picd)
    z = zone_of(picd)
    picd.upstream()
    assert picd.local("GET", "/api/dns/forwards")[2] == {"forwards": []}
    assert dig(client, server, "host.other.test").status == "NXDOMAIN"  # "test" is answered locally

    status, _, doc = picd.local("POST", "/api/dns/forwards", {"zone": "Other.Test.", "servers": [Upstream.ADDR]})
    assert status == 201, doc
    assert doc == {"zone": "other.test", "servers": [Upstream.ADDR]}
    assert picd.local("GET", "/api/dns/forwards")[2] == {"forwards": [doc]}
    res = dig(client, server, "host.other.test")
    assert res.status == "NOERROR" and res.data() == ["198.51.100.8"], res
    assert dig(client, server, "nosuch.other.test").status == "NXDOMAIN"
    # Only that zone goes there: other names are not forwarded.
    assert "198.51.100.7" not in dig(client, server, "www.example.org", timeout=1).data()
    assert dig(client, server, f"ntp.{z}").data() == [config(picd)["addresses"]["ntp"]]

    # The same zone again replaces it.
    status, _, doc = picd.local("POST", "/api/dns/forwards",
                                {"zone": "other.test", "servers": [Upstream.ADDR, "10.99.0.3@5353"]})
    assert status == 200 and doc["servers"] == [Upstream.ADDR, "10.99.0.3@5353"]
    assert len(picd.local("GET", "/api/dns/forwards")[2]["forwards"]) == 1
    assert dig(client, server, "host.other.test").data() == ["198.51.100.8"]

    before = picd.local("GET", "/api/dns/forwards")[2]
    for body, field in (
            ({"zone": z, "servers": [Upstream.ADDR]}, "zone"),
            ({"zone": f"{z}.", "servers": [Upstream.ADDR]}, "zone"),
            ({"zone": f"sub.{z}", "servers": [Upstream.ADDR]}, "zone"),
            ({"zone": z.upper(), "servers": [Upstream.ADDR]}, "zone"),
            ({"zone": "bad_zone!", "servers": [Upstream.ADDR]}, "zone"),
            ({"zone": "", "servers": [Upstream.ADDR]}, "zone"),
            ({"zone": 5, "servers": [Upstream.ADDR]}, "zone"),
            ({"servers": [Upstream.ADDR]}, "zone"),
            ({"zone": "lab.example"}, "servers"),
            ({"zone": "lab.example", "servers": []}, "servers"),
            ({"zone": "lab.example", "servers": Upstream.ADDR}, "servers"),
            ({"zone": "lab.example", "servers": ["dns.example.net"]}, "servers[0]"),
            ({"zone": "lab.example", "servers": ["10.99.0.2", "999.1.1.1"]}, "servers[1]"),
            ({"zone": "lab.example", "servers": ["10.99.0.2", "10.99.0.2"]}, "servers[1]"),
            ({"zone": "lab.example", "servers": ["10.99.0.2@99999"]}, "servers[0]"),
            ({"zone": "lab.example", "servers": [f"10.99.0.{i}" for i in range(2, 7)]}, "servers"),
            ({"zone": "lab.example", "servers": [Upstream.ADDR], "ttl": 5}, "ttl")):
        status, got, _ = error_field(picd, "POST", "/api/dns/forwards", body)
        assert (status, got) == (400, field), (body, status, got)
    assert picd.local("GET", "/api/dns/forwards")[2] == before

    assert picd.local("DELETE", "/api/dns/forwards/other.test")[0] == 204
    assert picd.local("GET", "/api/dns/forwards")[2] == {"forwards": []}
    res = dig(client, server, "host.other.test")
    assert res.status == "NXDOMAIN" and res.answers == [], res
    assert picd.local("DELETE", "/api/dns/forwards/other.test")[0] == 404
    assert dig(client, server, f"ntp.{z}").data() == [config(picd)["addresses"]["ntp"]]


# --- records outlive unbound and picd ------------------------------------------

def some_records(picd):
    """Records of every type plus a batch; returns the (name, type) → answers
    the cell serves for them."""
    z = zone_of(picd)
    add(picd, name="www", type="A", value="192.0.2.10", ttl=120)
    add(picd, name="www", type="AAAA", value="2001:db8::10")
    add(picd, name="alias", type="CNAME", value=f"www.{z}")
    add(picd, name="lists", type="MX", value=f"mail-svc.{z}", priority=5)
    add(picd, name="long", type="TXT", value="y" * 700 + "'\"\\")
    add(picd, name="_sip._tcp", type="SRV", value="sip.example.net", priority=1, weight=2, port=5060)
    add(picd, name="@", type="CAA", value="letsencrypt.org")
    status, _, doc = picd.local("POST", "/api/dns/records/batch",
                                {"records": [{"name": f"n{i}", "type": "A", "value": f"10.1.0.{i + 1}"}
                                             for i in range(50)]})
    assert status == 201, doc
    return [(f"www.{z}", "A"), (f"www.{z}", "AAAA"), (f"alias.{z}", "CNAME"), (f"lists.{z}", "MX"), (f"long.{z}", "TXT"),
            (f"_sip._tcp.{z}", "SRV"), (z, "CAA"), (z, "A")] + [(f"n{i}.{z}", "A") for i in range(50)]


def answers(client, server, queries):
    return [(r.status, sorted(r.answers)) for r in dig_many(client, server, queries)]


def test_records_come_back_after_kill_9_of_unbound(picd):
    client = picd.client()
    server = dns_addr(picd)
    queries = some_records(picd)
    expected = answers(client, server, queries)
    assert all(status == "NOERROR" and got for status, got in expected), expected

    old = service(picd)["pid"]
    os.kill(old, signal.SIGKILL)
    assert wait_for(lambda: service(picd)["pid"] not in (None, old) and service(picd)["state"] == "running", 10)
    assert wait_for(lambda: dig(client, server, f"www.{zone_of(picd)}", timeout=1).data() == ["192.0.2.10"], 10)
    assert answers(client, server, queries) == expected
    svc = service(picd)
    assert svc["restarts"] == 1 and "signal 9" in svc["last_error"]
    # And it is changed live as before.
    rec = records(picd, "?name=www&type=A")["records"][0]
    assert picd.local("DELETE", f"/api/dns/records/{rec['id']}")[0] == 204
    assert dig(client, server, f"www.{zone_of(picd)}", "A").answers == []


def test_records_survive_a_picd_restart(picd):
    client = picd.client()
    server = dns_addr(picd)
    queries = some_records(picd)
    expected = answers(client, server, queries)
    before = all_records(picd)
    picd.restart()
    assert all_records(picd) == before
    assert wait_for(lambda: service(picd)["state"] == "running", 10)
    assert answers(client, server, queries) == expected
    # Still changed live afterwards.
    z = zone_of(picd)
    add(picd, name="after", type="A", value="192.0.2.99")
    assert dig(client, server, f"after.{z}").data() == ["192.0.2.99"]
    rec = records(picd, "?name=www&type=AAAA")["records"][0]
    assert picd.local("DELETE", f"/api/dns/records/{rec['id']}")[0] == 204
    assert dig(client, server, f"www.{z}", "AAAA").answers == []
    assert dig(client, server, f"www.{z}", "A").data() == ["192.0.2.10"]


def test_records_follow_a_rename_of_the_cell(picd):
    client = picd.client()
    server = dns_addr(picd)
    old = zone_of(picd)
    add(picd, name="www", type="A", value="192.0.2.10")
    add(picd, name="alias", type="CNAME", value=f"www.{old}")
    add(picd, name="@", type="TXT", value="apex text")
    status, _, doc = picd.local("PUT", "/api/config", {"cell_name": "renamed"})
    assert status == 200, doc
    z = zone_of(picd)
    assert z == "renamed.cell"
    assert {r["name"] for r in all_records(picd)} == {f"www.{z}", f"alias.{z}", z}
    assert wait_for(lambda: dig(client, server, f"www.{z}", timeout=1).data() == ["192.0.2.10"], 5)
    assert dig(client, server, z, "TXT").data() == ['"apex text"', '"v=spf1 mx ~all"']
    assert dig(client, server, z, "A").data() == [config(picd)["virtual_ips"]["webui"]]
    assert dig(client, server, f"ntp.{z}").data() == [config(picd)["addresses"]["ntp"]]
    # The old zone is no longer the cell's (not answered from here).
    res = dig(client, server, f"www.{old}", timeout=1)
    assert "aa" not in res.flags and res.answers == [], res
    # New records are made in the new zone.
    assert add(picd, name="more", type="A", value="192.0.2.11")["name"] == f"more.{z}"
    assert dig(client, server, f"more.{z}").data() == ["192.0.2.11"]


# --- no dropped queries while records change -------------------------------------

QUERIER = r'''
"""Asks `server` for the A records of `name` every `interval` seconds until
the file `stop` exists; prints JSON counts: sent, answered, timeouts, and
the answers that were not exactly [expect]."""
import json, os, random, socket, struct, sys, time

server, name, expect, stop, interval = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])


def query(qid):
    q = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack("!HH", 1, 1)


def skip_name(msg, p):
    while True:
        n = msg[p]
        if n == 0:
            return p + 1
        if n & 0xC0 == 0xC0:
            return p + 2
        p += n + 1


def parse(msg):
    qid, flags, qd, an = struct.unpack("!HHHH", msg[:8])
    p = 12
    for _ in range(qd):
        p = skip_name(msg, p) + 4
    addrs = []
    for _ in range(an):
        p = skip_name(msg, p)
        rtype, _cls, _ttl, rdlen = struct.unpack("!HHIH", msg[p:p + 10])
        p += 10
        if rtype == 1:
            addrs.append(socket.inet_ntoa(msg[p:p + 4]))
        p += rdlen
    return qid, flags & 15, sorted(addrs)


s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect((server, 53))
s.settimeout(1.0)
sent = answered = timeouts = 0
wrong = []
ready = stop + ".ready"
while not os.path.exists(stop):
    qid = random.randrange(65536)
    s.send(query(qid))
    sent += 1
    while True:
        try:
            msg = s.recv(4096)
        except socket.timeout:
            timeouts += 1
            break
        rid, rcode, addrs = parse(msg)
        if rid != qid:
            continue  # a late answer to an earlier query
        answered += 1
        if rcode != 0 or addrs != [expect]:
            wrong.append({"t": time.time(), "rcode": rcode, "addrs": addrs})
        break
    if sent == 20:
        open(ready, "w").close()
    time.sleep(interval)
print(json.dumps({"sent": sent, "answered": answered, "timeouts": timeouts, "wrong": wrong}))
'''


class Querier:
    """QUERIER in the client's namespace, for the duration of a with block."""

    def __init__(self, tmp_path, client, server, name, expect):
        self.script = tmp_path / "querier.py"
        self.script.write_text(QUERIER)
        self.stop = tmp_path / f"stop-{time.monotonic_ns()}"
        self.argv = ["ip", "netns", "exec", client.name, "/usr/bin/python3", str(self.script), server, name,
                     expect, str(self.stop), "0.001"]
        self.result = None

    def __enter__(self):
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert wait_for(lambda: os.path.exists(str(self.stop) + ".ready") or self.proc.poll() is not None, 10)
        assert self.proc.poll() is None, self.proc.communicate()
        return self

    def __exit__(self, *exc):
        self.stop.touch()
        out, err = self.proc.communicate(timeout=30)
        assert self.proc.returncode == 0, err
        self.result = json.loads(out)
        return False


def churn(picd, names, failures):
    """Adds and deletes a record at each of `names`, one request at a time."""
    for i, name in enumerate(names):
        status, _, doc = picd.local("POST", "/api/dns/records", {"name": name, "type": "TXT", "value": f"churn {i}"})
        if status != 201:
            failures.append(("POST", name, status, doc))
            continue
        status, _, doc = picd.local("DELETE", f"/api/dns/records/{doc['id']}")
        if status != 204:
            failures.append(("DELETE", name, status, doc))


def test_no_query_fails_while_records_change(picd, tmp_path):
    client = picd.client()
    server = dns_addr(picd)
    z = zone_of(picd)
    add(picd, name="fixed", type="A", value="192.0.2.99")
    failures = []
    with Querier(tmp_path, client, server, f"fixed.{z}", "192.0.2.99") as q:
        t = threading.Thread(target=churn, args=(picd, [f"churn{i}" for i in range(100)], failures))
        t.start()
        t.join(timeout=120)
        assert not t.is_alive()
    assert failures == []
    result = q.result
    assert result["sent"] >= 100, result
    assert result["timeouts"] == 0 and result["answered"] == result["sent"], result
    assert result["wrong"] == [], result
    assert records(picd)["total"] == 1
    assert dig(client, server, f"churn0.{z}", "TXT").status == "NXDOMAIN"


def test_no_query_fails_while_other_types_change_at_the_same_name(picd, tmp_path):
    # Deleting data at a name removes every RR there (local_datas_remove)
    # and adds back the rest in a second command; in between the name is
    # answered from the auth zone (svc_unbound.h), never NXDOMAIN.
    client = picd.client()
    server = dns_addr(picd)
    z = zone_of(picd)
    add(picd, name="fixed", type="A", value="192.0.2.99")
    failures = []
    with Querier(tmp_path, client, server, f"fixed.{z}", "192.0.2.99") as q:
        churn(picd, ["fixed"] * 100, failures)
    assert failures == []
    assert q.result["timeouts"] == 0 and q.result["wrong"] == [], q.result


def test_a_wildcard_record_is_refused(picd):
    # unbound's local data would serve "*" only as a literal label, so
    # wildcards are refused rather than accepted and never matched.
    for name in ("*.wild", "*"):
        status, _, doc = picd.local("POST", "/api/dns/records", {"name": name, "type": "A", "value": "192.0.2.1"})
        assert status == 400 and doc["error"]["field"] == "name", doc
    assert records(picd)["total"] == 0


def test_forward_for_the_cells_own_reverse_zone_is_refused(picd):
    for zone in ("20.172.in-addr.arpa", "0.20.172.in-addr.arpa", "0.0.10.in-addr.arpa"):
        status, _, doc = picd.local("POST", "/api/dns/forwards", {"zone": zone, "servers": ["10.99.0.2"]})
        assert status == 400 and doc["error"]["field"] == "zone", (zone, doc)
    status, _, doc = picd.local("POST", "/api/dns/forwards", {"zone": "30.172.in-addr.arpa", "servers": ["10.99.0.2"]})
    assert status == 201, doc


def test_a_change_unbound_does_not_take_is_undone(picd):
    """unbound frozen: the record is committed, its push waits in the DNS
    pusher's thread, times out, the reload does not help either (the
    loop answers throughout); the change is undone and answered 502."""
    kept = add(picd, name="kept", type="A", value="192.0.2.50")
    pid = service(picd)["pid"]
    result = {}

    def post():
        result["post"] = picd.local("POST", "/api/dns/records", {"name": "frozen", "type": "A", "value": "192.0.2.51"})

    os.kill(pid, signal.SIGSTOP)
    started = time.monotonic()
    try:
        t = threading.Thread(target=post)
        t.start()
        # While the push waits for unbound's answer (2 s), and while it
        # waits for unbound to answer a probe after the reload (3 s).
        for at in (0.3, 3.0):
            time.sleep(max(0.0, at - (time.monotonic() - started)))
            t0 = time.monotonic()
            status, _, _ = picd.local("GET", "/api/config")
            answered_in = time.monotonic() - t0
            assert status == 200 and "post" not in result, (at, result)
            assert answered_in < 1.0, (at, answered_in)
        t.join(timeout=30)
    finally:
        os.kill(pid, signal.SIGCONT)
    status, _, doc = result["post"]
    assert status == 502 and doc["error"]["code"] == "apply_failed", doc
    assert [r["name"] for r in all_records(picd) if r["name"].startswith(("kept", "frozen"))] == [kept["name"]]
    parts = os.path.join(picd.state_dir, "services", "dns", "records.d")
    text = "".join(open(os.path.join(parts, f)).read() for f in os.listdir(parts))
    assert "192.0.2.50" in text and "192.0.2.51" not in text
