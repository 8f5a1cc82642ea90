"""The service runtime end to end: the cell network in picd's namespace,
chrony as the NTP service answering real `sntp` clients on the bridge,
the supervisor (restart after kill -9, crash loop → failed, restart by
hand), the apply engine (a config chrony refuses changes nothing),
adoption across a picd kill -9, a pending ip_range change applied live,
and teardown."""

import json
import os
import re
import signal
import subprocess
import threading
import time

import pytest
import requests

from conftest import Picd, sh, wait_for


def ntp_query(client, addr, timeout=2):
    """True when `sntp` from the client gets an answer from addr."""
    r = client.run("sntp", "-t", str(timeout), addr, check=False, timeout=timeout + 10)
    return r.returncode == 0 and addr in r.stdout


def service(picd, name="ntp"):
    status, _, doc = picd.local("GET", "/api/services")
    assert status == 200
    return next(s for s in doc["services"] if s["name"] == name)


def ntp_addr(picd):
    return picd.local("GET", "/api/config")[2]["addresses"]["ntp"]


def test_ntp_answers_clients_on_the_bridge(picd):
    client = picd.client()
    svc = service(picd)
    assert svc["state"] == "running" and svc["address"] == ntp_addr(picd)
    assert ntp_query(client, ntp_addr(picd))
    r = client.run("sntp", "-t", "2", ntp_addr(picd))
    assert re.search(r"\bs8\b", r.stdout), r.stdout  # local stratum: no upstream here
    health = requests.get(picd.url + "/health").json()
    assert health["services"]["ntp"] == "running"
    assert wait_for(lambda: service(picd)["healthy"], 5)


def test_network_layout(picd):
    links = sh("ip", "-n", picd.netns.name, "-j", "addr", "show")
    byname = {l["ifname"]: l for l in json.loads(links)}
    assert [a["local"] for a in byname["pic0"]["addr_info"] if a["family"] == "inet"] == ["172.20.0.1"]
    assert "pic-ntp" in byname
    ruleset = sh("ip", "netns", "exec", picd.netns.name, "nft", "list", "table", "inet", "pic")
    assert "iifname \"pic0\" drop" in ruleset and "masquerade" in ruleset
    # The service runs in its own network namespace, pinned under the state dir.
    pid = service(picd)["pid"]
    assert os.readlink(f"/proc/{pid}/ns/net") != os.readlink(f"/proc/{picd.proc.pid}/ns/net")
    assert os.path.exists(os.path.join(picd.state_dir, "run", "netns", "ntp"))
    # ... with a private /run and /tmp, and as its own user.
    mounts = open(f"/proc/{pid}/mountinfo").read()
    assert re.search(r" /run .* - tmpfs ", mounts) and re.search(r" /tmp .* - tmpfs ", mounts)
    status = open(f"/proc/{pid}/status").read()
    uid = int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))
    assert uid != 0


def test_kill_9_of_chronyd_is_restarted_within_2_s(picd):
    client = picd.client()
    old = service(picd)["pid"]
    os.kill(old, signal.SIGKILL)
    t0 = time.monotonic()
    assert wait_for(lambda: ntp_query(client, ntp_addr(picd), timeout=1), 2.5, step=0.05)
    assert time.monotonic() - t0 < 2.5
    svc = service(picd)
    assert svc["state"] == "running" and svc["pid"] != old
    assert svc["restarts"] == 1
    assert "signal 9" in svc["last_error"]


def test_crash_loop_parks_the_service_as_failed(picd):
    client = picd.client()
    for _ in range(5):
        pid = wait_for(lambda: service(picd)["pid"], 15)
        assert pid, service(picd)
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda: service(picd)["pid"] != pid, 15)
    svc = wait_for(lambda: service(picd)["state"] == "failed" and service(picd), 15)
    assert svc, service(picd)
    assert svc["pid"] is None
    assert any("chronyd" in line for line in svc["log_tail"]), svc["log_tail"]
    assert requests.get(picd.url + "/health").json()["status"] == "degraded"
    time.sleep(1.5)
    assert service(picd)["state"] == "failed"  # no more restarts on its own
    assert not ntp_query(client, ntp_addr(picd), timeout=1)
    status, _, doc = picd.local("POST", "/api/services/ntp/restart")
    assert status == 200 and doc["state"] == "running"
    assert wait_for(lambda: ntp_query(client, ntp_addr(picd), timeout=1), 5)


def test_stop_and_start_by_hand(picd):
    status, _, doc = picd.local("POST", "/api/services/ntp/stop")
    assert status == 200 and doc["state"] == "stopped" and doc["pid"] is None
    status, _, doc = picd.local("POST", "/api/services/ntp/start")
    assert status == 200 and doc["state"] == "running"
    status, _, doc = picd.local("POST", "/api/services/nope/restart")
    assert status == 404 and doc["error"]["field"] == "name"
    # The old paths answer the same.
    status, _, doc = picd.local("GET", "/api/containers")
    assert status == 200 and "ntp" in [s["name"] for s in doc["services"]]
    status, _, doc = picd.local("POST", "/api/containers/ntp/restart")
    assert status == 200 and doc["state"] == "running"


def test_logs_tail_and_follow(picd):
    status, _, doc = picd.local("GET", "/api/services/ntp/logs?tail=50")
    assert status == 200
    assert any("chronyd version" in l for l in doc["lines"])
    assert picd.local("GET", "/api/services/ntp/logs?tail=x")[0] == 400
    assert picd.local("GET", "/api/services/ntp/logs?follow=2")[0] == 400

    token = picd.token()
    with requests.get(picd.url + "/api/services/ntp/logs?tail=0&follow=1", stream=True, timeout=10,
                      headers={"Authorization": "Bearer " + token}) as r:
        assert r.status_code == 200
        assert r.headers["Content-Type"] == "text/event-stream"
        picd.local("POST", "/api/services/ntp/restart")
        seen = []
        for line in r.iter_lines(decode_unicode=True):
            if line.startswith("data: "):
                seen.append(line[6:])
                if "chronyd version" in line:
                    break
        assert any("chronyd version" in l for l in seen)


def test_ntp_config_validation(picd):
    before = picd.local("GET", "/api/ntp/config")[2]
    assert before["servers"]  # the Debian pool by default
    for body, field in (({"servers": "x"}, "servers"), ({"servers": ["bad_host"]}, "servers[0]"),
                        ({"servers": ["a.example", "a.example"]}, "servers[1]"),
                        ({"servers": [f"s{i}.example" for i in range(9)]}, "servers"),
                        ({"servers": [5]}, "servers[0]"), ({}, "servers"), ({"servers": [], "x": 1}, "x")):
        status, _, doc = picd.local("PUT", "/api/ntp/config", body)
        assert status == 400, body
        assert doc["error"]["field"] == field, (body, doc)
    assert picd.local("GET", "/api/ntp/config")[2] == before


def test_ntp_config_change_is_applied_and_verified(picd):
    client = picd.client()
    pid = service(picd)["pid"]
    status, _, doc = picd.local("PUT", "/api/ntp/config", {"servers": ["192.0.2.10", "ntp.example.org"]})
    assert status == 200, doc
    assert doc["servers"] == ["192.0.2.10", "ntp.example.org"]
    conf = open(os.path.join(picd.state_dir, "services", "ntp", "chrony.conf")).read()
    assert "server 192.0.2.10 iburst" in conf and "server ntp.example.org iburst" in conf
    assert service(picd)["pid"] != pid  # chrony has no reload: restarted
    assert ntp_query(client, ntp_addr(picd))
    status, _, st = picd.local("GET", "/api/ntp/status")
    assert status == 200 and st["stratum"] == 8
    assert [s["name"] for s in st["sources"]] == ["192.0.2.10"]  # the name cannot resolve here


def test_config_refused_by_chronyd_changes_nothing(tmp_path):
    d = Picd(tmp_path, extra_args=["--test-faults", "ntp-reject-server=rejected.example"])
    d.start()
    client = d.client()
    conf_path = os.path.join(d.state_dir, "services", "ntp", "chrony.conf")
    before_conf = open(conf_path).read()
    pid = service(d)["pid"]
    status, _, doc = d.local("PUT", "/api/ntp/config", {"servers": ["ok.example", "rejected.example"]})
    assert status == 422, doc
    assert doc["error"]["code"] == "rejected_by_daemon"
    assert "chronyd refused" in doc["error"]["message"]
    assert open(conf_path).read() == before_conf
    assert not os.path.exists(conf_path + ".new")
    assert d.local("GET", "/api/ntp/config")[2]["servers"] != ["ok.example", "rejected.example"]
    assert service(d)["pid"] == pid
    assert ntp_query(client, ntp_addr(d))
    d.stop()


def test_config_that_does_not_serve_is_rolled_back(tmp_path):
    """chronyd -p accepts it, chronyd restarted with it does not answer:
    the worker's probe fails, the last good config is put back and chronyd
    restarted with it; 502, nothing stored, NTP served as before."""
    d = Picd(tmp_path, extra_args=["--test-faults", "ntp-mute-server=mute.example"])
    d.start()
    client = d.client()
    conf_path = os.path.join(d.state_dir, "services", "ntp", "chrony.conf")
    before_conf = open(conf_path).read()
    before = d.local("GET", "/api/ntp/config")[2]
    status, _, doc = d.local("PUT", "/api/ntp/config", {"servers": ["mute.example"]})
    assert status == 502, doc
    assert doc["error"]["code"] == "apply_failed"
    assert "did not work" in doc["error"]["message"] and "restored" in doc["error"]["message"], doc
    assert open(conf_path).read() == before_conf
    assert d.local("GET", "/api/ntp/config")[2] == before
    assert ntp_query(client, ntp_addr(d))
    d.stop()


def test_picd_kill_9_leaves_ntp_serving_and_is_adopted(picd):
    client = picd.client()
    pid = service(picd)["pid"]
    addr = ntp_addr(picd)
    picd.kill9()
    assert ntp_query(client, addr)
    assert ntp_query(client, addr)
    picd.start()
    svc = service(picd)
    assert svc["pid"] == pid and svc["adopted"] is True and svc["state"] == "running"
    chronyds = [p for p in os.listdir("/proc") if p.isdigit() and _is_live_chronyd(p, picd.state_dir)]
    assert chronyds == [str(pid)]
    assert ntp_query(client, ntp_addr(picd))
    # The adopted daemon is supervised like any other.
    os.kill(pid, signal.SIGKILL)
    assert wait_for(lambda: service(picd)["pid"] not in (None, pid), 5)


def _is_live_chronyd(pid, state_dir):
    try:
        stat = open(f"/proc/{pid}/stat").read()
        cmd = open(f"/proc/{pid}/cmdline").read()
        ns = os.readlink(f"/proc/{pid}/ns/net")
    except OSError:
        return False
    state = stat.rsplit(")", 1)[1].split()[0]
    netns_file = os.path.join(state_dir, "run", "netns", "ntp")
    return "chronyd" in cmd and state != "Z" and ns == _ns_id(netns_file)


def _ns_id(path):
    st = os.stat(path)
    return f"net:[{st.st_ino}]"


def test_pending_ip_range_change_readdresses_ntp_live(picd):
    client = picd.client()
    old = ntp_addr(picd)
    status, _, _ = picd.local("PUT", "/api/config", {"ip_range": "10.77.0.0/16"})
    assert status == 200
    assert ntp_query(client, old)  # pending: nothing moved yet

    stop = threading.Event()
    failures = []

    def poll_api():
        while not stop.is_set():
            try:
                if requests.get(picd.url + "/health", timeout=2).status_code != 200:
                    failures.append("status")
            except requests.RequestException as e:
                failures.append(repr(e))
            time.sleep(0.005)

    token = picd.token()
    events = requests.get(picd.url + "/api/events", stream=True, timeout=10,
                          headers={"Authorization": "Bearer " + token})
    t = threading.Thread(target=poll_api)
    t.start()
    status, _, doc = picd.local("POST", "/api/config/apply")
    time.sleep(0.2)
    stop.set()
    t.join()
    assert status == 200, doc
    assert doc["result"]["ok"] is True
    assert failures == []
    new = ntp_addr(picd)
    assert new == "10.77.0.4"
    client.readdress()
    assert ntp_query(client, new)
    assert not ntp_query(client, old, timeout=1)
    steps = []
    for line in events.iter_lines(decode_unicode=True):
        if line.startswith("data: "):
            steps.append(json.loads(line[6:]).get("step"))
            if steps[-1] == "done":
                break
    events.close()
    assert steps == ["network", "done"]


def test_teardown_leaves_nothing_behind(tmp_path):
    d = Picd(tmp_path)
    d.start()
    pid = service(d)["pid"]
    d.stop()
    # The data plane outlives picd...
    assert os.path.exists(f"/proc/{pid}")
    # ... and goes with --teardown, here given the state directory
    # relative to where it runs.
    argv = d.argv("--teardown", "--foreground")
    argv[argv.index("--state-dir") + 1] = "./state"
    assert d.state_dir == str(tmp_path / "state")
    r = subprocess.run(argv, capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    links = json.loads(sh("ip", "-n", d.netns.name, "-j", "link", "show"))
    assert [l["ifname"] for l in links] == ["lo"]
    assert sh("ip", "netns", "exec", d.netns.name, "nft", "list", "ruleset").strip() == ""
    assert not os.path.exists(os.path.join(d.state_dir, "run"))
    assert not _is_live_chronyd(str(pid), d.state_dir)
    assert "nsfs" not in "".join(l for l in open("/proc/mounts") if d.state_dir in l)
    assert os.path.exists(os.path.join(d.state_dir, "pic.db"))  # state stays
    r = subprocess.run(d.argv("--teardown", "--purge", "--foreground"), capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and not os.path.exists(d.state_dir)


def test_state_dir_whose_parent_is_missing(tmp_path):
    d = Picd(tmp_path)
    argv = d.argv("--foreground")
    argv[argv.index("--state-dir") + 1] = str(tmp_path / "no" / "state")
    r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    assert r.returncode != 0
    assert "--state-dir" in r.stderr and "parent directory does not exist" in r.stderr, r.stderr
    assert not (tmp_path / "no").exists()


def test_teardown_refuses_while_picd_runs(picd):
    r = subprocess.run(picd.argv("--teardown", "--foreground"), capture_output=True, text=True, timeout=30)
    assert r.returncode != 0
    assert "stop it first" in r.stderr
    assert service(picd)["state"] == "running"


def test_missing_package_makes_the_service_unavailable(tmp_path):
    # picd in a mount namespace where chronyd is not executable, as if the
    # chrony package were not installed.
    hide = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
            'mount --bind /dev/null /usr/sbin/chronyd && exec "$@"', "sh"]
    d = Picd(tmp_path, wrapper=hide)
    d.start()
    svc = service(d)
    assert svc["state"] == "unavailable"
    assert "'chrony'" in svc["last_error"]
    assert requests.get(d.url + "/health").status_code == 200
    status, _, doc = d.local("POST", "/api/services/ntp/start")
    assert status == 409 and "chrony" in doc["error"]["message"]
    assert d.local("PUT", "/api/config", {"cell_name": "stillworks"})[0] == 200
    d.stop()
