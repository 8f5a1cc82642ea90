"""The web UI in a real browser (Debian's Chromium through playwright-core,
tests/e2e/driver.mjs) against a real cell: each thing done in the UI is
checked with a real client — dig resolves the record added, a WireGuard
device configured from the QR code on the screen (decoded by zbarimg)
handshakes, and loses its open connection when the UI revokes its
service. Screenshots of every page at desktop and phone width go to the
test's output directory (tmp_path/screens)."""

import json
import os
import subprocess
import sys
import time

import pytest

from browser import Browser
from conftest import Picd, dig, wait_for
from vpnpeer import HOLD_CONNECTION, LINK_HOST, VpnPeer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
UI_DIR = os.path.join(ROOT, "build", "ui")
PAGES = ["/", "/settings", "/network/dns", "/network/dhcp", "/network/ntp", "/vpn", "/proxy", "/services",
         "/accounts", "/mail", "/account"]
HEADINGS = {"/": "Dashboard", "/settings": "Settings", "/network/dns": "DNS", "/network/dhcp": "DHCP",
            "/network/ntp": "Time (NTP)", "/vpn": "VPN", "/proxy": "Proxy & certificates", "/services": "Services",
            "/accounts": "Accounts", "/mail": "Mail", "/account": "Account"}



@pytest.fixture
def cell(tmp_path):
    assert os.path.exists(os.path.join(UI_DIR, "index.html")), "the web UI is not built: make build"
    d = Picd(tmp_path, extra_args=["--ui-dir", UI_DIR])
    d.start()
    status, _, doc = d.local("PUT", "/api/config", {"endpoint": LINK_HOST})
    assert status == 200, doc
    yield d
    d.stop(check=True)


@pytest.fixture
def browser(cell, tmp_path):
    b = Browser(cell.url, tmp_path / "screens")
    yield b
    b.close()


def heading(b, path):
    b.goto(path, waitRole={"role": "heading", "name": HEADINGS[path]})


def config(picd):
    return picd.local("GET", "/api/config")[2]


def test_the_cell_through_the_browser(cell, browser, tmp_path):
    b, picd = browser, cell
    conf = config(picd)
    zone = f"{conf['cell_name']}.{conf['domain']}"
    # What `make run` shows for comparing with a device: the CA's fingerprint.
    sha = picd.local("GET", "/api/vault/ca")[2]["sha256"]
    assert f"cell CA SHA-256 {sha}" in picd.stderr() + picd.stdout()

    # --- log in: a wrong password is said to be one; the right one lands on the dashboard
    b.login("not-the-password")
    b.wait(text="Wrong user name or password.")
    b.screens("login")
    b.login(picd.admin_password)
    b.wait(role="heading", name="Dashboard")
    b.wait_text_of(r"online of \d+", testid="vpn-online")

    # --- identity: an invalid value is refused as typed; a valid change, unsaved, is saved by Apply
    heading(b, "/settings")
    b.fill("bad_name", label="Cell name")
    b.wait(text="Letters, digits and hyphens only")
    b.fill(conf["cell_name"], label="Cell name")
    b.fill("172.20.0.0/16", label="VPN subnet")
    b.wait(text="Overlaps the cell network")
    b.fill("10.0.7.0/24", label="VPN subnet")
    b.click(role="button", name="Apply")
    b.wait_text_of(r"Applying network changes", role="list", name="Apply progress", timeout=60000)
    b.wait_text_of(r"Done\.", role="list", name="Apply progress", timeout=60000)
    assert config(picd)["vpn_subnet"] == "10.0.7.0/24"
    assert config(picd)["pending"] == []

    # --- a DNS record added in the UI resolves
    heading(b, "/network/dns")
    b.click(role="button", name="Add record")
    b.fill("e2e-host", label="Name")
    b.fill("192.168.77.7", label="Value")
    b.click(role="button", name="Save record")
    b.wait(text="e2e-host")
    client = picd.client()
    dns = config(picd)["addresses"]["dns"]
    res = wait_for(lambda: (r := dig(client, dns, f"e2e-host.{zone}")) and r.addresses() == ["192.168.77.7"] and r, 10)
    assert res, dig(client, dns, f"e2e-host.{zone}")

    # --- a peer added in the UI: its QR code, read off the screen, configures a device that handshakes
    heading(b, "/vpn")
    b.click(role="button", name="Add peer")
    b.fill("phone", label="Device name")
    b.click(role="button", name="Create peer")
    b.wait(testid="peer-qr")
    b.do("evaluate", js="new Promise(r => { const i = document.querySelector('[data-testid=peer-qr]'); "
                         "i.complete && i.naturalWidth ? r(1) : i.onload = () => r(1); })")
    shot = b.do("screenshotOf", testid="peer-qr", file="phone-qr.png")["file"]
    b.screens("vpn-new-peer")
    decoded = subprocess.run(["zbarimg", "--raw", "-q", shot], capture_output=True, text=True)
    assert decoded.returncode == 0, decoded
    peer_conf = decoded.stdout.rstrip("\n")
    assert peer_conf == picd.local("GET", "/api/peers/phone/config")[2]["config"].rstrip("\n")
    device = VpnPeer(picd)
    device.configure(peer_conf)
    assert device.run("ping", "-c", "1", "-W", "3", dns, check=False).returncode == 0
    online = wait_for(lambda: any(p["name"] == "phone" and p["online"]
                                  for p in picd.local("GET", "/api/wireguard/peers")[2]["peers"]), 10)
    assert online
    b.click(role="button", name="Done")

    # --- revoking its web access in the UI cuts its open connection
    webui = config(picd)["virtual_ips"]["webui"]
    holder = subprocess.Popen(["ip", "netns", "exec", device.name, sys.executable, "-c", HOLD_CONNECTION, webui],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    b.wait_text_of(r"online", testid="peer-state-phone", timeout=20000)
    b.click(role="button", name="phone")
    b.wait(role="checkbox", name="Allow This web interface")
    b.do("check", role="checkbox", name="Allow This web interface", checked=False)
    assert wait_for(lambda: "webui" not in picd.local("GET", "/api/peers/phone")[2]["services"], 10)
    out, _ = holder.communicate("again\n", timeout=20)
    assert out.strip() == "cut", out
    b.click(role="button", name="Close")

    # --- the dashboard charts what the peer moved, from picd's own history
    assert device.run("ping", "-q", "-c", "40", "-i", "0.05", "-s", "1200", dns, check=False).returncode == 0
    sent = time.time()
    assert wait_for(lambda: (picd.local("GET", "/api/wireguard/traffic")[2]["read_at"] or 0) > sent + 5, 20, 0.2)
    heading(b, "/")
    b.do("select", role="combobox", name="Traffic of", value="phone")
    b.wait(role="img", name="Traffic of phone")
    b.screens("dashboard-traffic")

    # --- a service restarted in the UI comes back, and its log follows live
    heading(b, "/services")
    before = {s["name"]: s for s in picd.local("GET", "/api/services")[2]["services"]}["ntp"]
    ntp_card = {"role": "listitem", "name": "Service ntp"}
    b.click(role="button", name="Logs", within=ntp_card)
    b.wait_text_of(r"\S", testid="log-lines")
    lines_before = b.text(testid="log-lines").count("\n")
    b.click(role="button", name="Restart", within=ntp_card)
    after = wait_for(lambda: (s := {x["name"]: x for x in picd.local("GET", "/api/services")[2]["services"]}["ntp"])
                     and s["state"] == "running" and s["pid"] != before["pid"] and s, 30)
    assert after, "ntp did not come back with a new process"
    b.wait_text_of(r"running", testid="state-ntp", timeout=20000)
    deadline = time.monotonic() + 20
    while b.text(testid="log-lines").count("\n") <= lines_before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert b.text(testid="log-lines").count("\n") > lines_before, "the restart's output did not reach the page"

    # --- every page, at desktop and phone width
    for path in PAGES:
        heading(b, path)
        b.screens("page" + path.replace("/", "-").rstrip("-"))

    # --- every page worked with the session cookie alone: each API request
    # since the login was answered without an error
    made = b.do("log")["requests"]
    since_login = made[max(i for i, r in enumerate(made) if r["path"] == "/api/auth/login") + 1:]
    pages_api = [r for r in since_login if r["path"].startswith("/api/")]
    assert {r["path"] for r in pages_api} >= {"/api/config", "/api/services", "/api/peers", "/api/dns/records",
                                              "/api/dhcp/config", "/api/ntp/status", "/api/proxy/routes",
                                              "/api/vault/ca", "/api/auth/tokens"}
    failed = [r for r in pages_api if r.get("status", 200) >= 400]
    assert failed == [], failed

    # --- an expired session goes to the login and back to the page it was on
    heading(b, "/proxy")
    b.do("clearCookies")
    b.click(role="link", name="VPN")
    b.wait(role="button", name="Log in")
    assert "/login?next=%2Fvpn" in b.do("url")["url"]
    b.fill(picd.admin_password, label="Password")
    b.click(role="button", name="Log in")
    b.wait(role="heading", name="VPN")

    # --- log out
    b.click(role="button", name="Log out")
    b.wait(role="button", name="Log in")
    b.goto("/services", waitRole={"role": "button", "name": "Log in"})
    assert "/login?next=%2Fservices" in b.do("url")["url"]

    # --- what the page did on the wire, and in its console
    log = b.do("log")
    mutations = [r for r in log["requests"] if r["path"].startswith("/api/") and r["method"] not in ("GET", "HEAD")]
    assert mutations, "no change went out"
    naked = [r for r in mutations if r["path"] != "/api/auth/login" and not r["headers"].get("x-csrf-token")]
    assert naked == [], naked
    assert not any("authorization" in r["headers"] for r in log["requests"]), "the UI sends only its cookie"
    # Chromium logs every 401 it gets: here the UI's own questions (is
    # there a session? is this password right?) and the answers that tell
    # it a session ended. Anything else in the console is a defect.
    expected = [m for m in log["console"] if "status of 401" in m["text"] and "/api/" in m["source"]]
    assert [m for m in log["console"] if m not in expected] == [], json.dumps(log["console"], indent=1)
