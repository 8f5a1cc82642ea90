"""A new vpn_subnet moves the VPN peers with it: a real wireguard-go peer
that worked before the move is listed in the apply's answer, its new
config carries the new address, and a device configured from it
handshakes and resolves through the cell DNS (its own DNS view, at its
new address); nothing of the old subnet is left on the interface, in the
routes or in the nftables table. A subnet too small for the peers is
refused (409, field vpn_subnet) when it is set and when it is applied,
and then nothing changes."""

import ipaddress
import json
import re
import time

from conftest import dig, sh
from test_vpn import VpnPeer, add_peer, can_reach, cell, config_of, vpn  # noqa: F401 (vpn: a fixture)

OLD, NEW = ipaddress.ip_network("10.0.0.0/24"), ipaddress.ip_network("10.1.0.0/24")


def peers(picd):
    status, _, doc = picd.local("GET", "/api/peers")
    assert status == 200, doc
    return {p["name"]: p for p in doc["peers"]}


def set_subnet(picd, subnet):
    return picd.local("PUT", "/api/config", {"vpn_subnet": subnet})


def interface_addresses(picd):
    info = json.loads(sh("ip", "-n", picd.netns.name, "-j", "addr", "show", "dev", "picwg0"))[0]["addr_info"]
    return sorted(f"{a['local']}/{a['prefixlen']}" for a in info if a["family"] == "inet")


def networks_in(text):
    """Every IPv4 address or network written in `text`."""
    return [ipaddress.ip_network(m, strict=False) for m in re.findall(r"\b\d+\.\d+\.\d+\.\d+(?:/\d+)?\b", text)]


def host_state(picd):
    """What picd's namespace holds: addresses and routes (ip) and the
    cell's nftables table."""
    ip = sh("ip", "-n", picd.netns.name, "-4", "addr") + sh("ip", "-n", picd.netns.name, "-4", "route")
    nft = sh("ip", "netns", "exec", picd.netns.name, "nft", "list", "table", "inet", "pic")
    return ip, nft


def handshaken(peer):
    """The device's latest handshake (unix seconds; 0: none yet)."""
    out = peer.run("wg", "show", peer.ifname, "latest-handshakes").stdout.split()
    return int(out[1]) if len(out) == 2 else 0


def answered_dig(peer, dns, name, within_s=10):
    """dig until unbound answers (whatever it answers), for `within_s`."""
    deadline = time.monotonic() + within_s
    r = dig(peer, dns, name)
    while r.status == "TIMEOUT" and time.monotonic() < deadline:
        r = dig(peer, dns, name)
    return r


def test_peers_follow_a_new_vpn_subnet(vpn):
    picd = vpn
    conf = cell(picd)
    dns, webui = conf["addresses"]["dns"], conf["virtual_ips"]["webui"]
    zone = f"{conf['cell_name']}.{conf['domain']}"
    # webui: its view has the apex's address (a view that moves with it).
    assert add_peer(picd, name="phone", services=["webui"])["address"] == "10.0.0.2"
    assert add_peer(picd, name="spare", enabled=False)["address"] == "10.0.0.3"
    peer = VpnPeer(picd)
    peer.configure(config_of(picd, "phone")["config"])
    assert can_reach(peer, "ping", "-c", "1", "-W", "3", dns), "no ping to the cell DNS before the move"
    assert handshaken(peer) > 0
    # unbound may be reloading its config right after the cell started (the
    # views' re-render once it serves): an unanswered query is asked again,
    # a wrong answer is not.
    r = answered_dig(peer, dns, zone)
    assert r.addresses() == [webui], r
    assert dig(peer, dns, f"calendar.{zone}").status == "NXDOMAIN"  # its view: calendar not granted

    status, _, doc = set_subnet(picd, str(NEW))
    assert status == 200 and doc["pending"], doc
    status, _, doc = picd.local("POST", "/api/config/apply")
    assert status == 200 and doc["result"]["ok"], doc
    assert doc["peers_readdressed"] == [{"name": "phone", "old": "10.0.0.2", "new": "10.1.0.2"},
                                        {"name": "spare", "old": "10.0.0.3", "new": "10.1.0.3"}]
    assert doc["config"]["vpn_subnet"] == str(NEW) and doc["config"]["vpn"]["server"] == "10.1.0.1"
    now = peers(picd)
    assert (now["phone"]["address"], now["spare"]["address"]) == ("10.1.0.2", "10.1.0.3")
    assert now["spare"]["enabled"] is False

    text = config_of(picd, "phone")["config"]
    assert re.search(r"^Address = 10\.1\.0\.2/32$", text, re.M), text
    assert f"AllowedIPs = {conf['ip_range']}, {NEW}" in text
    # The device forgets the cell and its session, so that the handshake
    # below is a new one, made from the new config.
    server_key = re.search(r"^PublicKey = (\S+)$", text, re.M).group(1)
    peer.run("wg", "set", peer.ifname, "peer", server_key, "remove")
    assert handshaken(peer) == 0
    peer.configure(text)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not can_reach(peer, "ping", "-c", "1", "-W", "1", dns, timeout=1):
        pass
    assert can_reach(peer, "ping", "-c", "1", "-W", "2", dns), "no way in from the new address"
    assert handshaken(peer) > 0
    online = {p["name"]: p for p in picd.local("GET", "/api/wireguard/peers")[2]["peers"]}
    assert online["phone"]["online"], online
    # The DNS service answers the new address from the peer's own view.
    assert dig(peer, dns, zone).addresses() == [webui]
    assert dig(peer, dns, f"calendar.{zone}").status == "NXDOMAIN"
    assert picd.local("PUT", "/api/peers/phone", {"services": ["calendar"]})[0] == 200
    assert dig(peer, dns, f"calendar.{zone}").addresses() == [conf["virtual_ips"]["calendar"]]
    assert dig(peer, dns, zone).addresses() == []  # webui no longer granted

    assert interface_addresses(picd) == ["10.1.0.1/24"]
    ip, nft = host_state(picd)
    stale = [n for n in networks_in(ip + nft) if n.subnet_of(OLD)]
    assert not stale, (stale, ip, nft)
    assert "10.1.0.2" in nft  # the peer's elements, at its new address


def test_offsets_that_do_not_fit_get_free_addresses(picd):
    """Peers at offsets past the new subnet's last peer address get the
    lowest never-used ones; the CLI lists every peer that moved."""
    for i in range(9):
        add_peer(picd, name=f"p{i}")  # 10.0.0.2 .. 10.0.0.10
    for i in range(7):
        assert picd.local("DELETE", f"/api/peers/p{i}")[0] == 204
    out = picd.pic("config", "set", "vpn_subnet=10.1.0.0/29")
    assert out.returncode == 0, out.stderr
    out = picd.pic("config", "apply")
    assert out.returncode == 0, out.stderr
    assert "each device needs its new config" in out.stdout, out.stdout
    rows = [l.split() for l in out.stdout.splitlines() if l.startswith("  p")]
    assert rows == [["p7", "10.0.0.9", "->", "10.1.0.2"], ["p8", "10.0.0.10", "->", "10.1.0.3"]], out.stdout
    assert {n: p["address"] for n, p in peers(picd).items()} == {"p7": "10.1.0.2", "p8": "10.1.0.3"}
    # New peers keep to the rule in the new subnet: never-used first.
    assert add_peer(picd, name="next")["address"] == "10.1.0.4"
    # Moving back: offsets 2 and 3 are free in 10.0.0.0/24 again.
    out = json.loads(picd.pic("--json", "config", "set", "vpn_subnet=10.0.0.0/24").stdout)
    assert out["pending"], out
    status, _, doc = picd.local("POST", "/api/config/apply")
    assert status == 200, doc
    assert [(m["name"], m["new"]) for m in doc["peers_readdressed"]] == \
        [("next", "10.0.0.4"), ("p7", "10.0.0.2"), ("p8", "10.0.0.3")]


def test_too_small_a_subnet_changes_nothing(vpn):
    picd = vpn
    for name in ("a", "b", "c"):
        add_peer(picd, name=name)
    # The interface is addressed once its daemon serves, a moment after
    # picd started.
    deadline = time.monotonic() + 10
    while interface_addresses(picd) != ["10.0.0.1/24"] and time.monotonic() < deadline:
        time.sleep(0.05)

    def state():
        device = picd.local("GET", "/api/wireguard/peers")[2]["peers"]  # in the device's order
        return (peers(picd), picd.local("GET", "/api/config")[2], interface_addresses(picd),
                sorted(device, key=lambda p: p["name"]))

    before = state()
    etag = picd.local("GET", "/api/config")[1]["ETag"]
    # Refused when it is set: a /30 has one address for peers.
    status, _, doc = set_subnet(picd, "10.1.0.0/30")
    assert status == 409, doc
    err = doc["error"]
    assert err["field"] == "vpn_subnet" and err["code"] == "subnet_full", err
    assert "3 peers" in err["message"] and "1 address " in err["message"], err
    assert state() == before
    assert picd.local("GET", "/api/config")[1]["ETag"] == etag
    assert picd.local("GET", "/api/config/pending")[2]["pending"] == []

    # And when it is applied: peers added after a /29 (5 addresses) was
    # accepted no longer fit in it.
    status, _, doc = set_subnet(picd, "10.1.0.0/29")
    assert status == 200 and doc["pending"], doc
    for name in ("d", "e", "f"):
        add_peer(picd, name=name)
    before = state()
    etag = picd.local("GET", "/api/config")[1]["ETag"]
    status, _, doc = picd.local("POST", "/api/config/apply")
    assert status == 409 and doc["error"]["field"] == "vpn_subnet", doc
    assert "6 peers" in doc["error"]["message"] and "5 addresses" in doc["error"]["message"], doc
    assert state() == before
    assert picd.local("GET", "/api/config")[1]["ETag"] == etag
    assert interface_addresses(picd) == ["10.0.0.1/24"]
    pending = picd.local("GET", "/api/config/pending")[2]["pending"]
    assert [(p["field"], p["value"]) for p in pending] == [("vpn_subnet", "10.1.0.0/29")]
    out = picd.pic("config", "apply")
    assert out.returncode != 0 and "(field: vpn_subnet)" in out.stderr, (out.stdout, out.stderr)
