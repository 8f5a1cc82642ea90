"""The DHCP service (dnsmasq on a LAN interface of the host) end to end,
with `busybox udhcpc` as the LAN client: off by default, leases with the
host as router, DNS and NTP server and the cell zone as domain, leases in
the API and their host names in the cell's DNS (published by the lease
file watcher), reservations applied live, validation (nothing changes,
dnsmasq is not restarted), and turning DHCP off."""

import os
import time

import pytest

from conftest import dig, reverse_name, wait_for

LAN_HOST = "192.168.77.1"
SETTINGS = {"interface": "lan0", "range_start": "192.168.77.100", "range_end": "192.168.77.199",
            "lease_time": 3600, "gateway": "192.168.77.1"}


def config(picd):
    return picd.local("GET", "/api/config")[2]


def zone_of(picd):
    doc = config(picd)
    return f"{doc['cell_name']}.{doc['domain']}"


def service(picd, name="dhcp"):
    status, _, doc = picd.local("GET", "/api/services")
    assert status == 200
    return next(s for s in doc["services"] if s["name"] == name)


def ip_value(ip):
    a, b, c, d = (int(x) for x in ip.split("."))
    return a << 24 | b << 16 | c << 8 | d


def in_range(ip, start=SETTINGS["range_start"], end=SETTINGS["range_end"]):
    return ip_value(start) <= ip_value(ip) <= ip_value(end)


def enable(picd, **overrides):
    body = {**SETTINGS, **overrides}
    status, _, doc = picd.local("PUT", "/api/dhcp/config", body)
    assert status == 200, doc
    assert wait_for(lambda: service(picd)["state"] == "running", 10), service(picd)
    return doc


def leases(picd):
    status, _, doc = picd.local("GET", "/api/dhcp/leases")
    assert status == 200
    return doc["leases"]


def resolves(client, server, name, want, timeout=5):
    """Polls until `name` answers exactly [want] (or NXDOMAIN when want is None)."""
    def ok():
        res = dig(client, server, name, timeout=1)
        return res.status == "NXDOMAIN" if want is None else res.data("A") == [want]
    return wait_for(ok, timeout, step=0.05)


def alive(pid):
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def dnsmasqs_of(picd):
    """The live dnsmasq processes in picd's network namespace."""
    ns = os.readlink(f"/proc/{picd.proc.pid}/ns/net")
    found = []
    for p in os.listdir("/proc"):
        try:
            if (p.isdigit() and open(f"/proc/{p}/comm").read().strip() == "dnsmasq"
                    and os.readlink(f"/proc/{p}/ns/net") == ns and alive(p)):
                found.append(int(p))
        except OSError:
            pass
    return found


def test_dhcp_leases_to_lan_clients_and_publishes_their_names(picd, tmp_path):
    assert service(picd)["state"] == "disabled" and service(picd)["pid"] is None
    status, _, doc = picd.local("GET", "/api/dhcp/config")
    assert status == 200 and doc["enabled"] is False and doc["interface"] is None
    lan = picd.lan()
    assert lan.udhcpc(tmp_path, tries=2, check=False) is None  # nobody answers yet

    doc = enable(picd)
    assert doc == {"enabled": True, **SETTINGS, "lan": {"address": LAN_HOST, "network": "192.168.77.0/24"}}
    assert picd.local("GET", "/api/dhcp/config")[2] == doc
    z = zone_of(picd)

    env = lan.udhcpc(tmp_path, hostname="laptop")
    ip = env["ip"]
    assert in_range(ip), env
    assert env["mask"] == "24" and env["router"] == LAN_HOST and env["dns"] == LAN_HOST, env
    assert env["ntpsrv"] == LAN_HOST and env["domain"] == z and env["lease"] == "3600", env
    assert env["serverid"] == LAN_HOST
    assert lan.addresses() == [ip]

    got = leases(picd)
    assert len(got) == 1, got
    assert got[0]["mac"] == lan.mac and got[0]["ip"] == ip and got[0]["hostname"] == "laptop"
    assert abs(got[0]["expires_at"] - (time.time() + 3600)) < 60

    # The lease file watcher publishes the name: on the bridge and through
    # the host, to the LAN client itself.
    client = picd.client()
    dns = config(picd)["addresses"]["dns"]
    assert resolves(client, dns, f"laptop.{z}", ip)
    assert dig(client, dns, reverse_name(ip), "PTR").data("PTR") == [f"laptop.{z}."]
    assert dig(lan, LAN_HOST, f"laptop.{z}").data("A") == [ip]
    assert dig(lan, LAN_HOST, f"calendar.{z}").data("A") == [config(picd)["virtual_ips"]["calendar"]]
    # NTP through the host's LAN address, as DHCP announced it.
    r = lan.run("sntp", "-t", "2", env["ntpsrv"], check=False, timeout=15)
    assert r.returncode == 0 and env["ntpsrv"] in r.stdout, r.stdout + r.stderr

    # Renewing keeps the address; a new name replaces the old one in DNS.
    env2 = lan.udhcpc(tmp_path, hostname="notebook")
    assert env2["ip"] == ip
    assert resolves(client, dns, f"notebook.{z}", ip)
    assert resolves(client, dns, f"laptop.{z}", None)
    assert dig(client, dns, reverse_name(ip), "PTR").data("PTR") == [f"notebook.{z}."]
    assert [l["hostname"] for l in leases(picd)] == ["notebook"]


def test_reservation_gives_the_client_its_address_and_name(picd, tmp_path):
    lan = picd.lan()
    enable(picd)
    z = zone_of(picd)
    client = picd.client()
    dns = config(picd)["addresses"]["dns"]
    first = lan.udhcpc(tmp_path, hostname="laptop")["ip"]
    assert in_range(first)
    assert resolves(client, dns, f"laptop.{z}", first)
    pid = service(picd)["pid"]

    status, _, doc = picd.local("POST", "/api/dhcp/reservations",
                                {"mac": lan.mac.upper(), "ip": "192.168.77.50", "hostname": "printer"})
    assert status == 201, doc
    assert doc == {"mac": lan.mac, "ip": "192.168.77.50", "hostname": "printer"}
    assert picd.local("GET", "/api/dhcp/reservations")[2] == {"reservations": [doc]}
    assert service(picd)["pid"] == pid  # applied live
    # The reserved name is published at once, before any lease.
    assert dig(client, dns, f"printer.{z}").data("A") == ["192.168.77.50"]

    env = lan.udhcpc(tmp_path, hostname="laptop")
    assert env["ip"] == "192.168.77.50", env
    assert env["router"] == LAN_HOST and env["domain"] == z
    assert wait_for(lambda: [(l["ip"], l["hostname"]) for l in leases(picd)] == [("192.168.77.50", "printer")], 5), \
        leases(picd)
    assert dig(client, dns, f"printer.{z}").data("A") == ["192.168.77.50"]
    assert dig(client, dns, reverse_name("192.168.77.50"), "PTR").data("PTR") == [f"printer.{z}."]
    assert resolves(client, dns, f"laptop.{z}", None)

    # Removed: the client's next request is served from the range again,
    # under its own name, and printer is gone.
    assert picd.local("DELETE", f"/api/dhcp/reservations/{lan.mac}")[0] == 204
    assert picd.local("GET", "/api/dhcp/reservations")[2] == {"reservations": []}
    env = lan.udhcpc(tmp_path, hostname="laptop")
    assert in_range(env["ip"]), env
    assert resolves(client, dns, f"printer.{z}", None)
    assert resolves(client, dns, f"laptop.{z}", env["ip"])
    assert picd.local("DELETE", f"/api/dhcp/reservations/{lan.mac}")[0] == 404

    # A reservation for a host that never asked is published and removed
    # with it (dash-separated MACs are taken too).
    status, _, doc = picd.local("POST", "/api/dhcp/reservations",
                                {"mac": "02-00-00-00-00-07", "ip": "192.168.77.7", "hostname": "nas"})
    assert status == 201 and doc["mac"] == "02:00:00:00:00:07", doc
    assert dig(client, dns, f"nas.{z}").data("A") == ["192.168.77.7"]
    hosts_d = os.path.join(picd.state_dir, "services", "dhcp", "hosts.d")
    assert os.listdir(hosts_d) == ["02-00-00-00-00-07"]
    assert picd.local("DELETE", "/api/dhcp/reservations/02:00:00:00:00:07")[0] == 204
    assert dig(client, dns, f"nas.{z}").status == "NXDOMAIN"
    assert os.listdir(hosts_d) == []
    # Without a host name: an address only.
    status, _, doc = picd.local("POST", "/api/dhcp/reservations", {"mac": "02:00:00:00:00:08", "ip": "192.168.77.8"})
    assert status == 201 and doc["hostname"] is None, doc


def test_invalid_settings_and_reservations_change_nothing(picd, tmp_path):
    lan = picd.lan()
    # Reservations need DHCP on.
    status, _, doc = picd.local("POST", "/api/dhcp/reservations", {"mac": "02:00:00:00:00:01", "ip": "192.168.77.50"})
    assert status == 409 and doc["error"]["code"] == "dhcp_off", doc
    assert picd.local("GET", "/api/dhcp/reservations")[2] == {"reservations": []}
    # Refused while off: DHCP stays off.
    status, _, doc = picd.local("PUT", "/api/dhcp/config", {**SETTINGS, "interface": "nope0"})
    assert status == 400 and doc["error"]["field"] == "interface"
    assert service(picd)["state"] == "disabled"

    enable(picd, gateway="192.168.77.254")
    before = picd.local("GET", "/api/dhcp/config")[2]
    pid = service(picd)["pid"]
    conf_path = os.path.join(picd.state_dir, "services", "dhcp", "dnsmasq.conf")
    conf = open(conf_path).read()

    bad_settings = [
        ({"interface": "nope0"}, "interface"),
        ({"interface": "lo"}, "interface"),
        ({"interface": "bad name!"}, "interface"),
        ({"interface": ""}, "interface"),
        ({"interface": "x" * 16}, "interface"),
        ({"interface": 5}, "interface"),
        ({"interface": "pic0"}, "range_start"),  # exists, but the range is not on it
        ({"range_start": "192.168.78.100"}, "range_start"),
        ({"range_end": "192.168.78.10"}, "range_end"),
        ({"range_start": "192.168.77.0"}, "range_start"),
        ({"range_end": "192.168.77.255"}, "range_end"),
        ({"range_start": "192.168.77.199", "range_end": "192.168.77.100"}, "range_end"),
        ({"range_start": "192.168.77.1"}, "range_start"),  # the host's own address
        ({"range_start": "x"}, "range_start"),
        ({"range_start": None}, "range_start"),
        ({"range_end": 5}, "range_end"),
        ({"gateway": "192.168.77.150"}, "gateway"),
        ({"gateway": "192.168.77.100"}, "gateway"),
        ({"gateway": "10.0.0.1"}, "gateway"),
        ({"gateway": "192.168.77.255"}, "gateway"),
        ({"gateway": "gw"}, "gateway"),
        ({"lease_time": 119}, "lease_time"),
        ({"lease_time": 90 * 24 * 3600 + 1}, "lease_time"),
        ({"lease_time": "3600"}, "lease_time"),
        ({"lease_time": -1}, "lease_time"),
        ({"dns": "192.168.77.1"}, "dns"),
    ]
    for patch, field in bad_settings:
        body = {**SETTINGS, **patch}
        status, _, doc = picd.local("PUT", "/api/dhcp/config", body)
        assert status == 400 and doc["error"]["field"] == field, (patch, status, doc)
    body = {k: v for k, v in SETTINGS.items() if k != "range_end"}
    status, _, doc = picd.local("PUT", "/api/dhcp/config", body)
    assert status == 400 and doc["error"]["field"] == "range_end", doc
    assert picd.local("PUT", "/api/dhcp/config", [])[0] == 400
    assert picd.local("GET", "/api/dhcp/config")[2] == before
    assert open(conf_path).read() == conf
    assert service(picd)["pid"] == pid and service(picd)["state"] == "running"

    good = {"mac": "02:00:00:00:00:01", "ip": "192.168.77.50", "hostname": "printer"}
    status, _, first = picd.local("POST", "/api/dhcp/reservations", good)
    assert status == 201, first
    listed = picd.local("GET", "/api/dhcp/reservations")[2]
    new = {"mac": "02:00:00:00:00:02", "ip": "192.168.77.51", "hostname": "scanner"}
    bad_reservations = [
        ({"mac": "zz:00:00:00:00:02"}, "mac"),
        ({"mac": "02:00:00:00:00"}, "mac"),
        ({"mac": "02:00:00:00:00:02:03"}, "mac"),
        ({"mac": "02-00:00:00:00:02"}, "mac"),
        ({"mac": "0200.0000.0002"}, "mac"),
        ({"mac": "01:00:5e:00:00:01"}, "mac"),  # multicast
        ({"mac": "00:00:00:00:00:00"}, "mac"),
        ({"mac": 2}, "mac"),
        ({"mac": "02:00:00:00:00:01"}, "mac"),  # taken
        ({"mac": "02:00:00:00:00:01".upper()}, "mac"),
        ({"ip": "192.168.78.51"}, "ip"),
        ({"ip": "10.0.0.51"}, "ip"),
        ({"ip": "192.168.77.0"}, "ip"),
        ({"ip": "192.168.77.255"}, "ip"),
        ({"ip": LAN_HOST}, "ip"),
        ({"ip": "192.168.77.254"}, "ip"),  # the gateway
        ({"ip": "192.168.77.50"}, "ip"),  # taken
        ({"ip": "x"}, "ip"),
        ({"ip": None}, "ip"),
        ({"hostname": "printer"}, "hostname"),  # taken
        ({"hostname": "Scanner"}, "hostname"),
        ({"hostname": "scan.ner"}, "hostname"),
        ({"hostname": "-scanner"}, "hostname"),
        ({"hostname": "scanner-"}, "hostname"),
        ({"hostname": "scan_ner"}, "hostname"),
        ({"hostname": "s" * 64}, "hostname"),
        ({"hostname": 5}, "hostname"),
        ({"owner": "me"}, "owner"),
    ]
    for patch, field in bad_reservations:
        body = {**new, **patch}
        status, _, doc = picd.local("POST", "/api/dhcp/reservations", body)
        assert status == 400 and doc["error"]["field"] == field, (patch, status, doc)
    for missing in ("mac", "ip"):
        status, _, doc = picd.local("POST", "/api/dhcp/reservations", {k: v for k, v in new.items() if k != missing})
        assert status == 400 and doc["error"]["field"] == missing, (missing, doc)
    assert picd.local("DELETE", "/api/dhcp/reservations/not-a-mac")[0] == 400
    assert picd.local("DELETE", "/api/dhcp/reservations/02:00:00:00:00:09")[0] == 404

    assert picd.local("GET", "/api/dhcp/reservations")[2] == listed
    assert os.listdir(os.path.join(picd.state_dir, "services", "dhcp", "hosts.d")) == ["02-00-00-00-00-01"]
    assert picd.local("GET", "/api/dhcp/config")[2] == before
    assert service(picd)["pid"] == pid
    z = zone_of(picd)
    client = picd.client()
    dns = config(picd)["addresses"]["dns"]
    assert dig(client, dns, f"printer.{z}").data("A") == ["192.168.77.50"]
    assert dig(client, dns, f"scanner.{z}").status == "NXDOMAIN"
    # ... and dnsmasq still serves.
    env = lan.udhcpc(tmp_path)
    assert in_range(env["ip"]) and env["router"] == "192.168.77.254", env


def test_turning_dhcp_off_stops_dnsmasq(picd, tmp_path):
    lan = picd.lan()
    enable(picd)
    pid = service(picd)["pid"]
    assert dnsmasqs_of(picd) == [pid]
    assert lan.udhcpc(tmp_path, hostname="laptop")

    status, _, doc = picd.local("PUT", "/api/dhcp/config", {"interface": None})
    assert status == 200, doc
    assert doc["enabled"] is False and doc["interface"] is None
    assert picd.local("GET", "/api/dhcp/config")[2]["enabled"] is False
    svc = service(picd)
    assert svc["state"] == "disabled" and svc["pid"] is None, svc
    assert wait_for(lambda: not alive(pid), 5)
    assert dnsmasqs_of(picd) == []
    assert lan.udhcpc(tmp_path, tries=2, check=False) is None
    status, _, doc = picd.local("POST", "/api/dhcp/reservations", {"mac": "02:00:00:00:00:01", "ip": "192.168.77.50"})
    assert status == 409

    # Off stays off across a picd restart; on again works.
    picd.restart()
    assert service(picd)["state"] == "disabled"
    enable(picd)
    assert lan.udhcpc(tmp_path, hostname="laptop")


def test_lan_host_names_survive_restarts_of_picd_and_unbound(picd, tmp_path):
    lan = picd.lan()
    enable(picd)
    z = zone_of(picd)
    client = picd.client()
    dns = config(picd)["addresses"]["dns"]
    status, _, _ = picd.local("POST", "/api/dhcp/reservations",
                              {"mac": "02:00:00:00:00:05", "ip": "192.168.77.5", "hostname": "nas"})
    assert status == 201
    ip = lan.udhcpc(tmp_path, hostname="laptop")["ip"]
    assert resolves(client, dns, f"laptop.{z}", ip)

    def both():
        return (dig(client, dns, f"laptop.{z}", timeout=1).data("A") == [ip]
                and dig(client, dns, f"nas.{z}", timeout=1).data("A") == ["192.168.77.5"])

    picd.restart()
    assert both()
    unbound = service(picd, "dns")["pid"]
    os.kill(unbound, 9)
    assert wait_for(lambda: service(picd, "dns")["pid"] not in (None, unbound), 10)
    assert wait_for(both, 10, step=0.1)
    assert leases(picd)[0]["ip"] == ip
    # A settings change restarts dnsmasq; its leases and the names stay.
    pid = service(picd)["pid"]
    enable(picd, lease_time=7200)
    assert service(picd)["pid"] != pid
    assert [l["ip"] for l in leases(picd)] == [ip]
    assert both()


def test_a_lan_host_cannot_take_a_name_the_cell_publishes(picd, tmp_path):
    lan = picd.lan()
    enable(picd)
    z = zone_of(picd)
    client = picd.client()
    dns = config(picd)["addresses"]["dns"]
    calendar = config(picd)["virtual_ips"]["calendar"]
    env = lan.udhcpc(tmp_path, hostname="calendar")
    assert wait_for(lambda: leases(picd) and leases(picd)[0]["hostname"] == "calendar", 5)
    time.sleep(0.3)  # the watcher has had its chance
    assert dig(client, dns, f"calendar.{z}").data("A") == [calendar]
    assert env["ip"] not in dig(client, dns, f"calendar.{z}").data("A")
    lan.udhcpc(tmp_path, hostname="laptop")
    assert resolves(client, dns, f"laptop.{z}", env["ip"])
    assert dig(client, dns, f"calendar.{z}").data("A") == [calendar]


def test_a_reservation_cannot_take_a_name_the_cell_publishes(picd):
    picd.lan()
    enable(picd)
    z = zone_of(picd)
    client = picd.client()
    dns = config(picd)["addresses"]["dns"]
    ntp = config(picd)["addresses"]["ntp"]
    status, _, doc = picd.local("POST", "/api/dhcp/reservations",
                                {"mac": "02:00:00:00:00:01", "ip": "192.168.77.60", "hostname": "ntp"})
    if status == 400:
        assert doc["error"]["field"] == "hostname"  # refusing it is as good
    assert dig(client, dns, f"ntp.{z}").data("A") == [ntp]
    picd.local("DELETE", "/api/dhcp/reservations/02:00:00:00:00:01")
    assert dig(client, dns, f"ntp.{z}").data("A") == [ntp]


def test_a_user_record_takes_precedence_over_a_lan_host_name(picd, tmp_path):
    lan = picd.lan()
    enable(picd)
    z = zone_of(picd)
    client = picd.client()
    dns = config(picd)["addresses"]["dns"]
    status, _, doc = picd.local("POST", "/api/dns/records", {"name": "laptop", "type": "A", "value": "192.0.2.77"})
    assert status == 201, doc
    lan.udhcpc(tmp_path, hostname="laptop")
    assert wait_for(lambda: leases(picd), 5)
    time.sleep(0.3)
    assert dig(client, dns, f"laptop.{z}").data("A") == ["192.0.2.77"]
