"""The proxy's web routes: GET /api/proxy/routes says which service each
web name reaches and whether it serves; the owner switches a route off
(503 "switched off" at once, through one proxy reload) and on again; bad
input changes nothing; `pic proxy`; and a storm of 20 route changes while
a client keeps asking over HTTPS, counting the requests that failed."""

import json
import pathlib
import subprocess
import sys
import time

import requests

HERE = pathlib.Path(__file__).parent


def setup_client(picd, tmp_path):
    client = picd.client()
    cfg = picd.local("GET", "/api/config")[2]
    ca = tmp_path / "ca.crt"
    ca.write_bytes(requests.get(picd.url + "/api/vault/ca.crt").content)
    return client, cfg, ca, f"{cfg['cell_name']}.{cfg['domain']}"


def https(client, ca, host, vip, path="/"):
    r = client.run("curl", "-s", "-S", "--max-time", "10", "-w", "\n%{http_code}", "--cacert", str(ca),
                   "--resolve", f"{host}:443:{vip}", f"https://{host}{path}", check=False, timeout=15)
    body, _, code = r.stdout.rpartition("\n")
    return code, body.rstrip("\n")


def routes(picd):
    status, _, doc = picd.local("GET", "/api/proxy/routes")
    assert status == 200, doc
    return {r["vip"]: r for r in doc["routes"]}


def switch(picd, vip, enabled):
    return picd.local("PUT", f"/api/proxy/routes/{vip}", {"enabled": enabled})


def test_routes_listed_and_switched(picd, tmp_path):
    client, cfg, ca, zone = setup_client(picd, tmp_path)
    rs = routes(picd)
    assert set(rs) == {"webui", "calendar", "files", "mail"}
    assert rs["webui"]["state"] == "serving" and rs["webui"]["service"] == "picd"
    assert rs["webui"]["host"] == zone and rs["webui"]["address"] == cfg["virtual_ips"]["webui"]
    assert rs["calendar"]["host"] == f"calendar.{zone}" and rs["calendar"]["state"] == "no service"
    assert rs["calendar"]["enabled"] is True and rs["calendar"]["upstream"] is None

    cal = (f"calendar.{zone}", cfg["virtual_ips"]["calendar"])
    assert https(client, ca, *cal) == ("503", "The calendar is not running yet.")
    status, _, doc = switch(picd, "calendar", False)
    assert status == 200, doc
    assert doc["state"] == "off" and doc["enabled"] is False
    # Applied before the answer: the very next request sees it.
    assert https(client, ca, *cal) == ("503", "The calendar is switched off by the cell's owner.")
    assert https(client, ca, zone, cfg["virtual_ips"]["webui"], "/health")[0] == "200"
    assert routes(picd)["calendar"]["state"] == "off"
    # Kept across a restart of picd.
    picd.restart()
    assert routes(picd)["calendar"]["state"] == "off"
    assert https(client, ca, *cal) == ("503", "The calendar is switched off by the cell's owner.")
    status, _, doc = switch(picd, "calendar", True)
    assert status == 200 and doc["state"] == "no service" and doc["enabled"] is True
    assert https(client, ca, *cal) == ("503", "The calendar is not running yet.")


def test_bad_input_changes_nothing(picd, tmp_path):
    before = routes(picd)
    config = (picd.dir / "state" / "services" / "proxy" / "caddy.json").read_text()
    cases = [
        ("webui", {"enabled": False}, 400, "enabled", "cannot be switched off"),
        ("nosuch", {"enabled": False}, 404, "vip", "no web route"),
        ("calendar", {"enabled": "no"}, 400, "enabled", "true or false"),
        ("calendar", {}, 400, "enabled", "required"),
        ("calendar", {"enabled": False, "extra": 1}, 400, "extra", None),
        ("calendar", [False], 400, None, None),
    ]
    for vip, body, want, field, words in cases:
        status, _, doc = picd.local("PUT", f"/api/proxy/routes/{vip}", body)
        assert status == want, (vip, body, doc)
        if field:
            assert doc["error"]["field"] == field, doc
        if words:
            assert words in doc["error"]["message"], doc
    assert routes(picd) == before
    assert (picd.dir / "state" / "services" / "proxy" / "caddy.json").read_text() == config
    # Without credentials: refused.
    assert requests.put(picd.url + "/api/proxy/routes/calendar", json={"enabled": False}).status_code == 401


def test_cli(picd, tmp_path):
    out = picd.pic("proxy", "routes")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split()[:3] == ["ROUTE", "HOST", "ADDRESS"]
    assert any(l.split()[0] == "webui" and "serving" in l and "picd" in l for l in lines[1:]), out.stdout
    out = picd.pic("proxy", "disable", "files")
    assert out.returncode == 0 and "off" in out.stdout, (out.stdout, out.stderr)
    assert routes(picd)["files"]["state"] == "off"
    out = picd.pic("--json", "proxy", "enable", "files")
    assert out.returncode == 0 and json.loads(out.stdout)["enabled"] is True
    out = picd.pic("proxy", "disable", "webui")
    assert out.returncode == 2 and "(field: enabled)" in out.stderr, (out.returncode, out.stderr)
    out = picd.pic("proxy", "disable", "wiki")
    assert out.returncode == 2 and "no web route 'wiki'" in out.stderr, (out.returncode, out.stderr)
    out = picd.pic("proxy", "disable")
    assert out.returncode == 1 and out.stderr.strip()
    assert routes(picd)["webui"]["state"] == "serving" and routes(picd)["files"]["enabled"] is True


def test_route_changes_under_continuous_https(picd, tmp_path):
    """20 route changes (each one caddy /load) while a client asks without
    pause over fresh and kept-alive connections: no request may fail."""
    client, cfg, ca, zone = setup_client(picd, tmp_path)
    stop = tmp_path / "stop"
    load = subprocess.Popen(["ip", "netns", "exec", client.name, sys.executable, str(HERE / "https_load.py"),
                             str(ca), zone, cfg["virtual_ips"]["webui"], "/health", "200", str(stop)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)
        took = []
        for i in range(20):
            t0 = time.monotonic()
            status, _, doc = switch(picd, "calendar", i % 2 == 1)
            took.append(time.monotonic() - t0)
            assert status == 200, doc
            time.sleep(0.1)
        time.sleep(0.3)
    finally:
        stop.touch()
        out, err = load.communicate(timeout=30)
    report = json.loads(out)
    print(f"route changes: 20 in {sum(took):.2f} s (worst {max(took) * 1000:.0f} ms); "
          f"requests during them: {report}")
    assert report["fresh"] > 20 and report["kept_alive"] > 20, report
    assert report["failures"] == 0, report
