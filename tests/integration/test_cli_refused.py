"""A refused command changes nothing: each `pic` command that makes more
than one request, against a real picd, is refused at a later step and
shown to leave the cell as it was (checked over the API), and then to
work once what was missing is there. The cell of these tests runs in a
namespace with no route out, so it cannot guess the address devices
reach it at: `endpoint` stays unknown until it is set."""

import json
import subprocess


def pic_in(picd, cwd, *args):
    return subprocess.run([*picd.pic_argv(), *args], capture_output=True, text=True, timeout=30,
                          cwd=cwd)


def refused(p, field):
    assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
    assert f"(field: {field})" in p.stderr, p.stderr
    return p


def ok(p):
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    return p


def peers(picd):
    status, _, doc = picd.local("GET", "/api/peers")
    assert status == 200, doc
    return [p["name"] for p in doc["peers"]]


def records(picd):
    status, _, doc = picd.local("GET", "/api/dns/records?limit=1000")
    assert status == 200, doc
    return sorted(r["id"] for r in doc["records"])


# --- peer add --------------------------------------------------------------

def test_peer_add_without_endpoint_creates_nothing(picd, tmp_path):
    assert picd.local("GET", "/api/config")[2]["endpoint"] is None
    work = tmp_path / "here"
    work.mkdir()

    p = refused(pic_in(picd, work, "peer", "add", "phone", "--services", "webui"), "endpoint")
    assert "pic config set endpoint=" in p.stderr, p.stderr
    assert peers(picd) == []
    assert list(work.iterdir()) == []
    assert picd.local("GET", "/api/peers/phone")[0] == 404
    # Refused the same way again: nothing was left to collide with.
    p = refused(pic_in(picd, work, "peer", "add", "phone"), "endpoint")
    assert "already a peer" not in p.stderr, p.stderr
    assert peers(picd) == []

    # Once the endpoint is set the same command works.
    ok(pic_in(picd, work, "config", "set", "endpoint=vpn.example.org"))
    p = ok(pic_in(picd, work, "peer", "add", "phone", "--services", "webui"))
    assert "config: phone.conf" in p.stdout
    assert peers(picd) == ["phone"]
    conf = (work / "phone.conf").read_text()
    assert "Endpoint = vpn.example.org:" in conf and "PrivateKey = " in conf
    status, _, doc = picd.local("GET", "/api/peers/phone")
    assert status == 200 and doc["services"] == ["webui"], doc


def test_peer_add_json_without_endpoint(picd, tmp_path):
    # --json asks for the peer alone (no config, no file): it is made,
    # and its config waits for the endpoint.
    doc = json.loads(ok(pic_in(picd, tmp_path, "--json", "peer", "add", "tablet")).stdout)
    assert doc["name"] == "tablet"
    assert peers(picd) == ["tablet"]
    assert list(tmp_path.glob("*.conf")) == []
    refused(pic_in(picd, tmp_path, "peer", "config", "tablet"), "endpoint")


def test_peer_add_unwritable_config_file_creates_nothing(picd, tmp_path):
    # The config file is made ready before picd is asked: a directory it
    # cannot be written in (here one of /proc's, even for root) stops the
    # command before any peer exists.
    ok(pic_in(picd, tmp_path, "config", "set", "endpoint=vpn.example.org"))
    p = pic_in(picd, "/proc/self", "peer", "add", "phone")
    assert p.returncode == 1 and "phone.conf" in p.stderr, (p.returncode, p.stderr)
    assert peers(picd) == []
    ok(pic_in(picd, tmp_path, "peer", "add", "phone"))
    assert peers(picd) == ["phone"] and (tmp_path / "phone.conf").exists()


def test_peer_add_refused_name_leaves_no_file(picd, tmp_path):
    # The file made ready before the request goes when picd refuses it.
    work = tmp_path / "here"
    work.mkdir()
    refused(pic_in(picd, work, "peer", "add", "bad_name!"), "name")
    assert list(work.iterdir()) == [] and peers(picd) == []


# --- dns rm ----------------------------------------------------------------

def test_dns_rm_ids_with_an_unknown_one_deletes_nothing(picd, tmp_path):
    ids = []
    for i in range(2):
        status, _, doc = picd.local("POST", "/api/dns/records",
                                    {"name": f"keep{i}", "type": "A", "value": f"192.0.2.{60 + i}"})
        assert status == 201, doc
        ids.append(doc["id"])

    p = refused(pic_in(picd, tmp_path, "dns", "rm", str(ids[0]), "999999", str(ids[1])), "id")
    assert "999999" in p.stderr and "nothing deleted" in p.stderr, p.stderr
    assert "deleted" not in p.stdout, p.stdout
    assert records(picd) == sorted(ids)

    p = ok(pic_in(picd, tmp_path, "dns", "rm", str(ids[0]), str(ids[1])))
    assert p.stdout.count("deleted ") == 2, p.stdout
    assert records(picd) == []
