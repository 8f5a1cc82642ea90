"""`pic dns` and `pic dhcp` against a real picd: records added through
the CLI are asked for with `dig` from a client on the cell bridge,
listing pages and filters, deleting by id and by name/type/value,
importing a file, forward zones, resolver settings, DHCP on a LAN veth in
picd's namespace, reservations and leases. Exit statuses: 0 done, 1 usage
error (nothing sent), 2 refused by picd (the message names the field).
Every change is checked over the API as well."""

import json
import time

import pytest

from conftest import Netns, sh, wait_for

TYPES = ("A", "AAAA", "CNAME", "MX", "TXT", "SRV", "CAA")


def ok(p):
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    return p


def refused(p, field=None):
    assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
    if field:
        assert f"(field: {field})" in p.stderr, p.stderr
    return p


def usage(p):
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    assert p.stderr.strip(), p.stdout
    return p


def service(picd, name):
    status, _, doc = picd.local("GET", "/api/services")
    assert status == 200
    return next(s for s in doc["services"] if s["name"] == name)


def zone(picd):
    doc = picd.local("GET", "/api/config")[2]
    return f"{doc['cell_name']}.{doc['domain']}".lower()


def api_records(picd, query=""):
    status, _, doc = picd.local("GET", "/api/dns/records?limit=1000" + query)
    assert status == 200, doc
    return doc["records"]


@pytest.fixture
def dns(picd):
    """picd with its resolver up, and a client on the bridge to dig from."""
    assert wait_for(lambda: service(picd, "dns")["state"] == "running", 20), service(picd, "dns")
    addr = picd.local("GET", "/api/config")[2]["addresses"]["dns"]
    client = picd.client()

    def dig(name, rtype):
        r = client.run("dig", "+short", "+time=2", "+tries=2", f"@{addr}", name, rtype, check=False)
        assert r.returncode == 0, r.stderr
        return sorted(r.stdout.split("\n")[:-1])

    picd.dig = dig
    return picd


def records_file(tmp_path, records, name="records.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records))
    return str(path)


# --- add and dig ---------------------------------------------------------

def test_add_every_type_and_dig_it(dns):
    z = zone(dns)
    added = {
        "A": ok(dns.pic("dns", "add", "www", "A", "192.0.2.10", "--ttl", "300")),
        "AAAA": ok(dns.pic("dns", "add", "www", "AAAA", "2001:DB8::10")),
        "CNAME": ok(dns.pic("dns", "add", "blog", "CNAME", f"www.{z}")),
        "MX": ok(dns.pic("dns", "add", "lists", "MX", "mail.example.org.", "--priority=20")),
        "TXT": ok(dns.pic("dns", "add", "note", "TXT", "hello world")),
        "SRV": ok(dns.pic("dns", "add", "_sip._tcp", "SRV", "sip.example.org", "--priority", "0",
                          "--weight", "5", "--port", "5060")),
        "CAA": ok(dns.pic("dns", "add", "@", "CAA", "letsencrypt.org")),
    }
    ids = {}
    for rtype, p in added.items():
        assert p.stdout.startswith("added "), p.stdout
        ids[rtype] = int(p.stdout.split()[1].rstrip(":"))
    assert added["A"].stdout == f"added {ids['A']}: www.{z} A 192.0.2.10\n"
    assert added["AAAA"].stdout == f"added {ids['AAAA']}: www.{z} AAAA 2001:db8::10\n"
    assert added["MX"].stdout == f"added {ids['MX']}: lists.{z} MX 20 mail.example.org\n"
    assert added["SRV"].stdout == f"added {ids['SRV']}: _sip._tcp.{z} SRV 0 5 5060 sip.example.org\n"
    assert added["CAA"].stdout == f'added {ids["CAA"]}: {z} CAA 0 issue "letsencrypt.org"\n'
    assert added["TXT"].stdout == f"added {ids['TXT']}: note.{z} TXT hello world\n"

    assert dns.dig(f"www.{z}", "A") == ["192.0.2.10"]
    assert dns.dig(f"www.{z}", "AAAA") == ["2001:db8::10"]
    assert dns.dig(f"blog.{z}", "CNAME") == [f"www.{z}."]
    assert dns.dig(f"lists.{z}", "MX") == ["20 mail.example.org."]
    # The apex's MX is the cell's mail service, not a record of one's own.
    refused(dns.pic("dns", "add", "@", "MX", "mail.example.org."), "name")
    assert dns.dig(z, "MX") == [f"10 smtp.{z}."]
    assert dns.dig(f"note.{z}", "TXT") == ['"hello world"']
    assert dns.dig(f"_sip._tcp.{z}", "SRV") == ["0 5 5060 sip.example.org."]
    assert dns.dig(z, "CAA") == ['0 issue "letsencrypt.org"']

    by_id = {r["id"]: r for r in api_records(dns)}
    assert by_id[ids["A"]]["ttl"] == 300
    assert by_id[ids["SRV"]]["weight"] == 5 and by_id[ids["SRV"]]["port"] == 5060


def test_add_json_prints_the_record(dns):
    p = ok(dns.pic("--json", "dns", "add", "api", "A", "192.0.2.20"))
    rec = json.loads(p.stdout)
    assert rec["name"] == f"api.{zone(dns)}" and rec["value"] == "192.0.2.20"
    assert rec["id"] in [r["id"] for r in api_records(dns)]


def test_add_refused_names_the_field(dns):
    refused(dns.pic("dns", "add", "www", "A", "not-an-address"), "value")
    refused(dns.pic("dns", "add", "www", "A", "192.0.2.1", "--ttl", "5"), "ttl")
    refused(dns.pic("dns", "add", "www", "A", "192.0.2.1", "--priority", "1"), "priority")
    refused(dns.pic("dns", "add", "www", "BOGUS", "x"), "type")
    refused(dns.pic("dns", "add", "www.example.org.", "A", "192.0.2.1"), "name")
    p = refused(dns.pic("--json", "dns", "add", "www", "A", "nope"))
    assert json.loads(p.stdout)["error"]["field"] == "value"
    assert api_records(dns) == []


def test_add_usage_errors_send_nothing(dns):
    for args in (["www", "A", "192.0.2.1", "--ttl", "abc"],
                 ["www", "A", "192.0.2.1", "--ttl=-5"],
                 ["www", "A", "192.0.2.1", "--ttl", "1e3"],
                 ["www", "A", "192.0.2.1", "--ttl"],
                 ["www", "A", "192.0.2.1", "--ttl", "60", "--ttl", "70"],
                 ["www", "A", "192.0.2.1", "--colour", "red"],
                 ["www", "A"],
                 ["www", "A", "192.0.2.1", "extra"]):
        p = usage(dns.pic("dns", "add", *args))
        assert p.stdout == ""
    assert "--ttl must be a whole number, not 'abc'" in dns.pic("dns", "add", "www", "A", "192.0.2.1",
                                                               "--ttl", "abc").stderr
    assert api_records(dns) == []
    # Checked before picd is asked: a usage error even with picd away.
    p = dns.pic("--socket", "/nonexistent.sock", "dns", "add", "www", "A", "192.0.2.1", "--ttl", "x")
    assert p.returncode == 1


# --- list ----------------------------------------------------------------

def test_list_and_filters(dns):
    z = zone(dns)
    assert ok(dns.pic("dns", "list")).stdout == "no records\n"
    ok(dns.pic("dns", "add", "www", "A", "192.0.2.10"))
    ok(dns.pic("dns", "add", "www", "A", "192.0.2.11"))
    ok(dns.pic("dns", "add", "lists", "MX", "mail.example.org", "--priority", "10"))
    ok(dns.pic("dns", "add", "_sip._tcp", "SRV", "sip.example.org", "--priority", "0", "--weight", "5",
               "--port", "5060"))
    ok(dns.pic("dns", "add", "@", "CAA", "letsencrypt.org"))

    lines = ok(dns.pic("dns", "list")).stdout.splitlines()
    assert lines[0].split() == ["ID", "NAME", "TYPE", "TTL", "VALUE"]
    assert len(lines) == 6
    text = "\n".join(lines)
    assert "10 mail.example.org" in text
    assert "0 5 5060 sip.example.org" in text
    assert '0 issue "letsencrypt.org"' in text

    rows = ok(dns.pic("dns", "list", "--type", "A")).stdout.splitlines()[1:]
    assert sorted(r.split()[4] for r in rows) == ["192.0.2.10", "192.0.2.11"]
    assert all(r.split()[1] == f"www.{z}" for r in rows)
    rows = ok(dns.pic("dns", "list", "--name", "@")).stdout.splitlines()[1:]
    assert sorted(r.split()[2] for r in rows) == ["CAA"]
    rows = ok(dns.pic("dns", "list", "--name=lists", "--type=mx")).stdout.splitlines()[1:]
    assert [r.split()[2] for r in rows] == ["MX"]
    assert ok(dns.pic("dns", "list", "--name", "nothing")).stdout == "no matching records\n"
    refused(dns.pic("dns", "list", "--type", "BOGUS"), "type")
    refused(dns.pic("dns", "list", "--name", "www.example.org."), "name")

    doc = json.loads(ok(dns.pic("--json", "dns", "list", "--type", "A")).stdout)
    assert doc["total"] == 2 and len(doc["records"]) == 2

    usage(dns.pic("dns", "list", "--name"))
    usage(dns.pic("dns", "list", "--bogus"))
    usage(dns.pic("dns", "list", "stray"))


def test_list_pages_and_all(dns, tmp_path):
    n = 1010  # more than one page of --all (1000) too
    records = [{"name": f"h{i}", "type": "A", "value": f"10.1.{i // 256}.{i % 256}"} for i in range(n)]
    assert ok(dns.pic("dns", "import", records_file(tmp_path, records))).stdout == f"added {n} records\n"

    lines = ok(dns.pic("dns", "list")).stdout.splitlines()
    assert len(lines) == 1 + 100 + 1
    assert lines[-1] == f"{n - 100} more; --all lists every record"

    lines = ok(dns.pic("dns", "list", "--all")).stdout.splitlines()
    assert len(lines) == 1 + n
    assert len({l.split()[0] for l in lines[1:]}) == n
    assert "more" not in lines[-1]

    doc = json.loads(ok(dns.pic("--json", "dns", "list", "--all")).stdout)
    assert doc["total"] == n and len(doc["records"]) == n
    assert len({r["id"] for r in doc["records"]}) == n


def test_list_all_pages_larger_than_pic_takes(dns, tmp_path):
    """600 TXT records of 2000 bytes do not fit in one answer pic accepts
    (1 MiB); --all then asks for smaller pages and still lists them all."""
    n = 600
    records = [{"name": f"big{i}", "type": "TXT", "value": f"{i:04d}" + "x" * 1996} for i in range(n)]
    ok(dns.pic("dns", "import", records_file(tmp_path, records)))
    lines = ok(dns.pic("dns", "list", "--all")).stdout.splitlines()
    assert len(lines) == 1 + n
    doc = json.loads(ok(dns.pic("--json", "dns", "list", "--all")).stdout)
    assert sorted(r["value"][:4] for r in doc["records"]) == [f"{i:04d}" for i in range(n)]


# --- rm ------------------------------------------------------------------

def test_rm_by_id(dns):
    z = zone(dns)
    ids = []
    for i in range(3):
        p = ok(dns.pic("dns", "add", f"rm{i}", "A", f"192.0.2.{30 + i}"))
        ids.append(p.stdout.split()[1].rstrip(":"))
    assert dns.dig(f"rm0.{z}", "A") == ["192.0.2.30"]

    p = ok(dns.pic("dns", "rm", ids[0]))
    assert p.stdout == f"deleted {ids[0]}: rm0.{z} A 192.0.2.30\n"
    assert dns.dig(f"rm0.{z}", "A") == []
    ok(dns.pic("dns", "rm", ids[1], ids[2]))
    assert api_records(dns) == []
    assert dns.dig(f"rm2.{z}", "A") == []

    # An unknown id refuses them all: nothing is deleted.
    p = ok(dns.pic("dns", "add", "rm3", "A", "192.0.2.33"))
    last = p.stdout.split()[1].rstrip(":")
    p = refused(dns.pic("dns", "rm", "999999", last), "id")
    assert p.stdout == "" and "nothing deleted" in p.stderr, (p.stdout, p.stderr)
    assert [str(r["id"]) for r in api_records(dns)] == [last]
    # An id given twice is deleted once.
    p = ok(dns.pic("dns", "rm", last, last))
    assert p.stdout.count("deleted ") == 1, p.stdout
    assert api_records(dns) == []


def test_rm_by_name_and_type(dns):
    z = zone(dns)
    ok(dns.pic("dns", "add", "solo", "A", "192.0.2.40"))
    ok(dns.pic("dns", "add", "multi", "A", "192.0.2.41"))
    ok(dns.pic("dns", "add", "multi", "A", "192.0.2.42"))
    ok(dns.pic("dns", "add", "lists", "MX", "mx1.example.org", "--priority", "10"))
    ok(dns.pic("dns", "add", "lists", "MX", "mx1.example.org", "--priority", "20"))

    p = ok(dns.pic("dns", "rm", "solo", "A"))
    assert p.stdout.startswith("deleted ") and p.stdout.endswith(f": solo.{z} A 192.0.2.40\n")
    assert dns.dig(f"solo.{z}", "A") == []

    # Several match and no VALUE: refused, listing them; nothing deleted.
    p = refused(dns.pic("dns", "rm", "multi", "A"), "value")
    assert "2 A records named 'multi'" in p.stderr
    assert "192.0.2.41" in p.stderr and "192.0.2.42" in p.stderr
    assert len(api_records(dns, "&name=multi")) == 2
    p = refused(dns.pic("--json", "dns", "rm", "multi", "a"))
    assert len(json.loads(p.stdout)["error"]["records"]) == 2

    ok(dns.pic("dns", "rm", "multi", "A", "192.0.2.42"))
    assert dns.dig(f"multi.{z}", "A") == ["192.0.2.41"]

    # A bare MX host matches both priorities; the whole VALUE picks one.
    refused(dns.pic("dns", "rm", "lists", "MX", "mx1.example.org"), "value")
    p = ok(dns.pic("dns", "rm", "lists", "MX", "20 mx1.example.org."))
    assert p.stdout.endswith(f": lists.{z} MX 20 mx1.example.org\n")
    assert dns.dig(f"lists.{z}", "MX") == ["10 mx1.example.org."]

    # None match: refused, nothing deleted.
    p = refused(dns.pic("dns", "rm", "nothing", "A"), "name")
    assert "no A record named 'nothing'" in p.stderr
    refused(dns.pic("dns", "rm", "multi", "A", "192.0.2.99"), "value")
    refused(dns.pic("dns", "rm", "multi", "BOGUS"), "type")
    assert len(api_records(dns)) == 2

    usage(dns.pic("dns", "rm", "a", "b", "c", "d"))
    usage(dns.pic("dns", "rm", "name-only"))
    usage(dns.pic("dns", "rm"))


# --- import --------------------------------------------------------------

def test_import_file_of_50(dns, tmp_path):
    z = zone(dns)
    records = [{"name": f"imp{i}", "type": "A", "value": f"198.51.100.{i + 1}", "ttl": 600} for i in range(48)]
    records.append({"name": "imp-mail", "type": "MX", "value": "mail.example.org", "priority": 5})
    records.append({"name": "imp-txt", "type": "TXT", "value": "v=spf1 -all"})
    p = ok(dns.pic("dns", "import", records_file(tmp_path, records)))
    assert p.stdout == "added 50 records\n"
    assert len(api_records(dns)) == 50
    assert dns.dig(f"imp0.{z}", "A") == ["198.51.100.1"]
    assert dns.dig(f"imp47.{z}", "A") == ["198.51.100.48"]
    assert dns.dig(f"imp-mail.{z}", "MX") == ["5 mail.example.org."]
    assert dns.dig(f"imp-txt.{z}", "TXT") == ['"v=spf1 -all"']


def test_import_stdin_and_round_trip(dns, tmp_path):
    records = [{"name": f"in{i}", "type": "A", "value": f"203.0.113.{i + 1}"} for i in range(3)]
    p = ok(dns.pic("dns", "import", "-", input=json.dumps(records)))
    assert p.stdout == "added 3 records\n"
    # What `pic --json dns list` prints goes back in (ids dropped), here
    # after the records themselves are gone.
    exported = ok(dns.pic("--json", "dns", "list", "--all")).stdout
    ids = [str(r["id"]) for r in json.loads(exported)["records"]]
    ok(dns.pic("dns", "rm", *ids))
    assert api_records(dns) == []
    p = ok(dns.pic("--json", "dns", "import", records_file(tmp_path, json.loads(exported))))
    assert json.loads(p.stdout)["created"] == 3
    assert sorted(r["value"] for r in api_records(dns)) == [f"203.0.113.{i + 1}" for i in range(3)]


def test_import_all_or_nothing(dns, tmp_path):
    records = [{"name": f"bad{i}", "type": "A", "value": "192.0.2.1"} for i in range(5)]
    records[3]["value"] = "nope"
    p = refused(dns.pic("dns", "import", records_file(tmp_path, records)), "records[3].value")
    assert p.stdout == ""
    assert api_records(dns) == []


def test_import_usage_errors(dns, tmp_path):
    usage(dns.pic("dns", "import", str(tmp_path / "missing.json")))
    bad = tmp_path / "bad.json"
    bad.write_text("[{\"name\": ")
    assert "line 1" in usage(dns.pic("dns", "import", str(bad))).stderr
    usage(dns.pic("dns", "import", records_file(tmp_path, {"name": "x"})))
    usage(dns.pic("dns", "import", "-", input="42"))
    assert api_records(dns) == []


# --- forward zones -------------------------------------------------------

def test_forward_add_list_rm(dns):
    assert ok(dns.pic("dns", "forward", "list")).stdout == "no forward zones\n"
    p = ok(dns.pic("dns", "forward", "add", "Corp.Example.NET.", "192.0.2.53"))
    assert p.stdout == "added forward zone corp.example.net: 192.0.2.53\n"
    p = ok(dns.pic("dns", "forward", "add", "corp.example.net", "192.0.2.53", "192.0.2.54@5353"))
    assert p.stdout == "replaced forward zone corp.example.net: 192.0.2.53, 192.0.2.54@5353\n"
    ok(dns.pic("dns", "forward", "add", "lab.example.org", "2001:db8::53"))
    status, _, doc = dns.local("GET", "/api/dns/forwards")
    assert {f["zone"]: f["servers"] for f in doc["forwards"]} == {
        "corp.example.net": ["192.0.2.53", "192.0.2.54@5353"], "lab.example.org": ["2001:db8::53"]}

    lines = ok(dns.pic("dns", "forward", "list")).stdout.splitlines()
    assert lines[0].split() == ["ZONE", "SERVERS"]
    assert any(l.startswith("corp.example.net") and l.endswith("192.0.2.53, 192.0.2.54@5353")
               for l in lines)
    assert json.loads(ok(dns.pic("--json", "dns", "forward", "list")).stdout) == doc

    refused(dns.pic("dns", "forward", "add", "bad.example", "not-an-ip"), "servers[0]")
    refused(dns.pic("dns", "forward", "add", zone(dns), "192.0.2.53"), "zone")
    usage(dns.pic("dns", "forward", "add", "only.example"))

    p = ok(dns.pic("dns", "forward", "rm", "corp.example.net"))
    assert p.stdout == "removed forward zone corp.example.net\n"
    refused(dns.pic("dns", "forward", "rm", "corp.example.net"), "zone")
    # A zone with characters a path would take apart is not sent.
    usage(dns.pic("dns", "forward", "rm", "corp.example.net/../x?y=z"))
    doc = dns.local("GET", "/api/dns/forwards")[2]
    assert [f["zone"] for f in doc["forwards"]] == ["lab.example.org"]


# --- resolver settings ---------------------------------------------------

def dns_settings(picd):
    status, _, doc = picd.local("GET", "/api/dns/config")
    assert status == 200
    return doc


def test_dns_config_show_and_set(dns):
    lines = ok(dns.pic("dns", "config")).stdout.splitlines()
    assert [l.split(":")[0] for l in lines] == ["upstreams", "recursion", "dnssec", "cache_mb"]
    assert lines[0].split() == ["upstreams:", "(none)"]
    assert json.loads(ok(dns.pic("--json", "dns", "config")).stdout) == dns_settings(dns)

    p = ok(dns.pic("dns", "config", "upstreams=192.0.2.1, 192.0.2.2@5353", "cache_mb=32", "dnssec=no"))
    assert "upstreams:  192.0.2.1, 192.0.2.2@5353" in p.stdout
    assert dns_settings(dns) == {"upstreams": ["192.0.2.1", "192.0.2.2@5353"], "recursion": True,
                                 "dnssec": False, "cache_mb": 32}
    ok(dns.pic("dns", "config", "recursion=false"))
    assert dns_settings(dns)["recursion"] is False
    ok(dns.pic("dns", "config", "recursion=yes", "upstreams=", "dnssec=true"))
    after = dns_settings(dns)
    assert after == {"upstreams": [], "recursion": True, "dnssec": True, "cache_mb": 32}
    assert service(dns, "dns")["state"] == "running"


def test_dns_config_refused_changes_nothing(dns):
    before = dns_settings(dns)
    p = refused(dns.pic("dns", "config", "upstreams=192.0.2.1,not-an-address", "cache_mb=64"),
                "upstreams[1]")
    assert p.stdout == ""
    refused(dns.pic("dns", "config", "cache_mb=2"), "cache_mb")
    refused(dns.pic("dns", "config", "recursion=no"), "recursion")  # no upstreams left
    assert dns_settings(dns) == before


def test_dns_config_usage_errors(dns):
    before = dns_settings(dns)
    for args in (["cache_mb=big"], ["cache_mb=-1"], ["recursion=maybe"], ["upstreams=192.0.2.1,,192.0.2.2"],
                 ["colour=blue"], ["cache_mb"], ["=5"], ["cache_mb=8", "cache_mb=9"]):
        p = usage(dns.pic("dns", "config", *args))
        assert p.stdout == "", args
    assert "valid keys: upstreams, recursion, dnssec, cache_mb" in dns.pic("dns", "config", "colour=blue").stderr
    assert dns_settings(dns) == before


# --- DHCP ----------------------------------------------------------------

def dhcp_settings(picd):
    status, _, doc = picd.local("GET", "/api/dhcp/config")
    assert status == 200
    return doc


@pytest.fixture
def lan(picd):
    """A LAN interface in picd's namespace: lan0 at 192.168.77.1/24."""
    ns = picd.netns.name
    sh("ip", "-n", ns, "link", "add", "lan0", "type", "veth", "peer", "name", "lan1")
    sh("ip", "-n", ns, "addr", "add", "192.168.77.1/24", "dev", "lan0")
    sh("ip", "-n", ns, "link", "set", "lan0", "up")
    sh("ip", "-n", ns, "link", "set", "lan1", "up")
    return picd


def test_dhcp_config_off_and_show(picd):
    lines = ok(picd.pic("dhcp", "config")).stdout.splitlines()
    assert [l.split(":")[0] for l in lines] == ["enabled", "interface", "range_start", "range_end",
                                                "lease_time", "gateway"]
    assert lines[0].split() == ["enabled:", "no"]
    assert lines[1].split() == ["interface:", "-"]
    ok(picd.pic("dhcp", "config", "off"))
    assert dhcp_settings(picd)["enabled"] is False
    assert json.loads(ok(picd.pic("--json", "dhcp", "config")).stdout) == dhcp_settings(picd)
    # Off, a lease time still sticks; the rest waits for an interface.
    ok(picd.pic("dhcp", "config", "lease_time=7200"))
    assert dhcp_settings(picd)["lease_time"] == 7200
    refused(picd.pic("dhcp", "config", "interface=nosuch0", "range_start=192.168.77.100",
                     "range_end=192.168.77.199"), "interface")
    usage(picd.pic("dhcp", "config", "off", "lease_time=60"))
    usage(picd.pic("dhcp", "config", "lease_time=soon"))
    usage(picd.pic("dhcp", "config", "enabled=yes"))
    usage(picd.pic("dhcp", "config", "on"))
    assert dhcp_settings(picd)["enabled"] is False


def test_dhcp_set_merges_and_serves(lan):
    p = ok(lan.pic("dhcp", "config", "interface=lan0", "range_start=192.168.77.100",
                   "range_end=192.168.77.199"))
    assert "enabled:      yes" in p.stdout
    assert "lan:          192.168.77.1 (192.168.77.0/24)" in p.stdout
    s = dhcp_settings(lan)
    assert s["enabled"] is True and s["interface"] == "lan0"
    assert (s["range_start"], s["range_end"]) == ("192.168.77.100", "192.168.77.199")
    assert wait_for(lambda: service(lan, "dhcp")["state"] == "running", 20), service(lan, "dhcp")

    # One key changes; the interface and range stay.
    ok(lan.pic("dhcp", "config", "lease_time=7200", "gateway=192.168.77.254"))
    s = dhcp_settings(lan)
    assert (s["interface"], s["range_start"], s["range_end"]) == ("lan0", "192.168.77.100", "192.168.77.199")
    assert (s["lease_time"], s["gateway"]) == (7200, "192.168.77.254")
    ok(lan.pic("dhcp", "config", "gateway=null"))
    s = dhcp_settings(lan)
    assert s["gateway"] is None and s["lease_time"] == 7200 and s["interface"] == "lan0"

    refused(lan.pic("dhcp", "config", "range_end=10.0.0.9"), "range_end")
    assert dhcp_settings(lan)["range_end"] == "192.168.77.199"

    assert ok(lan.pic("dhcp", "leases")).stdout == "no leases\n"
    assert json.loads(ok(lan.pic("--json", "dhcp", "leases")).stdout) == {"leases": []}

    ok(lan.pic("dhcp", "config", "off"))
    assert dhcp_settings(lan)["enabled"] is False
    assert wait_for(lambda: service(lan, "dhcp")["state"] != "running", 20)


def test_dhcp_reservations(lan):
    ok(lan.pic("dhcp", "config", "interface=lan0", "range_start=192.168.77.100", "range_end=192.168.77.199"))
    assert ok(lan.pic("dhcp", "reservations")).stdout == "no reservations\n"

    p = ok(lan.pic("dhcp", "reserve", "AA:BB:CC:DD:EE:01", "192.168.77.10", "printer"))
    assert p.stdout == "reserved 192.168.77.10 for aa:bb:cc:dd:ee:01 (printer)\n"
    p = ok(lan.pic("dhcp", "reserve", "aa:bb:cc:dd:ee:02", "192.168.77.11"))
    assert p.stdout == "reserved 192.168.77.11 for aa:bb:cc:dd:ee:02\n"

    lines = ok(lan.pic("dhcp", "reservations")).stdout.splitlines()
    assert lines[0].split() == ["MAC", "IP", "HOSTNAME"]
    assert sorted(l.split() for l in lines[1:]) == [["aa:bb:cc:dd:ee:01", "192.168.77.10", "printer"],
                                                   ["aa:bb:cc:dd:ee:02", "192.168.77.11", "-"]]
    status, _, doc = lan.local("GET", "/api/dhcp/reservations")
    assert json.loads(ok(lan.pic("--json", "dhcp", "reservations")).stdout) == doc

    p = refused(lan.pic("dhcp", "reserve", "aa:bb:cc:dd:ee:03", "10.9.9.9"), "ip")
    assert p.stdout == ""
    refused(lan.pic("dhcp", "reserve", "not-a-mac", "192.168.77.12"), "mac")
    refused(lan.pic("dhcp", "reserve", "aa:bb:cc:dd:ee:04", "192.168.77.10"), "ip")
    usage(lan.pic("dhcp", "reserve", "aa:bb:cc:dd:ee:05"))
    assert len(lan.local("GET", "/api/dhcp/reservations")[2]["reservations"]) == 2

    p = ok(lan.pic("dhcp", "unreserve", "aa:bb:cc:dd:ee:01"))
    assert p.stdout == "removed the reservation for aa:bb:cc:dd:ee:01\n"
    refused(lan.pic("dhcp", "unreserve", "aa:bb:cc:dd:ee:01"), "mac")
    refused(lan.pic("dhcp", "unreserve", "aa-bb-cc"), "mac")
    usage(lan.pic("dhcp", "unreserve", "aa:bb/../cc"))
    doc = lan.local("GET", "/api/dhcp/reservations")[2]
    assert [r["mac"] for r in doc["reservations"]] == ["aa:bb:cc:dd:ee:02"]


def test_dhcp_lease_of_a_real_client(lan):
    """udhcpc on the other end of the veth takes a lease; pic lists it."""
    client = Netns("pcl")
    lan.clients.append(client)
    sh("ip", "-n", lan.netns.name, "link", "set", "lan1", "netns", client.name)
    sh("ip", "-n", client.name, "link", "set", "lan1", "up")
    mac = json.loads(sh("ip", "-n", client.name, "-j", "link", "show", "lan1"))[0]["address"]
    ok(lan.pic("dhcp", "config", "interface=lan0", "range_start=192.168.77.100", "range_end=192.168.77.199",
               "lease_time=3600"))
    ok(lan.pic("dhcp", "reserve", mac, "192.168.77.42", "labpc"))
    assert wait_for(lambda: service(lan, "dhcp")["state"] == "running", 20), service(lan, "dhcp")

    before = time.time()
    r = client.run("busybox", "udhcpc", "-i", "lan1", "-f", "-q", "-n", "-t", "10", "-T", "1",
                   "-s", "/bin/true", "-x", "hostname:labpc", check=False, timeout=60)
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert wait_for(lambda: lan.local("GET", "/api/dhcp/leases")[2]["leases"], 10)

    lines = ok(lan.pic("dhcp", "leases")).stdout.splitlines()
    assert lines[0].split() == ["MAC", "IP", "HOSTNAME", "EXPIRES"]
    assert len(lines) == 2
    cells = lines[1].split()
    assert cells[:3] == [mac, "192.168.77.42", "labpc"]
    expires = time.mktime(time.strptime(" ".join(cells[3:5]), "%Y-%m-%d %H:%M:%S"))
    assert before + 3600 - 120 <= expires <= time.time() + 3600 + 120
    doc = json.loads(ok(lan.pic("--json", "dhcp", "leases")).stdout)
    assert doc["leases"][0]["ip"] == "192.168.77.42"


def test_dhcp_reserve_while_off_is_refused(picd):
    p = refused(picd.pic("dhcp", "reserve", "aa:bb:cc:dd:ee:ff", "192.168.77.5"))
    assert "DHCP interface" in p.stderr
    assert ok(picd.pic("dhcp", "leases")).stdout == "no leases\n"


# --- help ----------------------------------------------------------------

def test_help_lists_dns_and_dhcp(picd):
    top = ok(picd.pic("--help")).stdout
    for cmd in ("dns list", "dns add", "dns rm", "dns import", "dns forward list", "dns forward add",
                "dns forward rm", "dns config", "dhcp config", "dhcp leases", "dhcp reservations",
                "dhcp reserve", "dhcp unreserve"):
        assert f"  {cmd}" in top, cmd
    p = ok(picd.pic("dns", "add", "--help"))
    assert p.stdout.startswith("usage: pic dns add NAME TYPE VALUE")
    for opt in ("--ttl", "--priority", "--weight", "--port", "--flags", "--tag"):
        assert opt in p.stdout
    usage(picd.pic("dns"))
    usage(picd.pic("dns", "frobnicate"))
    usage(picd.pic("dhcp", "leases", "extra"))
