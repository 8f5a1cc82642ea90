"""The cell's certificate authority through the API: the root is public
(PEM and DER), name-constrained to the cell zone and networks; issued
certificates verify against it with OpenSSL and carry the asked names;
names outside the zone are refused; revocation shows in the CRL. The
root described (GET /api/vault/ca) and replaced after a rename (POST
/api/vault/ca/replace): refused while it matches unless forced, bad bodies
refused with nothing changed, the old root archived, old certificates
superseded, the proxy's leaf issued again."""

import os
import socket
import stat
import subprocess

import requests


def openssl(*args, input=None):
    r = subprocess.run(["openssl", *args], input=input, capture_output=True, timeout=30)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    return r.stdout


def test_root_is_public_and_name_constrained(picd):
    r = requests.get(picd.url + "/api/vault/ca.crt")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/x-pem-file"
    assert r.text.startswith("-----BEGIN CERTIFICATE-----")
    text = openssl("x509", "-noout", "-text", input=r.content).decode()
    assert "CA:TRUE" in text and "Name Constraints: critical" in text
    assert "Permitted:" in text and "DNS:mycell.cell" in text
    assert "IP:172.20.0.0/255.255.0.0" in text and "IP:10.0.0.0/255.255.255.0" in text
    der = requests.get(picd.url + "/api/vault/ca.crt?format=der")
    assert der.headers["Content-Type"] == "application/pkix-cert"
    assert openssl("x509", "-inform", "DER", "-outform", "PEM", input=der.content).decode() == r.text
    assert requests.get(picd.url + "/api/vault/ca.crt?format=xml").status_code == 400


def test_issue_verify_list_revoke(picd, tmp_path):
    s = picd.session()
    ca = tmp_path / "ca.crt"
    ca.write_bytes(requests.get(picd.url + "/api/vault/ca.crt").content)
    r = s.post(picd.url + "/api/vault/certs", json={"names": ["nas.mycell.cell", "mycell.cell"],
                                                    "ips": ["172.20.0.99"], "days": 30})
    assert r.status_code == 201, r.text
    issued = r.json()
    assert "PRIVATE KEY" in issued["key"]
    leaf = tmp_path / "leaf.crt"
    leaf.write_text(issued["cert"])
    assert b"OK" in openssl("verify", "-purpose", "sslserver", "-CAfile", str(ca), str(leaf))
    text = openssl("x509", "-noout", "-text", "-in", str(leaf)).decode()
    assert "DNS:nas.mycell.cell" in text and "IP Address:172.20.0.99" in text

    listed = s.get(picd.url + "/api/vault/certs").json()["certs"]
    mine = [c for c in listed if c["serial"] == issued["serial"]]
    assert mine and mine[0]["status"] == "valid" and mine[0]["names"] == ["nas.mycell.cell", "mycell.cell"]
    assert "key" not in mine[0]

    r = s.post(picd.url + f"/api/vault/certs/{issued['serial']}/revoke")
    assert r.status_code == 200
    assert s.post(picd.url + f"/api/vault/certs/{issued['serial']}/revoke").status_code == 409
    assert s.post(picd.url + "/api/vault/certs/abc123/revoke").status_code == 404
    crl = requests.get(picd.url + "/api/vault/crl").content
    crl_text = openssl("crl", "-noout", "-text", input=crl).decode()
    assert issued["serial"].upper().lstrip("0") in crl_text.replace(":", "").upper()
    mine = [c for c in s.get(picd.url + "/api/vault/certs").json()["certs"] if c["serial"] == issued["serial"]]
    assert mine[0]["status"] == "revoked"
    assert requests.get(picd.url + "/api/vault/crl?format=der").headers["Content-Type"] == "application/pkix-crl"


def test_names_outside_the_zone_are_refused(picd):
    s = picd.session()
    for body, field in (({"names": ["evil.example.org"]}, "names[0]"),
                        ({"names": ["a.mycell.cell", "notmycell.cell"]}, "names[1]"),
                        ({"names": ["a.mycell.cell"], "ips": ["8.8.8.8"]}, "ips"),
                        ({"names": []}, "names"), ({"names": ["a.mycell.cell"], "days": 0}, "days"),
                        ({"names": ["a.mycell.cell"], "x": 1}, "x")):
        r = s.post(picd.url + "/api/vault/certs", json=body)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["error"]["field"].startswith(field), (body, r.json())
    assert [c for c in s.get(picd.url + "/api/vault/certs").json()["certs"] if c["kind"] == "issued"] == []


def test_ca_key_is_private_and_survives_restart(picd):
    key = os.path.join(picd.state_dir, "ca", "ca.key")
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    before = requests.get(picd.url + "/api/vault/ca.crt").text
    picd.restart()
    assert requests.get(picd.url + "/api/vault/ca.crt").text == before


# --- the root described and replaced --------------------------------------

def ca_dir(picd):
    return os.path.join(picd.state_dir, "ca")


def tree(path):
    """Every file under `path` with its bytes: what "nothing changed" means
    for the CA directory."""
    out = {}
    for root, _dirs, files in os.walk(path):
        for f in files:
            p = os.path.join(root, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, path)] = fh.read()
    return out


def constraints(pem):
    """(permitted DNS names, permitted networks) of a root, read with
    python3-cryptography."""
    from cryptography import x509
    cert = x509.load_pem_x509_certificate(pem.encode() if isinstance(pem, str) else pem)
    ext = cert.extensions.get_extension_for_class(x509.NameConstraints)
    assert ext.critical
    permitted = ext.value.permitted_subtrees
    dns = sorted(n.value for n in permitted if isinstance(n, x509.DNSName))
    nets = sorted(str(n.value) for n in permitted if isinstance(n, x509.IPAddress))
    return dns, nets, format(cert.serial_number, "x")


LAN_DOMAINS = ["local", "home.arpa", "internal"]
RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]


def host_scope(zone):
    """The names of this host a root made now covers besides the LAN
    domains: its name and first label, unless covered already."""
    out = []
    name = socket.gethostname().lower()
    for n in (name, name.split(".")[0]):
        if not any(n == s or n.endswith("." + s) for s in [zone, *LAN_DOMAINS, *out]):
            out.append(n)
    return out


def test_root_description(picd):
    s = picd.session()
    assert requests.get(picd.url + "/api/vault/ca").status_code == 401
    r = s.get(picd.url + "/api/vault/ca")
    assert r.status_code == 200, r.text
    doc = r.json()
    pem = requests.get(picd.url + "/api/vault/ca.crt").text
    dns, nets, serial = constraints(pem)
    assert doc["matches_config"] is True and "warning" not in doc
    lan = LAN_DOMAINS + host_scope("mycell.cell")
    assert doc["constraints"] == {"zone": "mycell.cell", "lan_names": lan,
                                  "networks": ["172.20.0.0/16", "10.0.0.0/24", *RFC1918]}
    assert dns == sorted(["mycell.cell", *lan])
    assert nets == sorted(["10.0.0.0/24", "172.20.0.0/16", *RFC1918])
    assert doc["serial"].lstrip("0") == serial
    assert doc["subject"] == "PIC mycell.cell root CA"
    fp = openssl("x509", "-noout", "-fingerprint", "-sha256", input=pem.encode()).decode()
    assert doc["sha256"] == fp.strip().split("=", 1)[1].replace(":", "").lower()
    listed = s.get(picd.url + "/api/vault/certs").json()["certs"]  # the same time format
    assert isinstance(doc["not_before"], int) and isinstance(listed[0]["not_before"], int)
    assert doc["not_before"] < doc["not_after"]


def test_replace_is_refused_while_the_root_matches(picd):
    s = picd.session()
    before, served = tree(ca_dir(picd)), requests.get(picd.url + "/api/vault/ca.crt").text
    r = s.post(picd.url + "/api/vault/ca/replace", json={})
    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "ca_matches_config" and r.json()["error"]["field"] == "force"
    assert "force" in r.json()["error"]["message"]
    r = s.post(picd.url + "/api/vault/ca/replace")  # no body: the same
    assert r.status_code == 409, r.text
    for body, field in (({"force": "yes"}, "force"), ({"force": 1}, "force"), ({"forse": True}, "forse"),
                        ([True], None)):
        r = s.post(picd.url + "/api/vault/ca/replace", json=body)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["error"].get("field") == field, (body, r.json())
    # A session without its CSRF token, and no credentials at all.
    bare = requests.Session()
    bare.cookies = s.cookies
    assert bare.post(picd.url + "/api/vault/ca/replace", json={"force": True}).status_code == 403
    assert requests.post(picd.url + "/api/vault/ca/replace", json={"force": True}).status_code == 401
    assert tree(ca_dir(picd)) == before
    assert requests.get(picd.url + "/api/vault/ca.crt").text == served
    assert s.get(picd.url + "/api/vault/ca").json()["matches_config"] is True


def test_rename_then_replace(picd):
    s = picd.session()
    old_pem = requests.get(picd.url + "/api/vault/ca.crt").text
    old = s.get(picd.url + "/api/vault/ca").json()
    assert picd.stderr().count("pic ca replace") == 0

    r = s.put(picd.url + "/api/config", json={"cell_name": "home"})
    assert r.status_code == 200, r.text
    doc = s.get(picd.url + "/api/vault/ca").json()
    assert doc["matches_config"] is False and doc["serial"] == old["serial"]
    assert "home.cell" in doc["warning"] and "mycell.cell" in doc["warning"]
    assert "POST /api/vault/ca/replace" in doc["warning"] and "pic ca replace" in doc["warning"]
    # One line in the log for the change, none for the requests.
    assert picd.stderr().count("pic ca replace") == 1
    s.get(picd.url + "/api/vault/ca")
    s.get(picd.url + "/api/vault/certs")
    assert picd.stderr().count("pic ca replace") == 1
    old_certs = {c["serial"] for c in s.get(picd.url + "/api/vault/certs").json()["certs"]}
    assert old_certs  # the proxy's leaf for mycell.cell at least

    r = s.post(picd.url + "/api/vault/ca/replace", json={})
    assert r.status_code == 200, r.text
    new = r.json()
    assert new["serial"] != old["serial"] and new["matches_config"] is True and "warning" not in new
    assert new["constraints"]["zone"] == "home.cell"
    assert s.get(picd.url + "/api/vault/ca").json() == new
    new_pem = requests.get(picd.url + "/api/vault/ca.crt").text
    dns, nets, serial = constraints(new_pem)
    assert dns == sorted(["home.cell", *LAN_DOMAINS, *host_scope("home.cell")])
    assert nets == sorted(["10.0.0.0/24", "172.20.0.0/16", *RFC1918])
    assert serial == new["serial"].lstrip("0")

    # The old root is kept whole and private; the new one is in place.
    d = ca_dir(picd)
    kept = os.path.join(d, "archive", old["serial"])
    assert open(os.path.join(kept, "ca.crt")).read() == old_pem
    assert stat.S_IMODE(os.stat(os.path.join(kept, "ca.key")).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(os.path.join(d, "archive")).st_mode) == 0o700
    assert open(os.path.join(d, "ca.crt")).read() == new_pem
    assert sorted(os.listdir(d)) == ["archive", "ca.crt", "ca.key"]

    # What the old root issued is superseded; the proxy (and the mail
    # services, smtp and imap) have leaves for the new names.
    certs = s.get(picd.url + "/api/vault/certs").json()["certs"]
    assert {c["serial"]: c["status"] for c in certs if c["serial"] in old_certs} == \
        {serial: "superseded" for serial in old_certs}
    fresh = [c for c in certs if c["serial"] not in old_certs]
    assert len(fresh) == 3 and all(c["kind"] == "service" and c["status"] == "valid" for c in fresh), fresh
    assert sorted(["home.cell" in c["names"] for c in fresh]) == [False, False, True], fresh
    assert sum(c["names"] == ["imap.home.cell", "smtp.home.cell", "mail-svc.home.cell"] for c in fresh) == 2
    assert "replaced by" in picd.stderr()

    # Now matching: a second replace is refused and changes nothing.
    before = tree(d)
    r = s.post(picd.url + "/api/vault/ca/replace", json={"force": False})
    assert r.status_code == 409, r.text
    assert tree(d) == before
    assert s.get(picd.url + "/api/vault/ca").json()["serial"] == new["serial"]

    # Forced, and kept across a restart.
    r = s.post(picd.url + "/api/vault/ca/replace", json={"force": True})
    assert r.status_code == 200, r.text
    forced = r.json()
    assert forced["serial"] not in (old["serial"], new["serial"])
    assert sorted(os.listdir(os.path.join(d, "archive"))) == sorted([old["serial"], new["serial"]])
    picd.restart()
    s = picd.session()
    assert s.get(picd.url + "/api/vault/ca").json()["serial"] == forced["serial"]
    assert "pic ca replace" not in picd.stderr()


def test_stale_root_is_named_at_start(picd):
    s = picd.session()
    assert s.put(picd.url + "/api/config", json={"domain": "example"}).status_code == 200
    picd.restart()
    lines = [line for line in picd.stderr().splitlines() if "pic ca replace" in line]
    assert len(lines) == 1 and "mycell.cell" in lines[0] and "mycell.example" in lines[0]
