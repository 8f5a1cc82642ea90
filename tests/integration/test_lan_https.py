"""The web interface over HTTPS on the host's own LAN address and name.

The host publishes ports 80 and 443 to the proxy, whose leaf from the cell's
CA names the host's LAN addresses and host names (as far as the root
vouches for them): a machine on the LAN types https://<host's address>/ —
no SNI — or https://<host name>/ and gets a certificate its trust in the
cell's CA verifies. picd follows the host being renumbered; addresses the
root cannot vouch for (public ones) are listed with why. GET /api/access
(no login) says all of it, for the login page reached over plain HTTP,
which a browser on the LAN shows with a warning, these addresses and the
CA's fingerprint.

picd runs in a UTS namespace of its own named "picbox", so the root it
creates at the first start covers that name."""

import json
import os
import re
import subprocess

import requests
from jsonschema import Draft202012Validator

from browser import Browser
from conftest import OwnListenerPicd, Picd, sh, wait_for

UI_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "build", "ui")

HOST = "picbox"
# A hostname of our own, then picd (argv follows).
UTS = ("unshare", "--uts", "sh", "-c", f'hostname {HOST} && exec "$@"', "sh")


def access(picd):
    r = requests.get(picd.url + "/api/access")
    assert r.status_code == 200, r.text
    return r.json()


def urls(doc):
    return [u["url"] for u in doc["https"]]


def curl(lan, *args, timeout=10):
    return lan.run("curl", "-s", "-S", "--max-time", str(timeout), *args, check=False, timeout=timeout + 5)


def served_cert(lan, ip, servername=None):
    sni = f"-servername {servername}" if servername else "-noservername"
    return lan.run("sh", "-c", f"echo | openssl s_client -connect {ip}:443 {sni} 2>/dev/null"
                               " | openssl x509 -noout -text").stdout


def start(tmp_path):
    d = Picd(tmp_path, wrapper=UTS)
    lan = d.lan()  # picd's host holds 192.168.77.1 on lan0
    lan.address("192.168.77.10/24")
    d.start()
    return d, lan


def test_https_on_the_hosts_address_and_name(tmp_path):
    picd, lan = start(tmp_path)
    cfg = picd.local("GET", "/api/config")[2]
    zone = f"{cfg['cell_name']}.{cfg['domain']}"
    ca = tmp_path / "ca.crt"
    ca.write_bytes(requests.get(picd.url + "/api/vault/ca.crt").content)

    doc = access(picd)
    schema = requests.get(picd.url + "/api/openapi.json",
                          headers={"Authorization": f"Bearer {picd.token()}"}).json()
    Draft202012Validator({**schema["components"]["schemas"]["Access"],
                          "components": schema["components"]}).validate(doc)
    assert urls(doc) == ["https://192.168.77.1/", f"https://{HOST}/", f"https://{HOST}.local/",
                         f"https://{zone}/"], doc
    assert [u["kind"] for u in doc["https"]] == ["lan_address", "host_name", "host_name", "cell_zone"]
    assert doc["uncovered"] == [], doc
    fp = subprocess.run(["openssl", "x509", "-in", str(ca), "-noout", "-fingerprint", "-sha256"],
                        capture_output=True, text=True, check=True).stdout
    assert doc["ca"] == {"url": "/api/vault/ca.crt",
                         "sha256": fp.split("=", 1)[1].strip().replace(":", "").lower()}
    assert f"cell CA SHA-256 {doc['ca']['sha256']}" in picd.stderr() + picd.stdout()
    assert "web UI over HTTPS on the LAN: https://192.168.77.1/" in picd.stderr() + picd.stdout()

    # By address: curl sends no SNI for an address and checks the leaf's
    # IP entry against the cell's CA.
    r = curl(lan, "-o", "/dev/null", "-w", "%{http_code} %{ssl_verify_result}", "--cacert", str(ca),
             "https://192.168.77.1/health")
    assert r.stdout == "200 0", r
    cert = served_cert(lan, "192.168.77.1")
    assert "IP Address:192.168.77.1" in cert and f"DNS:{HOST}" in cert and f"DNS:{zone}" in cert, cert
    # Without the CA the client refuses.
    assert curl(lan, "-o", "/dev/null", "https://192.168.77.1/health").returncode == 60
    # By name, with SNI.
    for name in (HOST, f"{HOST}.local", zone):
        r = curl(lan, "-o", "/dev/null", "-w", "%{http_code} %{ssl_verify_result}", "--cacert", str(ca),
                 "--resolve", f"{name}:443:192.168.77.1", f"https://{name}/api/access")
        assert r.stdout == "200 0", (name, r)
    # Another service's name on the web interface's address: 404.
    r = curl(lan, "-o", "/dev/null", "-w", "%{http_code}", "--cacert", str(ca), "--resolve",
             f"calendar.{zone}:443:192.168.77.1", f"https://calendar.{zone}/")
    assert r.stdout == "404", r
    # Plain HTTP on port 80 redirects to the same address over HTTPS,
    # except the CA itself, which devices fetch before they trust it.
    r = curl(lan, "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "http://192.168.77.1/login?next=/vpn")
    assert r.stdout == "308 https://192.168.77.1/login?next=/vpn", r
    assert curl(lan, "http://192.168.77.1/ca.crt").stdout == ca.read_text()

    # Logging in over it: the session cookie is Secure.
    r = curl(lan, "-D", "-", "-o", "/dev/null", "--cacert", str(ca), "-H", "Content-Type: application/json",
             "-d", json.dumps({"username": "admin", "password": picd.admin_password}),
             "https://192.168.77.1/api/auth/login")
    cookie = [line for line in r.stdout.splitlines() if line.lower().startswith("set-cookie:")]
    assert cookie and "; Secure" in cookie[0] and "HttpOnly" in cookie[0], r.stdout


def test_follows_the_host_being_renumbered(tmp_path):
    picd, lan = start(tmp_path)
    ca = tmp_path / "ca.crt"
    ca.write_bytes(requests.get(picd.url + "/api/vault/ca.crt").content)
    ns = picd.netns.name
    # A new address, and the old one gone; a public address beside it.
    sh("ip", "-n", ns, "addr", "add", "192.168.78.1/24", "dev", "lan0")
    sh("ip", "-n", ns, "addr", "del", "192.168.77.1/24", "dev", "lan0")
    sh("ip", "-n", ns, "addr", "add", "203.0.113.1/24", "dev", "lan0")
    sh("ip", "-n", lan.name, "addr", "add", "192.168.78.10/24", "dev", "eth0")
    doc = wait_for(lambda: (d := access(picd)) and "https://192.168.78.1/" in urls(d) and d, timeout=20, step=0.2)
    assert "https://192.168.78.1/" in urls(doc), doc
    assert "https://192.168.77.1/" not in urls(doc), doc
    assert [u["host"] for u in doc["uncovered"]] == ["203.0.113.1"], doc
    assert "RFC 1918" in doc["uncovered"][0]["reason"]
    # The proxy took a leaf naming the new address.
    ok = wait_for(lambda: curl(lan, "-o", "/dev/null", "-w", "%{http_code} %{ssl_verify_result}", "--cacert",
                               str(ca), "https://192.168.78.1/health").stdout == "200 0", timeout=20, step=0.2)
    assert ok, served_cert(lan, "192.168.78.1")
    cert = served_cert(lan, "192.168.78.1")
    assert "IP Address:192.168.78.1" in cert and "192.168.77.1" not in cert and "203.0.113.1" not in cert, cert
    assert re.search(r"203\.0\.113\.1 is not in the certificate: not a private", picd.stderr() + picd.stdout())
    # The CLI says the same.
    r = picd.pic("proxy", "addresses")
    assert r.returncode == 0, r
    assert re.search(r"^https://192\.168\.78\.1/\s+lan_address$", r.stdout, re.M), r.stdout
    assert f"cell CA SHA-256 {doc['ca']['sha256']}" in r.stdout
    assert "not in the certificate: 203.0.113.1: not a private" in r.stdout
    r = picd.pic("--json", "proxy", "addresses")
    assert r.returncode == 0 and json.loads(r.stdout)["uncovered"] == doc["uncovered"], r
    r = picd.pic("proxy", "addresses", "extra")
    assert r.returncode == 1 and "wrong number of arguments" in r.stderr, r


def test_login_over_plain_http_from_the_lan_points_to_https(tmp_path):
    assert os.path.exists(os.path.join(UI_DIR, "index.html")), "the web UI is not built: make build"
    picd = OwnListenerPicd(tmp_path, extra_args=["--ui-dir", UI_DIR, "--listen", "0.0.0.0:3000"], wrapper=UTS)
    lan = picd.lan()
    lan.address("192.168.77.10/24")
    picd.start()
    sha = picd.local("GET", "/api/access")[2]["ca"]["sha256"]
    browser = Browser("http://192.168.77.1:3000", tmp_path / "screens", netns=lan.name)
    try:
        browser.goto("/login", waitRole={"role": "button", "name": "Log in"})
        warning = browser.wait_text_of("not encrypted", role="alert")
        assert "Your password would cross the network in clear" in warning
        fp = browser.wait_text_of(r"^([0-9A-F]{2}:){31}[0-9A-F]{2}$", testid="ca-fingerprint")
        assert fp.replace(":", "").lower() == sha
        links = browser.do("evaluate", js="[...document.querySelectorAll('[role=alert] a')]"
                                          ".map(a => a.getAttribute('href'))")["value"]
        assert links[0].startswith("https://192.168.77.1/"), links
        assert f"https://{HOST}/" in links and f"https://{HOST}.local/" in links, links
        assert "/api/vault/ca.crt" in links, links
        browser.screens("login-plain-http-lan")
        # What the first link names answers over HTTPS with the cell's CA.
        ca = tmp_path / "ca.crt"
        ca.write_text(lan.run("curl", "-sS", "http://192.168.77.1:3000/api/vault/ca.crt").stdout)
        r = curl(lan, "-o", "/dev/null", "-w", "%{http_code} %{ssl_verify_result}", "--cacert", str(ca),
                 "https://192.168.77.1/login")
        assert r.stdout == "200 0", r
        # Chromium's own line for the session probe's 401 is the only one.
        console = [m for m in browser.do("log")["console"] if m["type"] in ("error", "pageerror", "warning")
                   and not (m.get("source", "").endswith("/api/auth/session") and "401" in m["text"])]
        assert not console, console
    finally:
        browser.close()
