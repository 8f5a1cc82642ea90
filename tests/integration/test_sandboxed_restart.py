"""The data plane across a picd restart in a new mount namespace, and the
supervisor acting on health.

systemd starts a unit with PrivateTmp=, ProtectSystem= or any other mount
sandboxing in a mount namespace of its own, every time; so do containers
and `ip netns exec`. The namespaces a previous picd pinned under
<state>/run/netns/ are then bare files there, while its daemons keep
running in them. picd must adopt the daemons *and* their namespaces, so
that not one DNS or NTP query is lost; and a daemon that stops answering
is restarted, with /health saying `degraded` meanwhile."""

import os
import signal
import time

from conftest import NetnsScript, Picd, wait_for

# picd in a mount namespace of its own, new on every start, as systemd
# runs a sandboxed unit.
NEW_MOUNT_NS = ["unshare", "--mount", "--propagation", "private"]

# Asks DNS (an A record of the cell) and NTP (a client-mode SNTP packet)
# in turns until the stop file appears; prints what it saw as JSON.
QUERIER = r'''
import json, os, socket, struct, sys, time
import dns.message, dns.query, dns.rcode
server, name, expect, ntp, stop = sys.argv[1:6]
res = {"dns_sent": 0, "dns_ok": 0, "dns_bad": [], "ntp_sent": 0, "ntp_ok": 0, "ntp_bad": []}
open(stop + ".ready", "w").close()
while not os.path.exists(stop):
    res["dns_sent"] += 1
    try:
        a = dns.query.udp(dns.message.make_query(name, "A"), server, timeout=1)
        got = sorted(r.to_text() for rr in a.answer for r in rr)
        if a.rcode() == dns.rcode.NOERROR and got == [expect]:
            res["dns_ok"] += 1
        else:
            res["dns_bad"].append([time.time(), dns.rcode.to_text(a.rcode()), got])
    except Exception as e:
        res["dns_bad"].append([time.time(), type(e).__name__, []])
    res["ntp_sent"] += 1
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1)
    try:
        s.sendto(b"\x23" + 47 * b"\0", (ntp, 123))
        data, _ = s.recvfrom(512)
        if len(data) >= 48 and data[0] & 7 == 4 and data[1] != 0:
            res["ntp_ok"] += 1
        else:
            res["ntp_bad"].append([time.time(), "bad reply", len(data)])
    except Exception as e:
        res["ntp_bad"].append([time.time(), type(e).__name__, 0])
    finally:
        s.close()
    time.sleep(0.01)
print(json.dumps(res))
'''


def querier(tmp_path, client, dns_server, name, expect, ntp_server):
    return NetnsScript(tmp_path, client, QUERIER, dns_server, name, expect, ntp_server)


def services(picd):
    status, _, doc = picd.local("GET", "/api/services")
    assert status == 200
    return {s["name"]: s for s in doc["services"]}


def health(picd):
    status, _, doc = picd.local("GET", "/health")
    assert status == 200
    return doc


def cell(picd):
    doc = picd.local("GET", "/api/config")[2]
    return doc["addresses"], f"{doc['cell_name']}.{doc['domain']}"


def netns_inode(pid):
    return os.stat(f"/proc/{pid}/ns/net").st_ino


def test_restart_in_a_new_mount_namespace_loses_no_query(tmp_path):
    d = Picd(tmp_path, wrapper=NEW_MOUNT_NS)
    d.start()
    assert d.local("POST", "/api/dns/records", {"name": "steady", "type": "A", "value": "192.0.2.7"})[0] == 201
    before = services(d)
    assert all(before[n]["state"] == "running" and before[n]["healthy"] for n in ("dns", "ntp", "proxy"))
    namespaces = {n: netns_inode(before[n]["pid"]) for n in ("dns", "ntp", "proxy")}
    addresses, zone = cell(d)
    client = d.client()
    with querier(tmp_path, client, addresses["dns"], f"steady.{zone}", "192.0.2.7", addresses["ntp"]) as q:
        time.sleep(0.5)
        d.kill9()
        time.sleep(0.5)
        d.start()  # a new mount namespace: the pins are bare files here
        after = services(d)
        time.sleep(1.0)
    r = q.result
    assert r["dns_bad"] == [] and r["ntp_bad"] == [], r
    assert r["dns_ok"] >= 20 and r["ntp_ok"] >= 20, r
    for n in ("dns", "ntp", "proxy"):
        svc = after[n]
        assert svc["pid"] == before[n]["pid"] and svc["adopted"] is True and svc["state"] == "running", svc
        # Still in the namespace it started in: adopted, not replaced.
        assert netns_inode(svc["pid"]) == namespaces[n]
    assert "re-pinned" in d.stderr()
    # The re-pinned namespace is the one the daemons and the bridge's
    # veths live in: a daemon started there now answers on the bridge.
    assert wait_for(lambda: all(s["healthy"] for n, s in services(d).items() if n in ("dns", "ntp", "proxy")), 5)
    assert health(d)["status"] == "ok"
    old = services(d)["dns"]["pid"]
    assert d.local("POST", "/api/services/dns/restart")[0] == 200
    new = services(d)["dns"]
    assert new["pid"] != old and netns_inode(new["pid"]) == namespaces["dns"]
    with querier(tmp_path, client, addresses["dns"], f"steady.{zone}", "192.0.2.7", addresses["ntp"]) as q:
        time.sleep(0.5)
    assert q.result["dns_bad"] == [] and q.result["ntp_bad"] == [], q.result
    d.stop()


def test_a_daemon_that_stops_answering_is_restarted_and_health_says_degraded(picd):
    before = services(picd)["ntp"]
    assert before["healthy"] and health(picd)["status"] == "ok"
    # Alive but answering nothing: the pid runs, the probe gets no reply.
    os.kill(before["pid"], signal.SIGSTOP)
    try:
        assert wait_for(lambda: health(picd)["status"] == "degraded", 20), health(picd)
        doc = health(picd)
        assert doc["services"]["ntp"] == "unhealthy", doc
        svc = services(picd)["ntp"]
        assert svc["healthy"] is False and svc["health_error"], svc
        st = picd.pic("status")
        assert "degraded" in st.stdout and "service ntp: unhealthy" in st.stdout, st.stdout
        # Restarted within the bounded window, with the usual back-off.
        assert wait_for(lambda: services(picd)["ntp"]["pid"] not in (None, before["pid"]), 30), services(picd)
    finally:
        try:
            os.kill(before["pid"], signal.SIGCONT)
        except ProcessLookupError:
            pass
    after = wait_for(lambda: (lambda s: s if s["healthy"] else None)(services(picd)["ntp"]), 10)
    assert after and after["state"] == "running" and after["restarts"] == before["restarts"] + 1, after
    assert "health probe" in (after["last_error"] or ""), after
    assert wait_for(lambda: health(picd)["status"] == "ok", 5), health(picd)
    # The stopped daemon was killed, not left behind.
    assert wait_for(lambda: not os.path.exists(f"/proc/{before['pid']}")
                    or open(f"/proc/{before['pid']}/stat").read().rsplit(")", 1)[1].split()[0] == "Z", 5)
