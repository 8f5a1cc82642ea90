"""The TLS proxy (caddy) in front of the cell's web services: HTTPS with a
leaf from the cell's own CA on each service's virtual IP, picd's UI/API at
the cell's own name, 503 for services not running yet, 404 for unknown
hosts, HTTP redirected except /ca.crt, security headers; picd trusts the
forwarded client address only from the proxy; after a rename the root
must be replaced (POST /api/vault/ca/replace), which re-issues the leaf
from the new root and is applied live."""

import os
import subprocess
import time

import requests

from conftest import sh


def prepare(picd, tmp_path):
    client = picd.client()
    cfg = picd.local("GET", "/api/config")[2]
    ca = tmp_path / "ca.crt"
    ca.write_bytes(requests.get(picd.url + "/api/vault/ca.crt").content)
    return client, cfg, ca


def curl(client, *args, timeout=10):
    r = client.run("curl", "-s", "-S", "--max-time", str(timeout), *args, check=False, timeout=timeout + 5)
    return r


def zone(cfg):
    return f"{cfg['cell_name']}.{cfg['domain']}"


def test_https_to_the_cell_with_the_cells_own_ca(picd, tmp_path):
    client, cfg, ca = prepare(picd, tmp_path)
    z, vip = zone(cfg), cfg["virtual_ips"]["webui"]
    r = curl(client, "-o", "/dev/null", "-w", "%{http_code} %{ssl_verify_result}", "--cacert", str(ca),
             "--resolve", f"{z}:443:{vip}", f"https://{z}/health")
    assert r.stdout == "200 0", r
    # The chain is the cell's, and the leaf names every web service.
    cert = client.run("sh", "-c", f"echo | openssl s_client -connect {vip}:443 -servername {z} 2>/dev/null"
                                  " | openssl x509 -noout -text").stdout
    for name in (z, f"calendar.{z}", f"files.{z}", f"mail.{z}"):
        assert f"DNS:{name}" in cert
    # Without the CA the client refuses.
    r = curl(client, "-o", "/dev/null", "--resolve", f"{z}:443:{vip}", f"https://{z}/health")
    assert r.returncode == 60
    # DNS gives each name its own address on the proxy.
    assert client.run("dig", "+short", f"@{cfg['addresses']['dns']}", f"calendar.{z}").stdout.split() == \
        [cfg["virtual_ips"]["calendar"]]


def test_routes_redirects_headers(picd, tmp_path):
    client, cfg, ca = prepare(picd, tmp_path)
    z, vips = zone(cfg), cfg["virtual_ips"]
    r = curl(client, "-i", "--cacert", str(ca), "--resolve", f"calendar.{z}:443:{vips['calendar']}",
             f"https://calendar.{z}/")
    assert " 503" in r.stdout.splitlines()[0] and "not running yet" in r.stdout
    head = r.stdout.lower()
    assert "strict-transport-security: max-age=31536000" in head
    assert "x-content-type-options: nosniff" in head
    # Unknown host, and a host of another virtual IP: 404.
    for host, vip in (("nobody.example", vips["webui"]), (f"calendar.{z}", vips["webui"])):
        r = curl(client, "-o", "/dev/null", "-w", "%{http_code}", "-k", "--resolve", f"{host}:443:{vip}",
                 f"https://{host}/")
        assert r.stdout == "404", (host, r)
    r = curl(client, "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", f"http://{vips['files']}/x?y=1")
    assert r.stdout == f"308 https://{vips['files']}/x?y=1"
    r = curl(client, f"http://{vips['webui']}/ca.crt")
    assert r.stdout == ca.read_text()


def test_forwarded_client_is_trusted_only_from_the_proxy(picd, tmp_path):
    client, cfg, ca = prepare(picd, tmp_path)
    z, vip = zone(cfg), cfg["virtual_ips"]["webui"]
    me = "172.20.0.200"
    body = '{"username":"admin","password":"wrong"}'
    r = curl(client, "-o", "/dev/null", "-w", "%{http_code}", "--cacert", str(ca), "--resolve", f"{z}:443:{vip}",
             "-H", "Content-Type: application/json", "-H", "X-Forwarded-For: 203.0.113.9", "-d", body,
             f"https://{z}/api/auth/login")
    assert r.stdout == "401"
    host = cfg["addresses"]["host"]
    r = curl(client, "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json",
             "-H", "X-Forwarded-For: 198.51.100.1", "-d", body, f"http://{host}:3000/api/auth/login")
    assert r.stdout == "401"
    log = picd.stderr()
    assert f"failed login for 'admin' from {me}" in log  # the proxy's word, last hop
    assert "198.51.100.1" not in log and "203.0.113.9" not in log


def served_names(client, vip, name):
    """The DNS names of the leaf the proxy serves for `name` at `vip`."""
    text = client.run("sh", "-c", f"echo | openssl s_client -connect {vip}:443 -servername {name} 2>/dev/null"
                                  " | openssl x509 -noout -ext subjectAltName").stdout
    return sorted(n.strip()[4:] for n in text.replace("\n", ",").split(",") if n.strip().startswith("DNS:"))


def test_rename_reissues_the_certificate_live(picd, tmp_path):
    client, cfg, old_ca = prepare(picd, tmp_path)
    pid = next(s for s in picd.local("GET", "/api/services")[2]["services"] if s["name"] == "proxy")["pid"]
    status, _, doc = picd.local("PUT", "/api/config", {"cell_name": "home"})
    assert status == 200
    vip = doc["virtual_ips"]["webui"]
    # The root was made for mycell.cell and cannot vouch for home.cell: the
    # old leaf stays until the user replaces the root, and picd says so.
    assert "mycell.cell" in served_names(client, vip, "mycell.cell")
    root = picd.local("GET", "/api/vault/ca")[2]
    assert root["matches_config"] is False and "pic ca replace" in root["warning"]

    status, _, new_root = picd.local("POST", "/api/vault/ca/replace", {})
    assert status == 200, new_root
    ca = tmp_path / "new-ca.crt"
    ca.write_bytes(requests.get(picd.url + "/api/vault/ca.crt").content)
    assert ca.read_text() != old_ca.read_text()
    # caddy takes the new leaf live (same process); its old servers stop
    # shortly after /load answered.
    deadline = time.monotonic() + 10
    while True:
        r = curl(client, "-o", "/dev/null", "-w", "%{http_code} %{ssl_verify_result}", "--cacert", str(ca),
                 "--resolve", f"home.cell:443:{vip}", "https://home.cell/health")
        if r.stdout == "200 0" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert r.stdout == "200 0", r
    # The zone's names (then the host's own, whatever this machine is called).
    assert [n for n in served_names(client, vip, "home.cell") if n.endswith("home.cell")] == \
        sorted(["home.cell", "calendar.home.cell", "files.home.cell", "mail.home.cell", "autoconfig.home.cell"])
    # Devices that still trust only the old root refuse the new leaf.
    r = curl(client, "-o", "/dev/null", "--cacert", str(old_ca), "--resolve", f"home.cell:443:{vip}",
             "https://home.cell/health")
    assert r.returncode == 60, r
    assert os.path.isdir(os.path.join(picd.state_dir, "ca", "archive", root["serial"]))
    now = next(s for s in picd.local("GET", "/api/services")[2]["services"] if s["name"] == "proxy")
    assert now["state"] == "running" and now["pid"] == pid
