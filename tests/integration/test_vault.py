"""The cell's certificate authority through the API: the root is public
(PEM and DER), name-constrained to the cell zone and networks; issued
certificates verify against it with OpenSSL and carry the asked names;
names outside the zone are refused; revocation shows in the CRL."""

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
    import os
    import stat
    key = os.path.join(picd.state_dir, "ca", "ca.key")
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    before = requests.get(picd.url + "/api/vault/ca.crt").text
    picd.restart()
    assert requests.get(picd.url + "/api/vault/ca.crt").text == before
