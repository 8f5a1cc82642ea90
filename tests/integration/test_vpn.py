"""The VPN: a real wireguard-go peer in its own namespace, on a stand-in
"internet" link to picd's namespace, configured from the API's config
text (and once from the QR code, decoded with zbarimg): it completes a
handshake, resolves the cell's names through the cell DNS and reaches
what it was granted — and nothing else, until a grant is added; a
revoked grant cuts an open connection; peers are added, changed and
removed without disturbing the others; bad input changes nothing."""

import json
import re
import subprocess
import sys
import threading
import time

import pytest
import requests

from conftest import Netns, dig, sh, wait_for
from vpnpeer import HOLD_CONNECTION, LINK_HOST, VpnPeer

def add_peer(picd, **body):
    status, _, doc = picd.local("POST", "/api/peers", body)
    assert status == 201, doc
    return doc


def config_of(picd, name):
    status, _, doc = picd.local("GET", f"/api/peers/{name}/config")
    assert status == 200, doc
    return doc


def connected_peer(picd, name, **body):
    """A peer created through the API, its device configured from the
    config text the API gives, and its ping to the cell DNS through."""
    peer = VpnPeer(picd)
    peer.configure(add_peer(picd, name=name, **body) and config_of(picd, name)["config"])
    assert can_reach(peer, "ping", "-c", "1", "-W", "3", cell(picd)["addresses"]["dns"])
    return peer


def can_reach(peer, *argv, timeout=3):
    return peer.run(*argv, check=False, timeout=timeout + 5).returncode == 0


def cell(picd):
    return picd.local("GET", "/api/config")[2]


@pytest.fixture
def vpn(picd):
    status, _, doc = picd.local("PUT", "/api/config", {"endpoint": LINK_HOST})
    assert status == 200, doc
    return picd


def test_peer_from_config_text_reaches_dns_and_not_more(vpn, tmp_path):
    picd = vpn
    conf = cell(picd)
    dns, webui = conf["addresses"]["dns"], conf["virtual_ips"]["webui"]
    zone = f"{conf['cell_name']}.{conf['domain']}"
    doc = add_peer(picd, name="phone")
    assert doc["address"] == "10.0.0.2" and doc["services"] == [] and doc["tunnel"] == "split"
    assert doc["provisioned_by_cell"] and doc["preshared_key"] is True
    assert "private_key" not in str(picd.local("GET", "/api/peers")[2])
    text = config_of(picd, "phone")["config"]
    assert f"Endpoint = {LINK_HOST}:" in text and f"DNS = {dns}, {zone}" in text
    assert "AllowedIPs = 172.20.0.0/16, 10.0.0.0/24" in text

    peer = VpnPeer(picd)
    peer.configure(text)
    # DNS is always granted: ping and a lookup through the tunnel.
    assert can_reach(peer, "ping", "-c", "1", "-W", "3", dns), "no ping to the cell DNS over the VPN"
    r = peer.run("dig", "+short", "+time=2", "+tries=2", f"@{dns}", f"dns.{zone}", check=False)
    assert r.stdout.split() == [dns], r
    # Names of services not granted are NXDOMAIN for this peer only.
    def resolve(ns, name):
        r = dig(ns, dns, name)
        return r.status, r.addresses()

    cal_vip = conf["virtual_ips"]["calendar"]
    assert resolve(peer, f"calendar.{zone}") == ("NXDOMAIN", [])
    assert resolve(peer, f"ntp.{zone}") == ("NXDOMAIN", [])
    assert resolve(peer, f"dns.{zone}") == ("NOERROR", [dns])
    lan = picd.client()
    assert resolve(lan, f"calendar.{zone}") == ("NOERROR", [cal_vip])
    assert picd.local("PUT", "/api/peers/phone", {"services": ["calendar"]})[0] == 200
    assert resolve(peer, f"calendar.{zone}") == ("NOERROR", [cal_vip])
    assert picd.local("PUT", "/api/peers/phone", {"services": []})[0] == 200
    assert resolve(peer, f"calendar.{zone}") == ("NXDOMAIN", [])
    assert resolve(lan, f"calendar.{zone}") == ("NOERROR", [cal_vip])
    st = {p["name"]: p for p in picd.local("GET", "/api/wireguard/peers")[2]["peers"]}
    assert st["phone"]["online"] and st["phone"]["endpoint"].startswith(peer.addr)
    # The web interface was not granted: no connection.
    assert not can_reach(peer, "curl", "-sk", "--max-time", "3", f"https://{webui}/health")
    status, _, doc = picd.local("PUT", "/api/peers/phone", {"services": ["webui"]})
    assert status == 200 and doc["services"] == ["webui"], doc
    r = peer.run("curl", "-sk", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}",
                 "--resolve", f"{zone}:443:{webui}", f"https://{zone}/health", check=False)
    assert r.stdout == "200", r


def dns_pid(picd):
    status, _, doc = picd.local("GET", "/api/services")
    assert status == 200, doc
    return next(s for s in doc["services"] if s["name"] == "dns")["pid"]


def test_apex_address_only_with_webui(vpn, tmp_path):
    """The zone's apex is the web interface's address: a peer not granted
    webui gets NOERROR without an address there (its SOA, NS and the
    user's records stay), the cell's own clients get the address, and a
    grant or a revocation changes the peer's answer live — same unbound
    process — and survives a restart of unbound."""
    picd = vpn
    conf = cell(picd)
    dns, webui = conf["addresses"]["dns"], conf["virtual_ips"]["webui"]
    zone = f"{conf['cell_name']}.{conf['domain']}"
    status, _, doc = picd.local("POST", "/api/dns/records", {"name": "@", "type": "TXT", "value": "apex text"})
    assert status == 201, doc
    peer = connected_peer(picd, "laptop")
    lan = picd.client()
    pid = dns_pid(picd)

    def apex(ns, rtype="A"):
        return dig(ns, dns, zone, rtype)

    def nodata(ns):
        res = apex(ns)
        soa = re.search(rf"^{re.escape(zone)}\.\s+\d+\s+IN\s+SOA\s", res.text, re.M)
        return res.status == "NOERROR" and res.answers == [] and soa is not None

    def apex_rest(ns):
        return [apex(ns, "SOA").data(), apex(ns, "NS").data(), apex(ns, "TXT").data()]

    rest = [[f"dns.{zone}. hostmaster.{zone}. 1 3600 900 604800 60"], [f"dns.{zone}."], ['"apex text"', '"v=spf1 mx ~all"']]
    assert nodata(peer), apex(peer)
    assert apex_rest(peer) == rest
    assert dig(peer, dns, f"webui.{zone}").status == "NXDOMAIN"
    assert dig(peer, dns, f"nosuch.{zone}").status == "NXDOMAIN"
    # The cell's own clients: a device on the cell network and the host.
    for ns in (lan, picd.netns):
        assert apex(ns).data() == [webui]
        assert apex_rest(ns) == rest

    assert picd.local("PUT", "/api/peers/laptop", {"services": ["webui"]})[0] == 200
    assert apex(peer).data() == [webui]
    assert apex_rest(peer) == rest
    assert dig(peer, dns, f"webui.{zone}").data() == [webui]
    assert dig(peer, dns, f"calendar.{zone}").status == "NXDOMAIN"

    assert picd.local("PUT", "/api/peers/laptop", {"services": ["calendar"]})[0] == 200
    assert nodata(peer), apex(peer)
    assert apex_rest(peer) == rest
    assert dig(peer, dns, f"webui.{zone}").status == "NXDOMAIN"
    assert apex(lan).data() == [webui]
    assert dns_pid(picd) == pid, "unbound was restarted for a grant change"

    # The rendered file says the same. It is written 2 s after the last
    # change; unbound restarted after that starts from it.
    assert picd.local("PUT", "/api/peers/laptop", {"services": ["webui"]})[0] == 200
    time.sleep(2.5)
    assert picd.local("POST", "/api/services/dns/restart")[0] == 200
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and (dns_pid(picd) in (None, pid) or apex(lan, "SOA").status != "NOERROR"):
        time.sleep(0.1)
    assert dns_pid(picd) not in (None, pid)
    assert apex(peer).data() == [webui]
    assert apex(lan).data() == [webui]
    assert picd.local("PUT", "/api/peers/laptop", {"services": []})[0] == 200
    assert nodata(peer), apex(peer)
    assert apex_rest(peer) == rest


def test_peer_from_qr_code(vpn, tmp_path):
    picd = vpn
    add_peer(picd, name="tablet", services=["ntp"])
    png = requests.get(picd.url + "/api/peers/tablet/qr.png",
                       headers={"Authorization": f"Bearer {picd.token()}"})
    assert png.status_code == 200 and png.headers["Content-Type"] == "image/png"
    assert png.headers["Cache-Control"] == "no-store"
    (tmp_path / "qr.png").write_bytes(png.content)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "qr.png")], capture_output=True,
                             text=True).stdout.rstrip("\n")
    assert decoded == config_of(picd, "tablet")["config"].rstrip("\n")
    peer = VpnPeer(picd)
    peer.configure(decoded)
    ntp = cell(picd)["addresses"]["ntp"]
    r = peer.run("sntp", "-t", "3", ntp, check=False, timeout=20)
    assert r.returncode == 0, r


def test_revoke_cuts_an_open_connection_and_others_keep_going(vpn, tmp_path):
    picd = vpn
    conf = cell(picd)
    dns, webui = conf["addresses"]["dns"], conf["virtual_ips"]["webui"]
    a = connected_peer(picd, "a", services=["webui"])
    # An open HTTPS connection from A through the proxy: handshaken, one
    # answer read, then kept for a second request after the revoke.
    holder = subprocess.Popen(["ip", "netns", "exec", a.name, sys.executable, "-c", HOLD_CONNECTION, webui],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    ping = subprocess.Popen(["ip", "netns", "exec", a.name, "ping", "-i", "0.05", "-w", "6", dns],
                            stdout=subprocess.PIPE, text=True)
    # B comes, changes and goes while A pings.
    add_peer(picd, name="b")
    assert picd.local("PUT", "/api/peers/b", {"services": ["ntp"], "tunnel": "full"})[0] == 200
    assert picd.local("DELETE", "/api/peers/b")[0] == 204
    out, _ = ping.communicate(timeout=20)
    m = re.search(r"(\d+) packets transmitted, (\d+) received", out)
    answered = {int(n) for n in re.findall(r"icmp_seq=(\d+)", out)}
    # Every echo is answered; only the last may still be in flight when
    # the deadline ends ping (B is long gone by then).
    assert m and answered >= set(range(1, int(m.group(1)))), out
    # Revoking webui cuts A's open connection at once, and new ones.
    assert picd.local("PUT", "/api/peers/a", {"services": []})[0] == 200
    out, _ = holder.communicate("again\n", timeout=20)
    assert out.strip() == "cut", out
    assert not can_reach(a, "curl", "-sk", "--max-time", "3", f"https://{webui}/health")


def test_disabled_deleted_and_expired_peers_are_off(vpn, tmp_path):
    picd = vpn
    dns = cell(picd)["addresses"]["dns"]
    p = connected_peer(picd, "laptop")
    assert picd.local("PUT", "/api/peers/laptop", {"enabled": False})[2]["active"] is False
    assert not can_reach(p, "ping", "-c", "2", "-W", "2", dns)
    keys = [x["public_key"] for x in picd.local("GET", "/api/wireguard/peers")[2]["peers"]]
    assert picd.local("GET", "/api/peers/laptop")[2]["public_key"] not in keys
    assert picd.local("PUT", "/api/peers/laptop", {"enabled": True})[0] == 200
    # Re-added: the device handshakes again (WireGuard retries every 5 s).
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not can_reach(p, "ping", "-c", "1", "-W", "1", dns, timeout=1):
        pass
    assert can_reach(p, "ping", "-c", "1", "-W", "2", dns)
    # Expiry: set in the past is refused; in 3 s, the peer is taken off
    # the interface and the firewall when it comes, with no other change.
    status, _, doc = picd.local("PUT", "/api/peers/laptop", {"expires_at": int(time.time()) - 5})
    assert status == 400 and doc["error"]["field"] == "expires_at"
    expires = int(time.time()) + 3
    assert picd.local("PUT", "/api/peers/laptop", {"expires_at": expires})[2]["active"] is True
    assert can_reach(p, "ping", "-c", "1", "-W", "2", dns)
    time.sleep(max(0.0, expires - time.time()) + 1.5)
    assert picd.local("GET", "/api/peers/laptop")[2]["active"] is False
    keys = [x["public_key"] for x in picd.local("GET", "/api/wireguard/peers")[2]["peers"]]
    assert picd.local("GET", "/api/peers/laptop")[2]["public_key"] not in keys
    assert not can_reach(p, "ping", "-c", "2", "-W", "2", dns)
    assert picd.local("DELETE", "/api/peers/laptop")[0] == 204


def test_bad_input_changes_nothing(vpn, tmp_path):
    picd = vpn
    add_peer(picd, name="one", public_key="yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=", preshared_key=False)
    before = (picd.local("GET", "/api/peers")[2], picd.local("GET", "/api/wireguard/peers")[2])
    cases = [
        ({"name": "one"}, 400, "name"),
        ({"name": "Bad Name"}, 400, "name"),
        ({"name": "two", "public_key": "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="}, 400, "public_key"),
        ({"name": "two", "public_key": "not-base64"}, 400, "public_key"),
        ({"name": "two", "public_key": "AAAA"}, 400, "public_key"),
        ({"name": "two", "services": ["ssh"]}, 400, "services[0]"),
        ({"name": "two", "services": ["webui", "webui"]}, 400, "services[1]"),
        ({"name": "two", "expires_at": 1000}, 400, "expires_at"),
        ({"name": "two", "tunnel": "both"}, 400, "tunnel"),
        ({"name": "two", "enabled": "yes"}, 400, "enabled"),
        ({"name": "two", "preshared_key": "short"}, 400, "preshared_key"),
        ({"name": "two", "colour": "red"}, 400, "colour"),
        ({}, 400, "name"),
    ]
    for body, want, field in cases:
        status, _, doc = picd.local("POST", "/api/peers", body)
        assert status == want and doc["error"]["field"] == field, (body, status, doc)
    assert picd.local("PUT", "/api/peers/nobody", {"enabled": False})[0] == 404
    assert picd.local("DELETE", "/api/peers/nobody")[0] == 404
    assert picd.local("GET", "/api/peers/nobody/config")[0] == 404
    after = (picd.local("GET", "/api/peers")[2], picd.local("GET", "/api/wireguard/peers")[2])
    assert after == before
    # The device's own key: the config has no private key to give.
    assert "# PrivateKey = the device's own" in config_of(picd, "one")["config"]
    assert "PresharedKey" not in config_of(picd, "one")["config"]


def test_subnet_exhausted(picd):
    status, _, doc = picd.local("PUT", "/api/config", {"vpn_subnet": "10.0.0.0/29"})
    assert status == 200, doc
    if doc.get("pending"):
        assert picd.local("POST", "/api/config/apply")[0] == 200
    for i in range(5):
        add_peer(picd, name=f"p{i}")
    status, _, doc = picd.local("POST", "/api/peers", {"name": "p5"})
    assert status == 409 and doc["error"]["field"] == "vpn_subnet", doc
    # With every address used once, the freed one is handed out again.
    assert picd.local("DELETE", "/api/peers/p0")[0] == 204
    assert add_peer(picd, name="p6")["address"] == "10.0.0.2"  # only one free: it is reused


def test_cli(vpn, tmp_path):
    picd = vpn

    def pic(*args):
        return subprocess.run([*picd.pic_argv(), *args], capture_output=True, text=True, timeout=30, cwd=tmp_path)

    out = pic("peer", "add", "laptop", "--services", "webui,ntp", "--expires", "2099-12-31")
    assert out.returncode == 0, out.stderr
    assert "█" in out.stdout and "config: laptop.conf" in out.stdout
    conf = tmp_path / "laptop.conf"
    assert conf.stat().st_mode & 0o777 == 0o600
    assert conf.read_text() == config_of(picd, "laptop")["config"]
    assert "PrivateKey = " in conf.read_text()
    # The same name again: the file is there, nothing is asked of picd.
    out = pic("peer", "add", "laptop")
    assert out.returncode == 1 and "exists here" in out.stderr
    out = pic("peer", "list")
    assert out.returncode == 0
    row = next(l.split() for l in out.stdout.splitlines() if l.startswith("laptop"))
    assert row[1] == "10.0.0.2" and row[2] == "dns,ntp,webui" and row[3] == "split" and row[4] == "active"
    out = pic("peer", "access", "laptop")
    rows = {l.split()[0]: l.split() for l in out.stdout.splitlines()[1:]}
    webui = cell(picd)["virtual_ips"]["webui"]
    assert rows["webui"][1:] == ["yes", webui, "tcp/443,tcp/80"], out.stdout
    assert rows["dns"][1] == "yes" and rows["files"][1] == "no" and rows["internet"][1] == "no"
    out = pic("peer", "access", "laptop", "files")
    assert out.returncode == 0 and out.stdout.startswith("denied: files is not among the peer's services")
    assert pic("peer", "access", "laptop", "webui").stdout.startswith("allowed: granted: 10.0.0.2 . " + webui)
    status, _, doc = picd.local("GET", "/api/peers/laptop/access?service=ssh")
    assert status == 400 and doc["error"]["field"] == "service"
    out = pic("peer", "set", "laptop", "--services", "ssh")
    assert out.returncode == 2 and "(field: services[0])" in out.stderr, out.stderr
    out = pic("peer", "add", "old", "--expires", "2001-01-01")
    assert out.returncode == 2 and "(field: expires_at)" in out.stderr, out.stderr
    assert not (tmp_path / "old.conf").exists()
    out = pic("peer", "set", "laptop", "--expires", "someday")
    assert out.returncode == 1
    out = pic("peer", "disable", "laptop")
    assert out.returncode == 0 and "disabled" in out.stdout
    out = pic("--json", "peer", "set", "laptop", "--full-tunnel", "--expires", "never")
    doc = json.loads(out.stdout)
    assert doc["tunnel"] == "full" and doc["expires_at"] is None and doc["enabled"] is False
    assert "AllowedIPs = 0.0.0.0/0" in pic("peer", "config", "laptop").stdout
    assert "█" in pic("peer", "qr", "laptop").stdout
    assert pic("peer", "rm", "laptop").returncode == 0
    out = pic("peer", "rm", "laptop")
    assert out.returncode == 2 and "no peer called 'laptop'" in out.stderr
    assert picd.local("GET", "/api/peers")[2]["peers"] == []


# Run in a peer's namespace: DNS queries for NAME at SERVER one after
# another until the file STOP exists; prints "sent lost".
QUERY_LOOP = r"""
import os, sys, dns.message, dns.query, dns.exception
server, name, stop = sys.argv[1:4]
sent = lost = 0
while not os.path.exists(stop):
    sent += 1
    try:
        r = dns.query.udp(dns.message.make_query(name, "A"), server, timeout=1)
        if not r.answer:
            lost += 1
    except dns.exception.Timeout:
        lost += 1
print(sent, lost)
"""


def test_grant_changes_do_not_disturb_another_peers_dns(vpn, tmp_path):
    picd = vpn
    conf = cell(picd)
    dns, zone = conf["addresses"]["dns"], f"{conf['cell_name']}.{conf['domain']}"
    add_peer(picd, name="first")
    # The second asks for the apex's address, which its own view holds
    # (webui) while the first's view gains and loses its copy.
    b = connected_peer(picd, "second", services=["webui"])
    stop = tmp_path / "stop"
    loop = subprocess.Popen(["ip", "netns", "exec", b.name, sys.executable, "-c", QUERY_LOOP, dns, zone, str(stop)],
                            stdout=subprocess.PIPE, text=True)
    time.sleep(0.3)
    for i in range(50):
        services = ["webui", "files"] if i % 2 == 0 else []
        assert picd.local("PUT", "/api/peers/first", {"services": services})[0] == 200
    time.sleep(0.3)
    stop.touch()
    sent, lost = map(int, loop.communicate(timeout=20)[0].split())
    print(f"second peer's queries during 50 grant changes for the first: {sent} sent, {lost} lost")
    assert sent > 50 and lost == 0, (sent, lost)


def test_port_change_is_live(vpn, tmp_path):
    picd = vpn
    dns = cell(picd)["addresses"]["dns"]
    p = connected_peer(picd, "mover")
    status, _, doc = picd.local("PUT", "/api/config", {"wireguard_port": 51999})
    assert status == 200 and doc["wireguard_port"] == 51999, doc
    text = config_of(picd, "mover")["config"]
    assert f"Endpoint = {LINK_HOST}:51999" in text
    p.configure(text)
    assert can_reach(p, "ping", "-c", "1", "-W", "5", dns), "no way in on the new port"


def kernel_has_wireguard():
    """Whether `ip link add … type wireguard` works here (tried in a
    throwaway namespace)."""
    ns = Netns("wgk")
    try:
        return subprocess.run(["ip", "-n", ns.name, "link", "add", "wgprobe0", "type", "wireguard"],
                              capture_output=True).returncode == 0
    finally:
        ns.delete()


def test_interface_backend(picd):
    """The kernel's WireGuard where the kernel has it, wireguard-go where
    not; the status and the services say which, and why."""
    status, _, st = picd.local("GET", "/api/wireguard/status")
    assert status == 200 and st["running"], st
    services = {s["name"]: s for s in picd.local("GET", "/api/services")[2]["services"]}
    link = sh("ip", "-n", picd.netns.name, "-d", "link", "show", "picwg0")
    if kernel_has_wireguard():
        assert st["backend"] == "kernel", st
        assert "wireguard" in link, link
        vpn = services["vpn"]
        assert vpn["state"] == "disabled" and "kernel" in vpn["disabled_reason"], vpn
        status, _, doc = picd.local("POST", "/api/services/vpn/start")
        assert status == 409 and doc["error"]["field"] == "name", doc
    else:
        assert st["backend"] == "wireguard-go", st
        assert "tun" in link, link
        assert services["vpn"]["state"] == "running" and services["vpn"]["pid"], services["vpn"]
    # A service its settings disable (DHCP without an interface) is not
    # started by hand either: 409, naming why.
    assert services["dhcp"]["state"] == "disabled", services["dhcp"]
    status, _, doc = picd.local("POST", "/api/services/dhcp/start")
    assert status == 409 and doc["error"]["field"] == "name" and "disabled" in doc["error"]["message"], doc
    after = {s["name"]: s for s in picd.local("GET", "/api/services")[2]["services"]}
    assert after["dhcp"]["state"] == "disabled" and after["dhcp"]["pid"] is None, after["dhcp"]


def view_of(conf_text, address):
    """The lines of the view unbound.conf holds for a peer's address."""
    name = "vpn-" + address.split("/")[0].replace(".", "-")
    block = conf_text.split(f'\nview:\n\tname: "{name}"\n', 1)
    assert len(block) == 2, f"no view {name} in unbound.conf"
    return block[1].split("\nview:", 1)[0]


def test_views_reach_unbound_conf_once_changes_pause(vpn):
    """Peers' views change live; unbound.conf follows once the changes
    pause, rendered, checked and installed in the DNS service's worker
    (the loop answers meanwhile), so a restarted unbound starts from it."""
    picd = vpn
    zone = f"{cell(picd)['cell_name']}.{cell(picd)['domain']}"
    path = f"{picd.state_dir}/services/dns/unbound.conf"
    doc = add_peer(picd, name="viewed", services=["webui"])
    assert picd.local("PUT", "/api/peers/viewed", {"services": ["webui", "calendar"]})[0] == 200
    def hides(label):
        return f'local-zone: "{label}.{zone}." always_nxdomain' in view_of(open(path).read(), doc["address"])

    deadline = time.monotonic() + 15
    while not hides("files"):
        assert time.monotonic() < deadline, "unbound.conf did not get the peer's grants"
        assert picd.local("GET", "/health")[0] == 200
        time.sleep(0.1)
    assert not hides("calendar") and not hides("webui")
    assert "dns: rendering and installing the configuration in its worker" in picd.stderr()
    # Installed only after unbound's own checker passed it.
    assert "dns: new configuration installed (it already runs with it)" in picd.stderr()


def test_grants_changed_while_unbound_reloads_are_kept(vpn):
    """A change of the DNS settings renders unbound.conf in the worker
    and reloads unbound with it; a peer's grants changed live meanwhile
    must survive that reload (the config is rendered again with them)."""
    picd = vpn
    conf = cell(picd)
    dns, zone = conf["addresses"]["dns"], f"{conf['cell_name']}.{conf['domain']}"
    peer = connected_peer(picd, "racer")
    cal_vip = conf["virtual_ips"]["calendar"]
    seen = []
    for i in range(6):
        grant = ["calendar"] if i % 2 == 0 else []
        forward = {"zone": "other.test", "servers": [f"10.99.0.{i + 1}"]}
        done = []
        t = threading.Thread(target=lambda: done.append(picd.local("POST", "/api/dns/forwards", forward)[0]))
        t.start()
        time.sleep(0.02 * (i % 3))  # while the forward is being rendered, checked, reloaded
        assert picd.local("PUT", "/api/peers/racer", {"services": grant})[0] == 200
        t.join(30)
        assert done and done[0] in (200, 201), done
        r = dig(peer, dns, f"calendar.{zone}")
        seen.append((r.status, r.addresses()))
    want = [("NOERROR", [cal_vip]) if i % 2 == 0 else ("NXDOMAIN", []) for i in range(6)]
    assert seen == want
    log = picd.stderr()
    assert "dns: new configuration applied and verified" in log
    print("reloads rendered again for grants changed meanwhile:", log.count("rendering it again"))


def test_traffic_history_follows_what_a_peer_moves(vpn, tmp_path):
    """picd reads the interface's counters every interval_s on its own: a
    peer that sends through the tunnel shows up in GET
    /api/wireguard/traffic with its name and a rate that matches what it
    sent, ahead of a quieter one, the interface's total carries it too,
    and `pic peer traffic` prints the same; a bad limit is refused naming
    the field."""
    picd = vpn
    dns = cell(picd)["addresses"]["dns"]
    busy = connected_peer(picd, "busy")
    connected_peer(picd, "quiet")

    def traffic(query=""):
        status, _, doc = picd.local("GET", "/api/wireguard/traffic" + query)
        assert status == 200, doc
        return doc

    first = traffic()
    assert first["interval_s"] == 5 and first["points"] == 120
    # A reading after both peers came: the baseline for what follows.
    since = time.time()
    assert wait_for(lambda: (traffic()["read_at"] or 0) > since, 15, 0.2)
    # ~400 KB up the tunnel: 200 pings of 2000 bytes.
    busy.run("ping", "-q", "-c", "200", "-i", "0.01", "-s", "2000", "-W", "2", dns, timeout=30)
    sent = time.time()
    assert wait_for(lambda: traffic()["read_at"] > sent, 15, 0.2)
    doc = traffic()
    names = [p["name"] for p in doc["peers"]]
    assert names and names[0] == "busy", doc["peers"]
    p = doc["peers"][0]
    assert len(p["t"]) == len(p["rx"]) == len(p["tx"]) >= 1
    # Each ping carries 2000 bytes plus 8 ICMP + 20 IP + 32 WireGuard
    # overhead at least; the counters count the encrypted packets.
    assert p["bytes"] >= 200 * 2000, p
    assert sum(r * 5 for r in p["rx"]) >= 200 * 2000 * 0.9, p
    assert max(doc["total"]["rx"]) >= max(p["rx"]), doc["total"]
    assert doc["peers_total"] == 2 and doc["peers_online"] == 2
    assert traffic("?limit=0")["peers"] == []
    for bad in ("33", "-1", "lots"):
        status, _, err = picd.local("GET", "/api/wireguard/traffic?limit=" + bad)
        assert status == 400 and err["error"]["field"] == "limit", err

    out = subprocess.run([*picd.pic_argv(), "peer", "traffic"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert "2 of 2 peer(s) online" in out.stdout
    row = next(l.split() for l in out.stdout.splitlines() if l.startswith("busy"))
    assert row[-1] in ("KiB", "MiB"), out.stdout
