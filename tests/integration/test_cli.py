"""The `pic` CLI against a real picd over its control socket: help generated
from the command table, exit statuses (0 done, 1 usage, 2 refused by picd,
3 picd unreachable), config get/set/pending/apply, API tokens and passwd.
Every change made through pic is checked over HTTP as well."""

import json
import os
import subprocess

import requests

from conftest import pic_bin

COMMANDS = ["status", "config get", "config set", "config pending", "config apply",
            "token create", "token list", "token revoke", "passwd", "help"]


def run_pic(*args, input=None, env=None):
    """pic without a daemon (no --socket added)."""
    return subprocess.run([pic_bin(), *args], input=input, capture_output=True, text=True,
                          timeout=30, env=env)


def http_config(picd):
    r = picd.session().get(picd.url + "/api/config")
    assert r.status_code == 200, r.text
    return r.json()


def ok(p):
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    return p


# --- help and usage ------------------------------------------------------

def test_help_lists_every_command():
    p = ok(run_pic("--help"))
    for cmd in COMMANDS:
        assert f"  {cmd}" in p.stdout, cmd
    for opt in ("--socket PATH", "--json", "--help", "--version"):
        assert opt in p.stdout, opt
    assert p.stderr == ""
    assert ok(run_pic("-h")).stdout == p.stdout
    assert ok(run_pic("help")).stdout == p.stdout


def test_help_for_one_command():
    for args in (["help", "config", "set"], ["config", "set", "--help"], ["config", "set", "-h"]):
        p = ok(run_pic(*args))
        assert p.stdout.startswith("usage: pic config set KEY=VALUE..."), args
    group = ok(run_pic("token", "--help")).stdout
    for sub in ("create NAME", "list", "revoke ID"):
        assert sub in group
    assert ok(run_pic("help", "token")).stdout == group


def test_usage_errors_exit_1():
    for args in (["frobnicate"], ["config", "frobnicate"], ["--frobnicate", "status"], [],
                 ["config"], ["token", "revoke"], ["token", "revoke", "1", "2"],
                 ["status", "extra"], ["help", "nosuch"], ["--socket"]):
        p = run_pic(*args)
        assert p.returncode == 1, (args, p.returncode, p.stdout, p.stderr)
        assert p.stderr.strip(), args
    assert "frobnicate" in run_pic("frobnicate").stderr


def test_version():
    p = ok(run_pic("--version"))
    assert p.stdout.startswith("pic ")


def test_unreachable_socket_exit_3(tmp_path):
    p = run_pic("--socket", "/nonexistent.sock", "status")
    assert p.returncode == 3, (p.returncode, p.stdout, p.stderr)
    assert "/nonexistent.sock" in p.stderr
    assert "picd" in p.stderr
    assert p.stdout == ""
    # Global options may follow the command; PIC_SOCKET is the fallback.
    assert run_pic("status", "--socket", "/nonexistent.sock").returncode == 3
    env = dict(os.environ, PIC_SOCKET=str(tmp_path / "none.sock"))
    p = run_pic("config", "get", env=env)
    assert p.returncode == 3
    assert str(tmp_path / "none.sock") in p.stderr


def test_stopped_picd_exit_3(picd):
    ok(picd.pic("status"))
    picd.stop()
    p = picd.pic("status")
    assert p.returncode == 3, (p.returncode, p.stdout, p.stderr)
    assert picd.socket in p.stderr


# --- status --------------------------------------------------------------

def test_status(picd):
    p = ok(picd.pic("status"))
    lines = {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in p.stdout.splitlines()}
    assert lines["status"] == "ok"
    assert lines["cell"] == "mycell.cell"
    assert lines["ip_range"] == "172.20.0.0/16"
    assert lines["wireguard_port"] == "51820"
    assert lines["version"]
    assert "pending changes" not in lines

    doc = json.loads(ok(picd.pic("--json", "status")).stdout)
    assert doc["health"]["status"] == "ok"
    assert doc["config"]["cell_name"] == "mycell"
    assert json.loads(ok(picd.pic("status", "--json")).stdout)["health"]["status"] == "ok"


# --- config get ----------------------------------------------------------

def test_config_get_human(picd):
    doc = http_config(picd)
    out = ok(picd.pic("config", "get")).stdout
    assert "cell_name:" in out and "mycell" in out
    assert "wireguard_port:" in out and "51820" in out
    assert "\naddresses:\n" in out and "\nvirtual_ips:\n" in out
    for name, ip in doc["addresses"].items():
        assert any(line.split() == [name, ip] for line in out.splitlines()), (name, ip)
    assert "pending changes: none" in out


def test_config_get_json(picd):
    assert json.loads(ok(picd.pic("--json", "config", "get")).stdout) == http_config(picd)


def test_config_get_key(picd):
    doc = http_config(picd)
    assert ok(picd.pic("config", "get", "addresses.dns")).stdout == doc["addresses"]["dns"] + "\n"
    assert ok(picd.pic("config", "get", "ip_range")).stdout == "172.20.0.0/16\n"
    assert ok(picd.pic("config", "get", "wireguard_port")).stdout == "51820\n"
    assert json.loads(ok(picd.pic("--json", "config", "get", "addresses")).stdout) == doc["addresses"]
    assert json.loads(ok(picd.pic("--json", "config", "get", "endpoint")).stdout) is None


def test_config_get_unknown_key_lists_valid_keys(picd):
    p = picd.pic("config", "get", "nosuch")
    assert p.returncode == 1, (p.stdout, p.stderr)
    assert "nosuch" in p.stderr and "cell_name" in p.stderr and "ip_range" in p.stderr
    p = picd.pic("config", "get", "addresses.nosuch")
    assert p.returncode == 1
    assert "addresses.dns" in p.stderr


# --- config set ----------------------------------------------------------

def test_config_set_then_get(picd):
    p = ok(picd.pic("config", "set", "cell_name=home"))
    assert "cell_name" in p.stdout and "home" in p.stdout
    assert ok(picd.pic("config", "get", "cell_name")).stdout == "home\n"
    assert http_config(picd)["cell_name"] == "home"
    assert "home.cell" in ok(picd.pic("status")).stdout


def test_config_set_several_and_typed(picd):
    ok(picd.pic("config", "set", "wireguard_port=51821", "endpoint=vpn.example.org"))
    doc = http_config(picd)
    assert doc["wireguard_port"] == 51821  # sent as a JSON integer
    assert doc["endpoint"] == "vpn.example.org"
    ok(picd.pic("config", "set", "endpoint=null"))
    assert http_config(picd)["endpoint"] is None


def test_config_set_refused_names_field(picd):
    before = http_config(picd)
    p = picd.pic("config", "set", "cell_name=-bad")
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert "(field: cell_name)" in p.stderr
    assert http_config(picd) == before

    p = picd.pic("--json", "config", "set", "cell_name=-bad")
    assert p.returncode == 2
    assert json.loads(p.stdout)["error"]["field"] == "cell_name"

    # One request: a bad field stops the good one too.
    p = picd.pic("config", "set", "domain=example.net", "cell_name=-bad")
    assert p.returncode == 2
    assert http_config(picd) == before


def test_config_set_unknown_key_refused(picd):
    before = http_config(picd)
    p = picd.pic("config", "set", "nosuch=1")
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert "nosuch" in p.stderr
    assert http_config(picd) == before


def test_config_set_bad_integer_is_usage_error(picd):
    before = http_config(picd)
    p = picd.pic("config", "set", "wireguard_port=abc")
    assert p.returncode == 1, (p.stdout, p.stderr)
    assert "wireguard_port" in p.stderr
    for bad in ("wireguard_port=", "wireguard_port=1.5", "wireguard_port=0x10"):
        assert picd.pic("config", "set", bad).returncode == 1, bad
    assert http_config(picd) == before


def test_config_set_malformed_argument(picd):
    before = http_config(picd)
    for args in (["cell_name"], ["=home"], ["cell_name=home", "domain"]):
        p = picd.pic("config", "set", *args)
        assert p.returncode == 1, (args, p.stdout, p.stderr)
    assert picd.pic("config", "set").returncode == 1
    assert http_config(picd) == before


def test_config_pending_and_apply(picd):
    p = ok(picd.pic("config", "set", "ip_range=10.9.0.0/16"))
    assert "pending" in p.stdout and "pic config apply" in p.stdout
    assert ok(picd.pic("config", "get", "ip_range")).stdout == "172.20.0.0/16\n"

    out = ok(picd.pic("config", "pending")).stdout
    assert out.split("\n")[0].split() == ["FIELD", "CURRENT", "NEW", "REQUESTED"]
    row = out.split("\n")[1].split()
    assert row[:3] == ["ip_range", "172.20.0.0/16", "10.9.0.0/16"]
    pending = json.loads(ok(picd.pic("--json", "config", "pending")).stdout)["pending"]
    assert [(e["field"], e["value"]) for e in pending] == [("ip_range", "10.9.0.0/16")]
    assert "pending changes:" in ok(picd.pic("status")).stdout

    p = ok(picd.pic("config", "apply"))
    assert "ip_range" in p.stdout and "10.9.0.0/16" in p.stdout
    assert ok(picd.pic("config", "get", "ip_range")).stdout == "10.9.0.0/16\n"
    assert http_config(picd)["ip_range"] == "10.9.0.0/16"
    assert http_config(picd)["addresses"]["host"] == "10.9.0.1"
    assert ok(picd.pic("config", "pending")).stdout == "no pending changes\n"
    assert ok(picd.pic("config", "apply")).stdout == "nothing to apply\n"


# --- tokens --------------------------------------------------------------

def bearer_get(picd, token):
    return requests.get(picd.url + "/api/config", headers={"Authorization": f"Bearer {token}"})


def test_token_create_list_revoke(picd):
    p = ok(picd.pic("token", "create", "ci"))
    token = p.stdout.strip()
    assert p.stdout == token + "\n"
    assert token.startswith("pic_")
    assert "once" in p.stderr or "only" in p.stderr
    assert bearer_get(picd, token).status_code == 200

    listed = json.loads(ok(picd.pic("--json", "token", "list")).stdout)["tokens"]
    ids = [t["id"] for t in listed if t["name"] == "ci"]
    assert len(ids) == 1
    out = ok(picd.pic("token", "list")).stdout
    assert out.split("\n")[0].split() == ["ID", "NAME", "CREATED", "LAST-USED"]
    assert any(line.split()[:2] == [str(ids[0]), "ci"] for line in out.splitlines()[1:])
    assert token not in out

    p = ok(picd.pic("token", "revoke", str(ids[0])))
    assert bearer_get(picd, token).status_code == 401
    assert all(t["name"] != "ci" for t in json.loads(ok(picd.pic("--json", "token", "list")).stdout)["tokens"])

    p = picd.pic("token", "revoke", str(ids[0]))
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert p.stderr.startswith("pic: ")


def test_token_create_json(picd):
    doc = json.loads(ok(picd.pic("--json", "token", "create", "script")).stdout)
    assert doc["name"] == "script"
    assert bearer_get(picd, doc["token"]).status_code == 200


def test_token_revoke_bad_ids(picd):
    for bad in ("abc", "0", "-1", "1.0", "007", ""):
        p = picd.pic("token", "revoke", bad)
        assert p.returncode == 1, (bad, p.stdout, p.stderr)
    p = picd.pic("token", "revoke", "999999")
    assert p.returncode == 2, (p.stdout, p.stderr)


# --- passwd --------------------------------------------------------------

def test_passwd_from_stdin(picd):
    old = picd.admin_password
    p = ok(picd.pic("passwd", input="n3w-admin-Passw0rd\n"))
    assert "password changed" in p.stdout
    assert picd.login("n3w-admin-Passw0rd").status_code == 200
    assert picd.login(old).status_code == 401


def test_passwd_refusals(picd):
    p = picd.pic("passwd", input="\n")
    assert p.returncode == 1, (p.stdout, p.stderr)
    p = picd.pic("passwd", input="")
    assert p.returncode == 1
    p = picd.pic("passwd", input="short\n")
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert "(field: new_password)" in p.stderr
    assert picd.login().status_code == 200
