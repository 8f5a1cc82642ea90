"""picd as a process: the control socket's permissions and peer check,
durability of acknowledged writes under kill -9, clean shutdown, schema
version checks and command-line errors."""

import os
import random
import sqlite3
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time

import requests

from conftest import Picd, picd_bin


def test_control_socket_modes(picd):
    assert stat.S_IMODE(os.stat(picd.socket).st_mode) == 0o660
    assert stat.S_ISSOCK(os.stat(picd.socket).st_mode)
    assert stat.S_IMODE(os.stat(os.path.dirname(picd.socket)).st_mode) == 0o750
    assert stat.S_IMODE(os.stat(picd.state_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(picd.state_dir + "/pic.db").st_mode) == 0o600


def test_control_socket_refuses_non_root(tmp_path):
    # Put the socket where an unprivileged user can reach it and open its
    # modes, so that it can connect at all; the SO_PEERCRED check must
    # still refuse it.
    picd = Picd(tmp_path)
    public_dir = tempfile.mkdtemp(prefix="pic-sock-", dir="/tmp")
    os.chmod(public_dir, 0o755)
    picd.socket = os.path.join(public_dir, "run", "pic.sock")
    picd.start()
    os.chmod(os.path.dirname(picd.socket), 0o755)
    os.chmod(picd.socket, 0o666)
    r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                        "--unix-socket", picd.socket, "http://localhost/api/config"],
                       capture_output=True, text=True)
    try:
        assert r.stdout == "403", r
        assert picd.local("GET", "/api/config")[0] == 200
    finally:
        picd.stop()
        shutil.rmtree(public_dir)


def test_second_picd_on_the_same_socket_is_refused(picd, tmp_path):
    other = Picd(tmp_path / "other")
    os.makedirs(other.dir)
    other.socket = picd.socket
    rc = other.start(expect_ok=False)
    assert rc != 0
    assert "another picd" in other.stderr()
    assert picd.local("GET", "/api/config")[0] == 200


def test_sigterm_stops_cleanly_and_removes_the_socket(picd):
    picd.stop()
    assert picd.proc.returncode == 0
    assert not os.path.exists(picd.socket)
    assert "picd stopped" in picd.stderr()
    picd.start()


def test_acknowledged_writes_survive_kill_9(picd):
    """200 writes; picd is killed with SIGKILL at a random point. Every
    write acknowledged before the kill must be there after a restart."""
    s = picd.session()
    acked = []  # (index, etag)
    inflight = []

    def writer():
        for i in range(200):
            inflight.append(i)
            try:
                r = s.put(picd.url + "/api/config", json={"cell_name": f"w{i}"}, timeout=5)
            except requests.RequestException:
                return
            if r.status_code != 200:
                return
            acked.append((i, int(r.headers["ETag"].strip('"'))))

    t = threading.Thread(target=writer)
    t.start()
    rng = random.Random()
    deadline = time.monotonic() + 30
    target = rng.randint(20, 180)
    while len(acked) < target and t.is_alive() and time.monotonic() < deadline:
        time.sleep(0.001)
    picd.kill9()
    t.join()
    assert acked, "no write was acknowledged before the kill"
    last_i, last_rev = acked[-1]
    picd.start()
    r = s.get(picd.url + "/api/config")
    rev = int(r.headers["ETag"].strip('"'))
    name = r.json()["cell_name"]
    assert rev >= last_rev
    # Either the last acknowledged value, or the one in flight at the kill.
    assert name in (f"w{last_i}", f"w{last_i + 1}"), (name, last_i)
    # The writes that were not killed also all landed: finish to 200.
    for i in range(last_i + 1, 200):
        assert s.put(picd.url + "/api/config", json={"cell_name": f"w{i}"}).status_code == 200
    picd.kill9()
    picd.start()
    assert s.get(picd.url + "/api/config").json()["cell_name"] == "w199"


def test_newer_schema_refuses_to_start(tmp_path):
    d = Picd(tmp_path)
    d.start()
    d.stop()
    db = sqlite3.connect(d.state_dir + "/pic.db")
    db.execute("PRAGMA user_version = 999")
    db.commit()
    db.close()
    rc = d.start(expect_ok=False)
    assert rc != 0
    assert "schema version 999" in d.stderr()
    assert "newer picd" in d.stderr()


def test_admin_password_is_printed_only_on_first_start(tmp_path):
    d = Picd(tmp_path)
    d.start()
    first = d.admin_password
    assert first and len(first) >= 20
    d.restart()
    assert "password" not in d.stdout()
    assert d.login(first).status_code == 200
    d.stop()


def test_bad_options_are_refused():
    for args in (["--listen", "nonsense"], ["--session-ttl", "5"], ["--log-level", "loud"], ["extra"]):
        r = subprocess.run([picd_bin(), "--foreground", "--state-dir", "/nonexistent/x", *args],
                           capture_output=True, text=True, timeout=10)
        assert r.returncode != 0, args
        assert r.stderr.strip(), args


def test_background_mode_prints_password_and_detaches(tmp_path):
    d = Picd(tmp_path)
    r = subprocess.run(d.argv(), capture_output=True, text=True, timeout=30, pass_fds=(d.listener.fileno(),))
    assert r.returncode == 0, r.stderr
    assert "password:" in r.stdout
    password = r.stdout.split("password:")[1].split()[0]
    try:
        assert requests.get(d.url + "/health").status_code == 200
        assert d.login(password).status_code == 200
        assert os.path.exists(d.state_dir + "/picd.log")
    finally:
        subprocess.run(["pkill", "-TERM", "-f", f"picd --state-dir {d.state_dir} "])
        for _ in range(200):
            if not os.path.exists(d.socket):
                break
            time.sleep(0.05)
    assert not os.path.exists(d.socket)
