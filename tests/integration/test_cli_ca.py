"""`pic ca` against a real picd over its control socket: the root as the
API serves it (export, show with its fingerprint), issuing into files that
OpenSSL verifies against the exported root (key 0600, no overwrite without
--force), issuing to stdout, listing, revoking (then in the CRL), replacing
the root after a rename (show warns until then), and the exit statuses: 1
for a bad command line, 2 when picd refuses."""

import json
import os
import subprocess

import requests


def ok(p):
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    return p


def openssl(*args, input=None):
    r = subprocess.run(["openssl", *args], input=input, capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return r.stdout


def mode(path):
    return os.stat(path).st_mode & 0o777


def listed(picd):
    """The certificates issued on request, as `pic --json ca list` shows
    them, by serial (the proxy's own leaf is listed too, as kind service)."""
    return {c["serial"]: c for c in json.loads(ok(picd.pic("--json", "ca", "list")).stdout)["certs"]
            if c["kind"] == "issued"}


def row_of(picd, serial):
    rows = [line.split() for line in ok(picd.pic("ca", "list")).stdout.splitlines()]
    assert rows[0] == ["SERIAL", "STATUS", "NOT-AFTER", "NAMES"]
    mine = [r for r in rows[1:] if r[0] == serial]
    assert len(mine) == 1, rows
    return mine[0]


def outdir(tmp_path):
    """A directory of the test's own: picd keeps its state in tmp_path."""
    d = tmp_path / "out"
    d.mkdir()
    return d


def test_export_and_show_the_root(picd, tmp_path):
    tmp_path = outdir(tmp_path)
    served = requests.get(picd.url + "/api/vault/ca.crt").text
    assert served.startswith("-----BEGIN CERTIFICATE-----")

    p = ok(picd.pic("ca", "export"))
    assert p.stdout == served and p.stderr == ""
    assert ok(picd.pic("--json", "ca", "export")).stdout == served  # the PEM either way
    out = tmp_path / "ca.crt"
    out.write_text("stale")
    ok(picd.pic("ca", "export", str(out)))  # public: replaced without --force
    assert out.read_text() == served and mode(out) == 0o644
    assert sorted(os.listdir(tmp_path)) == ["ca.crt"]  # no temporary left behind

    fp = openssl("x509", "-noout", "-fingerprint", "-sha256", input=served).strip().split("=", 1)[1]
    show = ok(picd.pic("ca", "show")).stdout
    assert served in show
    assert f"sha256 fingerprint:  {fp}" in show
    assert ("install this certificate as a trusted root on your devices; "
            "also served at http://mycell.cell/ca.crt") in show
    doc = json.loads(ok(picd.pic("--json", "ca", "show")).stdout)
    assert doc == {"cert": served, "sha256": fp, "url": "http://mycell.cell/ca.crt", "matches_config": True}
    assert "warning" not in show

    p = picd.pic("ca", "export", str(tmp_path / "no" / "such" / "dir.crt"))
    assert p.returncode == 1 and "dir.crt" in p.stderr


def test_issue_into_files_list_revoke_crl(picd, tmp_path):
    tmp_path = outdir(tmp_path)
    ca, cert, key = tmp_path / "ca.crt", tmp_path / "nas.crt", tmp_path / "nas.key"
    ok(picd.pic("ca", "export", str(ca)))
    assert listed(picd) == {}

    p = ok(picd.pic("ca", "issue", "nas.mycell.cell", "mycell.cell", "--ip", "172.20.0.99",
                    "--days=30", "--cert", str(cert), "--key", str(key)))
    assert "PRIVATE KEY" not in p.stdout + p.stderr
    assert f"{cert}" in p.stdout and f"{key}" in p.stdout
    assert mode(key) == 0o600 and mode(cert) == 0o644
    assert "PRIVATE KEY" in key.read_text()
    assert openssl("verify", "-CAfile", str(ca), str(cert)).strip() == f"{cert}: OK"
    text = openssl("x509", "-noout", "-text", "-in", str(cert))
    assert "DNS:nas.mycell.cell" in text and "IP Address:172.20.0.99" in text
    # The key is the certificate's.
    assert (openssl("pkey", "-in", str(key), "-pubout")
            == openssl("x509", "-in", str(cert), "-noout", "-pubkey"))

    certs = listed(picd)
    assert len(certs) == 1
    serial = next(iter(certs))
    assert serial in p.stdout
    assert certs[serial]["status"] == "valid"
    row = row_of(picd, serial)
    assert row[1] == "valid" and row[-1] == "nas.mycell.cell,mycell.cell,172.20.0.99"

    # Existing files are refused before anything is issued; --force replaces them.
    before_cert, before_key = cert.read_text(), key.read_text()
    for files in (["--cert", str(cert), "--key", str(tmp_path / "new.key")],
                  ["--cert", str(tmp_path / "new.crt"), "--key", str(key)]):
        p = picd.pic("ca", "issue", "nas.mycell.cell", *files)
        assert p.returncode == 1, (p.stdout, p.stderr)
        assert "--force" in p.stderr
    assert cert.read_text() == before_cert and key.read_text() == before_key
    assert sorted(os.listdir(tmp_path)) == ["ca.crt", "nas.crt", "nas.key"]
    assert len(listed(picd)) == 1
    ok(picd.pic("ca", "issue", "nas.mycell.cell", "--cert", str(cert), "--key", str(key), "--force"))
    assert cert.read_text() != before_cert and key.read_text() != before_key
    assert mode(key) == 0o600 and mode(cert) == 0o644
    openssl("verify", "-CAfile", str(ca), str(cert))
    assert len(listed(picd)) == 2

    p = ok(picd.pic("ca", "revoke", serial))
    assert serial in p.stdout
    assert listed(picd)[serial]["status"] == "revoked"
    assert row_of(picd, serial)[1] == "revoked"

    def revoked_in(crl):
        """The serials in a CRL, as picd writes them (lower case, no colons)."""
        text = openssl("crl", "-noout", "-text", "-CAfile", str(ca), input=crl)
        return {line.split(":", 1)[1].strip().lower() for line in text.splitlines()
                if line.strip().startswith("Serial Number:")}

    crl = ok(picd.pic("ca", "crl")).stdout
    assert crl.startswith("-----BEGIN X509 CRL-----")  # signed afresh on each request
    assert {s.lstrip("0") for s in revoked_in(crl)} == {serial.lstrip("0")}
    crl_file = tmp_path / "cell.crl"
    ok(picd.pic("ca", "crl", str(crl_file)))
    assert revoked_in(crl_file.read_text()) == revoked_in(crl) and mode(crl_file) == 0o644

    p = picd.pic("ca", "revoke", serial)
    assert p.returncode == 2 and "already revoked" in p.stderr, (p.stdout, p.stderr)
    p = picd.pic("--json", "ca", "revoke", serial)
    assert p.returncode == 2 and json.loads(p.stdout)["error"]["code"] == "already_revoked"
    p = picd.pic("ca", "revoke", "abc123")
    assert p.returncode == 2 and "abc123" in p.stderr


def test_issue_to_stdout_and_refusals(picd, tmp_path):
    tmp_path = outdir(tmp_path)
    ca = tmp_path / "ca.crt"
    ok(picd.pic("ca", "export", str(ca)))

    p = ok(picd.pic("ca", "issue", "printer.mycell.cell"))
    cert_pem, sep, key_pem = p.stdout.partition("-----END CERTIFICATE-----\n")
    assert sep and cert_pem.startswith("-----BEGIN CERTIFICATE-----")
    assert "PRIVATE KEY-----" in key_pem
    assert "shown only" in p.stderr
    leaf = tmp_path / "leaf.crt"
    leaf.write_text(cert_pem + sep)
    openssl("verify", "-CAfile", str(ca), str(leaf))

    doc = json.loads(ok(picd.pic("--json", "ca", "issue", "www.mycell.cell", "--days", "7")).stdout)
    assert set(doc) == {"serial", "cert", "key", "not_after"}
    assert doc["serial"] in listed(picd)

    p = picd.pic("ca", "issue", "nas.example.org")
    assert p.returncode == 2 and "names[0]" in p.stderr, (p.stdout, p.stderr)
    p = picd.pic("--json", "ca", "issue", "mycell.cell", "evil.example.org")
    assert p.returncode == 2 and json.loads(p.stdout)["error"]["field"] == "names[1]"

    for args in (["--days", "abc"], ["--days", "0"], ["--days"], ["--cert", str(tmp_path / "x.crt")],
                 ["--key", str(tmp_path / "x.key")], ["--force"], ["--frobnicate"],
                 ["--cert", str(tmp_path / "same"), "--key", str(tmp_path / "same")]):
        p = picd.pic("ca", "issue", "nas.mycell.cell", *args)
        assert p.returncode == 1, (args, p.stdout, p.stderr)
        assert p.stderr.startswith("pic: "), args
    assert picd.pic("ca", "issue", "--days", "30").returncode == 1  # no name
    assert picd.pic("ca", "revoke", "not-hex").returncode == 1
    assert sorted(os.listdir(tmp_path)) == ["ca.crt", "leaf.crt"]
    assert len(listed(picd)) == 2  # nothing issued by the refused commands


def test_replace_the_root_after_a_rename(picd, tmp_path):
    tmp_path = outdir(tmp_path)
    old = ok(picd.pic("ca", "export")).stdout

    # While the root covers the cell, replace is refused without --force.
    p = picd.pic("ca", "replace")
    assert p.returncode == 2 and "--force" not in p.stdout and "force" in p.stderr, (p.stdout, p.stderr)
    p = picd.pic("--json", "ca", "replace")
    assert p.returncode == 2 and json.loads(p.stdout)["error"]["code"] == "ca_matches_config"
    for args in (["--frobnicate"], ["--force", "--force"], ["now"]):
        p = picd.pic("ca", "replace", *args)
        assert p.returncode == 1 and p.stderr.startswith("pic: "), (args, p.stdout, p.stderr)
    assert ok(picd.pic("ca", "export")).stdout == old

    ok(picd.pic("config", "set", "cell_name=home"))
    show = ok(picd.pic("ca", "show")).stdout
    assert "warning: " in show and "pic ca replace" in show and "home.cell" in show
    doc = json.loads(ok(picd.pic("--json", "ca", "show")).stdout)
    assert doc["matches_config"] is False and "pic ca replace" in doc["warning"]
    assert doc["url"] == "http://home.cell/ca.crt"

    p = ok(picd.pic("ca", "replace"))
    new = ok(picd.pic("ca", "export")).stdout
    assert new != old
    fp = openssl("x509", "-noout", "-fingerprint", "-sha256", input=new).strip().split("=", 1)[1]
    serial = openssl("x509", "-noout", "-serial", input=new).strip().split("=", 1)[1].lower()
    assert f"sha256 fingerprint:  {fp}" in p.stdout
    assert serial.lstrip("0") in p.stdout
    assert "must now import the new ca.crt" in p.stdout and "http://home.cell/ca.crt" in p.stdout
    assert "DNS:home.cell" in openssl("x509", "-noout", "-text", input=new)
    assert "warning" not in ok(picd.pic("ca", "show")).stdout

    # Now matching again: refused; --force replaces all the same.
    p = picd.pic("ca", "replace")
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert ok(picd.pic("ca", "export")).stdout == new
    doc = json.loads(ok(picd.pic("--json", "ca", "replace", "--force")).stdout)
    assert doc["matches_config"] is True and doc["constraints"]["zone"] == "home.cell"
    assert ok(picd.pic("ca", "export")).stdout not in (old, new)
    archive = os.path.join(picd.state_dir, "ca", "archive")
    assert len(os.listdir(archive)) == 2
